// Capability IPC, handles and the service registry: port_create,
// cap_duplicate, cap_diminish, cap_close, cap_info, service_register,
// service_withdraw, service_lookup and service_list. docs/ipc.md lists each
// call's rights and errors; IpcMessages.cpp has the message calls.
//
// Every handler rejects unknown flags first, then checks the handle and its
// rights, copies in, acts, and installs a new handle last, after every step
// that can fail (STYLE rule 14).
#include <ipc/Registry.h>
#include <kernel/syscalls/IpcSupport.h>
#include <kernel/user/UserPtr.h>

namespace syscalls {

namespace {

ErrorOr<u64> install(ipc::HandleSpace& space, ipc::HandleEntry&& entry)
{
    return static_cast<u64>(TRY(space.install(lib::move(entry))));
}

ErrorOr<void> check_handle_flags(u64 flags)
{
    if (flags & ~static_cast<u64>(IPC_CLOEXEC))
        return Error::from_errno(EINVAL);
    return {};
}

// A service name from user memory: ENAMETOOLONG past IPC_SERVICE_NAME_MAX
// bytes, EFAULT, EINVAL for characters outside the set.
struct ServiceName {
    char characters[IPC_SERVICE_NAME_MAX + 1];
    usize length;

    StringView view() const { return { characters, length }; }
};

ErrorOr<ServiceName> copy_service_name(u64 user_name)
{
    ServiceName name {};
    name.length
        = TRY(user::strncpy_from_user(name.characters, user::UserPtr<const char>(user_name), sizeof(name.characters)));
    TRY(ipc::registry::check_name(name.view()));
    return name;
}

} // namespace

// port_create(flags): a new port; the handle carries SEND, RECEIVE,
// DUPLICATE, TRANSFER and DIMINISH. EINVAL, EMFILE, ENOMEM.
SYSCALL_HANDLER(port_create)
{
    TRY(check_handle_flags(arguments[0]));
    ipc::HandleSpace& space = *TRY(current_handles());
    if (space.free_slots() == 0)
        return Error::from_errno(EMFILE);
    auto port = TRY(ipc::Port::try_create());
    return install(space,
        { ipc::PortRef::attach(*port, IPC_RIGHTS_PORT_CREATOR), IPC_RIGHTS_PORT_CREATOR, static_cast<u32>(arguments[0]),
            0 });
}

// cap_duplicate(handle, flags): a new handle with the same rights and
// expiry. Needs DUPLICATE. EINVAL, EBADF, ETIME, EACCES, EMFILE.
SYSCALL_HANDLER(cap_duplicate)
{
    TRY(check_handle_flags(arguments[1]));
    ipc::HandleSpace& space = *TRY(current_handles());
    ipc::HandleEntry* entry = TRY(space.lookup(handle_argument(arguments[0]), 0));
    ipc::Rights rights = TRY(ipc::rights_for_duplicate(entry->rights));
    return install(space, { entry->object.copy(rights), rights, static_cast<u32>(arguments[1]), entry->expiry_ns });
}

// cap_diminish(handle, rights, lifetime_ns, flags): a new handle with a
// subset of the rights, expiring after `lifetime_ns` (0: the old expiry;
// never later than it). Needs DIMINISH. EINVAL, EBADF, ETIME, EACCES, EPERM
// (not a subset), EMFILE.
SYSCALL_HANDLER(cap_diminish)
{
    TRY(check_handle_flags(arguments[3]));
    if (arguments[1] > 0xffffffffu)
        return Error::from_errno(EINVAL);
    ipc::HandleSpace& space = *TRY(current_handles());
    ipc::HandleEntry* entry = TRY(space.lookup(handle_argument(arguments[0]), 0));
    ipc::Rights rights = TRY(ipc::rights_for_diminish(entry->rights, static_cast<u32>(arguments[1])));
    u64 now = arguments[2] ? ktime::monotonic_ns() : 0;
    u64 expiry = ipc::diminished_expiry(entry->expiry_ns, now, arguments[2]);
    return install(space, { entry->object.copy(rights), rights, static_cast<u32>(arguments[3]), expiry });
}

// cap_close(handle): EBADF. Works on expired handles.
SYSCALL_HANDLER(cap_close)
{
    ipc::HandleSpace& space = *TRY(current_handles());
    (void)TRY(space.remove(handle_argument(arguments[0])));
    return 0;
}

// cap_info(handle, info): EBADF, EFAULT. Works on expired handles.
SYSCALL_HANDLER(cap_info)
{
    ipc::HandleSpace& space = *TRY(current_handles());
    ipc::HandleEntry* entry = TRY(space.find(handle_argument(arguments[0])));
    osprey_cap_info info {};
    info.object_type = IPC_OBJECT_PORT;
    info.rights = entry->rights;
    info.flags = entry->flags;
    info.object_id = entry->object.port()->id();
    info.expiry_ns = entry->expiry_ns;
    TRY(user::copy_to_user(user::UserPtr<void>(arguments[1]), &info, sizeof(info)));
    return 0;
}

// service_register(handle, name): names the port. Needs RECEIVE (the caller
// serves it) and SEND, DUPLICATE and TRANSFER (the registry hands copies of
// SEND to others). EBADF, ETIME, EACCES, EINVAL, ENAMETOOLONG, EFAULT,
// EEXIST, ENOSPC, ENOMEM.
SYSCALL_HANDLER(service_register)
{
    ServiceName name = TRY(copy_service_name(arguments[1]));
    ipc::HandleSpace& space = *TRY(current_handles());
    constexpr ipc::Rights REQUIRED = IPC_RIGHT_SEND | IPC_RIGHT_RECEIVE | IPC_RIGHT_DUPLICATE | IPC_RIGHT_TRANSFER;
    auto port = TRY(port_with_rights(space, handle_argument(arguments[0]), REQUIRED));
    TRY(ipc::registry::add(name.view(), *port, current_process().pid()));
    return 0;
}

// service_withdraw(name): ENOENT, EPERM (another process's name), EINVAL,
// ENAMETOOLONG, EFAULT.
SYSCALL_HANDLER(service_withdraw)
{
    ServiceName name = TRY(copy_service_name(arguments[0]));
    TRY(ipc::registry::withdraw(name.view(), current_process().pid()));
    return 0;
}

// service_lookup(name, flags): a handle with SEND only to the named port.
// EINVAL, ENAMETOOLONG, EFAULT, ENOENT, EMFILE, ENOMEM.
SYSCALL_HANDLER(service_lookup)
{
    TRY(check_handle_flags(arguments[1]));
    ServiceName name = TRY(copy_service_name(arguments[0]));
    ipc::HandleSpace& space = *TRY(current_handles());
    if (space.free_slots() == 0)
        return Error::from_errno(EMFILE);
    ipc::PortRef port = TRY(ipc::registry::lookup(name.view()));
    return install(space, { lib::move(port), IPC_RIGHT_SEND, static_cast<u32>(arguments[1]), 0 });
}

// service_list(entries, capacity): writes up to `capacity` entries and
// returns the number of names. EFAULT.
SYSCALL_HANDLER(service_list)
{
    osprey_service_entry entries[IPC_SERVICE_LIMIT];
    usize capacity = arguments[1] < IPC_SERVICE_LIMIT ? arguments[1] : IPC_SERVICE_LIMIT;
    usize total = ipc::registry::list({ entries, capacity });
    usize written = total < capacity ? total : capacity;
    if (written)
        TRY(user::copy_to_user(user::UserPtr<void>(arguments[0]), entries, written * sizeof(entries[0])));
    return total;
}

} // namespace syscalls
