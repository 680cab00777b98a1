// The service registry; see Registry.h.
#include <ipc/Registry.h>
#include <ipc/ServiceDirectory.h>

namespace ipc::registry {

namespace {

constinit Spinlock s_lock;
[[clang::no_destroy]] constinit ServiceDirectory<PortRef> s_directory; // guarded by s_lock

} // namespace

ErrorOr<void> check_name(StringView name)
{
    return check_service_name(name);
}

ErrorOr<void> add(StringView name, Port& port, i32 owner_pid)
{
    TRY(check_service_name(name));
    PortRef endpoint = PortRef::attach(port, IPC_RIGHT_SEND);
    {
        SpinlockGuard guard(s_lock);
        if (auto added = s_directory.add(name, endpoint, owner_pid); added.is_error())
            return added.release_error(); // `endpoint` is dropped after the unlock
    }
    return {};
}

ErrorOr<void> withdraw(StringView name, i32 caller_pid)
{
    PortRef removed;
    SpinlockGuard guard(s_lock);
    return s_directory.withdraw(name, caller_pid, removed);
}

void withdraw_all(i32 owner_pid)
{
    // Few names and rare exits: one at a time, each dropped outside the lock.
    for (;;) {
        PortRef removed;
        SpinlockGuard guard(s_lock);
        if (!s_directory.withdraw_one_of(owner_pid, removed))
            return;
    }
}

ErrorOr<PortRef> lookup(StringView name)
{
    SpinlockGuard guard(s_lock);
    const PortRef* endpoint = s_directory.find(name);
    if (!endpoint)
        return Error::from_errno(ENOENT);
    // attach() only counts an endpoint under the port's lock: no allocation.
    return endpoint->copy(IPC_RIGHT_SEND);
}

usize list(Span<osprey_service_entry> entries)
{
    SpinlockGuard guard(s_lock);
    return s_directory.list(entries);
}

} // namespace ipc::registry
