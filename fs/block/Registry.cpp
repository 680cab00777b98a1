// The table of block devices; see BlockDevice.h.
//
// The table holds one reference on each device, as raw pointers so that it
// needs no global destructor. Locking: s_lock guards the table. References
// are taken under it, but a device removed from the table is released after
// the lock is dropped, so no destructor runs with it held.
#include <fs/block/BlockDevice.h>
#include <kernel/lib/Spinlock.h>

namespace block {

namespace {

constexpr usize MAX_DEVICES = 64;

lib::Spinlock s_lock;
BlockDevice* s_devices[MAX_DEVICES]; // guarded by s_lock; registration order, no holes; each holds a reference

usize count_locked()
{
    usize count = 0;
    while (count < MAX_DEVICES && s_devices[count])
        ++count;
    return count;
}

} // namespace

ErrorOr<void> register_device(NonnullRefPtr<BlockDevice> device)
{
    lib::SpinlockGuard guard(s_lock);
    usize count = count_locked();
    for (usize i = 0; i < count; ++i) {
        if (s_devices[i]->name() == device->name())
            return Error::from_errno(EEXIST);
    }
    if (count == MAX_DEVICES)
        return Error::from_errno(ENOSPC);
    s_devices[count] = device.leak_ref();
    return {};
}

void unregister_device(StringView name)
{
    BlockDevice* removed = nullptr;
    {
        lib::SpinlockGuard guard(s_lock);
        usize count = count_locked();
        for (usize i = 0; i < count; ++i) {
            if (s_devices[i]->name() != name)
                continue;
            removed = s_devices[i];
            for (usize j = i; j + 1 < count; ++j)
                s_devices[j] = s_devices[j + 1];
            s_devices[count - 1] = nullptr;
            break;
        }
    }
    if (removed)
        removed->unref();
}

RefPtr<BlockDevice> find_device(StringView name)
{
    lib::SpinlockGuard guard(s_lock);
    for (usize i = 0; i < MAX_DEVICES && s_devices[i]; ++i) {
        if (s_devices[i]->name() == name)
            return RefPtr<BlockDevice>(s_devices[i]);
    }
    return nullptr;
}

void for_each_device(void (*visit)(BlockDevice& device, void* context), void* context)
{
    // Visits a snapshot, so visit() may block or register devices itself.
    RefPtr<BlockDevice> snapshot[MAX_DEVICES];
    usize count;
    {
        lib::SpinlockGuard guard(s_lock);
        count = count_locked();
        for (usize i = 0; i < count; ++i)
            snapshot[i] = s_devices[i];
    }
    for (usize i = 0; i < count; ++i)
        visit(*snapshot[i], context);
}

} // namespace block
