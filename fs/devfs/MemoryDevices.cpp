// The memory devices (see MemoryDevices.h).
#include <fs/devfs/DeviceFile.h>
#include <fs/devfs/MemoryDevices.h>
#include <fs/devfs/Random.h>
#include <kernel/lib/Placement.h>

namespace fs::devfs {

namespace {

enum class MemoryDevice : u8 {
    Null,
    Zero,
    Full,
    Random,
};

class MemoryDeviceFile final : public DeviceFile {
public:
    MemoryDeviceFile(Location location, u32 flags, MemoryDevice device)
        : DeviceFile(lib::move(location), flags)
        , m_device(device)
    {
    }

    ErrorOr<usize> read(Bytes buffer) override
    {
        switch (m_device) {
        case MemoryDevice::Null:
            return 0;
        case MemoryDevice::Zero:
        case MemoryDevice::Full:
            __builtin_memset(buffer.data(), 0, buffer.size());
            return buffer.size();
        case MemoryDevice::Random:
            random::generate(buffer);
            return buffer.size();
        }
        return Error::from_errno(EIO);
    }

    ErrorOr<usize> write(ReadonlyBytes data) override
    {
        switch (m_device) {
        case MemoryDevice::Null:
        case MemoryDevice::Zero:
            return data.size();
        case MemoryDevice::Full:
            return Error::from_errno(ENOSPC);
        case MemoryDevice::Random:
            random::mix_seed(data);
            return data.size();
        }
        return Error::from_errno(EIO);
    }

    StringView kind_name() const override { return "memory device"; }

private:
    MemoryDevice m_device;
};

template<MemoryDevice Device>
ErrorOr<NonnullRefPtr<OpenFile>> open_memory_device(Location location, u32 flags)
{
    auto file
        = TRY(adopt_nonnull_ref_or_enomem(new (std::nothrow) MemoryDeviceFile(lib::move(location), flags, Device)));
    return NonnullRefPtr<OpenFile>(lib::move(file));
}

constexpr DeviceSpec MEMORY_DEVICES[] = {
    { "null", 1, 3, 0666, open_memory_device<MemoryDevice::Null> },
    { "zero", 1, 5, 0666, open_memory_device<MemoryDevice::Zero> },
    { "full", 1, 7, 0666, open_memory_device<MemoryDevice::Full> },
    { "random", 1, 8, 0666, open_memory_device<MemoryDevice::Random> },
    { "urandom", 1, 9, 0666, open_memory_device<MemoryDevice::Random> },
};

} // namespace

Span<const DeviceSpec> memory_devices()
{
    return { MEMORY_DEVICES, sizeof(MEMORY_DEVICES) / sizeof(MEMORY_DEVICES[0]) };
}

} // namespace fs::devfs
