// Block device files; see BlockDeviceFile.h.
#include <fs/block/DeviceNumbers.h>
#include <fs/devfs/BlockDeviceFile.h>
#include <fs/devfs/DevNodes.h>
#include <kernel/lib/New.h>

namespace fs::devfs {

namespace {

// Sector-aligned transfers go to the device in pieces of at most this
// much, so one huge read does not pin the device for long.
constexpr usize MAX_DIRECT_BYTES = usize(1) << 20;
constexpr usize MAX_SECTOR_SIZE = 4096;

// Node names need static storage (DevFileSystem.h); block device names are
// kept here, one slot per node ever added. Guarded by s_names_lock.
constexpr usize MAX_BLOCK_NODES = 24;
constexpr usize NAME_CAPACITY = 16;
constinit Spinlock s_names_lock;
char s_names[MAX_BLOCK_NODES][NAME_CAPACITY];
usize s_name_count = 0;

ErrorOr<StringView> keep_name(StringView name)
{
    if (name.length() >= NAME_CAPACITY)
        return Error::from_errno(ENAMETOOLONG);
    SpinlockGuard guard(s_names_lock);
    for (usize i = 0; i < s_name_count; ++i) {
        if (StringView(s_names[i]) == name)
            return StringView(s_names[i]);
    }
    if (s_name_count == MAX_BLOCK_NODES)
        return Error::from_errno(ENOSPC);
    char* slot = s_names[s_name_count++];
    for (usize i = 0; i < name.length(); ++i)
        slot[i] = name[i];
    slot[name.length()] = '\0';
    return StringView(slot, name.length());
}

// One sector's worth of bytes, for the unaligned ends of a transfer.
struct SectorBuffer {
    u8 bytes[MAX_SECTOR_SIZE];
};

} // namespace

BlockDeviceFile::BlockDeviceFile(Location location, u32 flags, NonnullRefPtr<block::BlockDevice> device)
    : DeviceFile(lib::move(location), flags)
    , m_device(lib::move(device))
{
}

BlockDeviceFile::~BlockDeviceFile() = default;

ErrorOr<NonnullRefPtr<OpenFile>> BlockDeviceFile::open(Location location, u32 flags)
{
    auto& node = static_cast<DeviceNode&>(*location.vnode);
    RefPtr<block::BlockDevice> device = block::find_device(node.name());
    if (!device)
        return Error::from_errno(ENXIO);
    if (device->sector_size() > MAX_SECTOR_SIZE || device->sector_size() == 0)
        return Error::from_errno(ENXIO);
    auto file = TRY(try_make_ref_counted<BlockDeviceFile>(lib::move(location), flags, NonnullRefPtr(*device)));
    if (file->is_writable() && device->is_read_only())
        return Error::from_errno(EROFS);
    return NonnullRefPtr<OpenFile>(lib::move(file));
}

ErrorOr<usize> BlockDeviceFile::pread(u64 offset, Bytes buffer)
{
    u64 size = m_device->size_in_bytes();
    if (offset >= size || buffer.size() == 0)
        return 0;
    usize length = static_cast<usize>(min<u64>(buffer.size(), size - offset));
    u32 sector_size = m_device->sector_size();
    usize done = 0;
    auto* bounce = new (std::nothrow) SectorBuffer;
    if (!bounce)
        return Error::from_errno(ENOMEM);
    ErrorOr<void> result = [&]() -> ErrorOr<void> {
        while (done < length) {
            u64 position = offset + done;
            u64 sector = position / sector_size;
            usize within = static_cast<usize>(position % sector_size);
            usize remaining = length - done;
            if (within == 0 && remaining >= sector_size) {
                usize direct = min(remaining - remaining % sector_size, MAX_DIRECT_BYTES);
                TRY(m_device->read_sectors(sector, buffer.slice(done, direct)));
                done += direct;
                continue;
            }
            TRY(m_device->read_sectors(sector, { bounce->bytes, sector_size }));
            usize piece = min<usize>(sector_size - within, remaining);
            __builtin_memcpy(buffer.data() + done, bounce->bytes + within, piece);
            done += piece;
        }
        return {};
    }();
    delete bounce;
    if (result.is_error() && done == 0)
        return result.release_error();
    return done;
}

ErrorOr<usize> BlockDeviceFile::pwrite(u64 offset, ReadonlyBytes data)
{
    u64 size = m_device->size_in_bytes();
    if (data.size() == 0)
        return 0;
    if (offset >= size)
        return Error::from_errno(ENOSPC);
    usize length = static_cast<usize>(min<u64>(data.size(), size - offset));
    u32 sector_size = m_device->sector_size();
    usize done = 0;
    auto* bounce = new (std::nothrow) SectorBuffer;
    if (!bounce)
        return Error::from_errno(ENOMEM);
    ErrorOr<void> result = [&]() -> ErrorOr<void> {
        while (done < length) {
            u64 position = offset + done;
            u64 sector = position / sector_size;
            usize within = static_cast<usize>(position % sector_size);
            usize remaining = length - done;
            if (within == 0 && remaining >= sector_size) {
                usize direct = min(remaining - remaining % sector_size, MAX_DIRECT_BYTES);
                TRY(m_device->write_sectors(sector, data.slice(done, direct)));
                done += direct;
                continue;
            }
            // A partial sector: read it, patch the bytes, write it back.
            TRY(m_device->read_sectors(sector, { bounce->bytes, sector_size }));
            usize piece = min<usize>(sector_size - within, remaining);
            __builtin_memcpy(bounce->bytes + within, data.data() + done, piece);
            TRY(m_device->write_sectors(sector, { bounce->bytes, sector_size }));
            done += piece;
        }
        return {};
    }();
    delete bounce;
    if (result.is_error() && done == 0)
        return result.release_error();
    return done;
}

ErrorOr<usize> BlockDeviceFile::read(Bytes buffer)
{
    u64 offset;
    {
        SpinlockGuard guard(m_offset_lock);
        offset = m_offset;
    }
    usize got = TRY(pread(offset, buffer));
    SpinlockGuard guard(m_offset_lock);
    m_offset = offset + got;
    return got;
}

ErrorOr<usize> BlockDeviceFile::write(ReadonlyBytes data)
{
    u64 offset;
    {
        SpinlockGuard guard(m_offset_lock);
        offset = m_offset;
    }
    usize wrote = TRY(pwrite(offset, data));
    SpinlockGuard guard(m_offset_lock);
    m_offset = offset + wrote;
    return wrote;
}

ErrorOr<u64> BlockDeviceFile::seek(i64 offset, SeekFrom whence)
{
    u64 size = m_device->size_in_bytes();
    SpinlockGuard guard(m_offset_lock);
    i64 base = 0;
    switch (whence) {
    case SeekFrom::Start:
        base = 0;
        break;
    case SeekFrom::Current:
        base = static_cast<i64>(m_offset);
        break;
    case SeekFrom::End:
        base = static_cast<i64>(size);
        break;
    default:
        return Error::from_errno(EINVAL);
    }
    i64 target;
    if (__builtin_add_overflow(base, offset, &target) || target < 0 || static_cast<u64>(target) > size)
        return Error::from_errno(EINVAL);
    m_offset = static_cast<u64>(target);
    return m_offset;
}

ErrorOr<uptr> BlockDeviceFile::ioctl(u32 request, uptr)
{
    if (request == BLKFLSBUF) {
        TRY(sync());
        return 0;
    }
    return Error::from_errno(ENOTTY);
}

ErrorOr<void> BlockDeviceFile::sync()
{
    return m_device->flush();
}

ErrorOr<usize> add_block_device_nodes(DevFileSystem& devfs)
{
    struct Context {
        DevFileSystem& devfs;
        usize added;
        ErrorOr<void> status;
    } context { devfs, 0, {} };
    block::for_each_device(
        [](block::BlockDevice& device, void* opaque) {
            auto& context = *static_cast<Context*>(opaque);
            block::DeviceNumber number;
            if (context.status.is_error() || !block::device_number_for(device.name(), number)
                || context.devfs.find(device.name()))
                return;
            auto name = keep_name(device.name());
            if (name.is_error()) {
                context.status = name.release_error();
                return;
            }
            auto added = context.devfs.add_device(
                { name.value(), number.major, number.minor, mode::BlockDevice | 0660, BlockDeviceFile::open });
            if (added.is_error())
                context.status = added.release_error();
            else
                ++context.added;
        },
        &context);
    TRY(context.status);
    return context.added;
}

} // namespace fs::devfs
