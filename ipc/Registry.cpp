// The service registry; see Registry.h.
#include <ipc/Registry.h>

namespace ipc::registry {

namespace {

struct Entry {
    char name[IPC_SERVICE_NAME_MAX + 1] {};
    usize name_length { 0 };
    i32 owner_pid { 0 };
    u64 order { 0 }; // registration sequence, for list()
    PortRef port;    // SEND endpoint; empty = free entry

    StringView name_view() const { return { name, name_length }; }
};

struct Table {
    Entry entries[IPC_SERVICE_LIMIT];
    u64 next_order { 1 };
};

constinit Spinlock s_lock;
[[clang::no_destroy]] constinit Table s_table; // guarded by s_lock

Entry* find_locked(StringView name)
{
    for (Entry& entry : s_table.entries) {
        if (entry.port && entry.name_view() == name)
            return &entry;
    }
    return nullptr;
}

bool is_name_character(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
        || c == '-';
}

} // namespace

ErrorOr<void> check_name(StringView name)
{
    if (name.length() > IPC_SERVICE_NAME_MAX)
        return Error::from_errno(ENAMETOOLONG);
    if (name.is_empty())
        return Error::from_errno(EINVAL);
    for (usize i = 0; i < name.length(); ++i) {
        if (!is_name_character(name[i]))
            return Error::from_errno(EINVAL);
    }
    return {};
}

ErrorOr<void> add(StringView name, Port& port, i32 owner_pid)
{
    TRY(check_name(name));
    PortRef endpoint = PortRef::attach(port, IPC_RIGHT_SEND);
    int error = 0;
    {
        SpinlockGuard guard(s_lock);
        Entry* free_entry = nullptr;
        for (Entry& entry : s_table.entries) {
            if (!entry.port && !free_entry)
                free_entry = &entry;
        }
        if (find_locked(name)) {
            error = EEXIST;
        } else if (!free_entry) {
            error = ENOSPC;
        } else {
            __builtin_memcpy(free_entry->name, name.characters(), name.length());
            free_entry->name[name.length()] = '\0';
            free_entry->name_length = name.length();
            free_entry->owner_pid = owner_pid;
            free_entry->order = s_table.next_order++;
            free_entry->port = lib::move(endpoint);
        }
    }
    // On failure `endpoint` is dropped here, after the unlock.
    if (error)
        return Error::from_errno(error);
    return {};
}

ErrorOr<void> withdraw(StringView name, i32 caller_pid)
{
    PortRef removed;
    {
        SpinlockGuard guard(s_lock);
        Entry* entry = find_locked(name);
        if (!entry)
            return Error::from_errno(ENOENT);
        if (entry->owner_pid != caller_pid)
            return Error::from_errno(EPERM);
        removed = lib::move(entry->port);
    }
    return {};
}

void withdraw_all(i32 owner_pid)
{
    // Few names and rare exits: take them out one at a time, each endpoint
    // dropped outside the lock.
    for (;;) {
        PortRef removed;
        {
            SpinlockGuard guard(s_lock);
            for (Entry& entry : s_table.entries) {
                if (entry.port && entry.owner_pid == owner_pid) {
                    removed = lib::move(entry.port);
                    break;
                }
            }
        }
        if (!removed)
            return;
    }
}

ErrorOr<PortRef> lookup(StringView name)
{
    SpinlockGuard guard(s_lock);
    Entry* entry = find_locked(name);
    if (!entry)
        return Error::from_errno(ENOENT);
    // attach() only counts an endpoint under the port's lock: no allocation.
    return entry->port.copy(IPC_RIGHT_SEND);
}

usize list(Span<osprey_service_entry> entries)
{
    SpinlockGuard guard(s_lock);
    // Registration order: repeatedly take the oldest entry after the last one written.
    usize total = 0;
    for (const Entry& entry : s_table.entries)
        total += entry.port ? 1 : 0;
    u64 after = 0;
    for (usize written = 0; written < entries.size() && written < total; ++written) {
        const Entry* next = nullptr;
        for (const Entry& entry : s_table.entries) {
            if (entry.port && entry.order > after && (!next || entry.order < next->order))
                next = &entry;
        }
        osprey_service_entry& out = entries[written];
        __builtin_memset(&out, 0, sizeof(out));
        __builtin_memcpy(out.name, next->name, next->name_length);
        out.owner_pid = next->owner_pid;
        after = next->order;
    }
    return total;
}

} // namespace ipc::registry
