#pragma once

// The service registry's table without locking or ports (seed section 1.4;
// docs/ipc.md): at most IPC_SERVICE_LIMIT unique names of 1 to
// IPC_SERVICE_NAME_MAX bytes of [A-Za-z0-9._-], each with the endpoint it
// names and the pid that registered it. Generic over the endpoint so the
// host tests can use a stand-in; Registry.cpp holds one over PortRef under
// its spinlock. Endpoints move in and out, so the caller decides where they
// are dropped (outside the lock, in the kernel).
#include <kernel/api/ipc.h>
#include <kernel/lib/Error.h>
#include <kernel/lib/Span.h>
#include <kernel/lib/StringView.h>
#include <kernel/lib/Utility.h>

namespace ipc {

// EINVAL (empty, or a character outside the set), ENAMETOOLONG.
ErrorOr<void> check_service_name(StringView name);

template<typename Endpoint>
class ServiceDirectory {
public:
    constexpr ServiceDirectory() = default;
    ServiceDirectory(const ServiceDirectory&) = delete;
    ServiceDirectory& operator=(const ServiceDirectory&) = delete;

    // Takes `endpoint` when the name is free and valid. EINVAL,
    // ENAMETOOLONG, EEXIST, ENOSPC (`endpoint` is left with the caller).
    ErrorOr<void> add(StringView name, Endpoint& endpoint, i32 owner_pid)
    {
        TRY(check_service_name(name));
        if (find(name))
            return Error::from_errno(EEXIST);
        for (Entry& entry : m_entries) {
            if (entry.used)
                continue;
            __builtin_memcpy(entry.name, name.characters(), name.length());
            entry.name[name.length()] = '\0';
            entry.name_length = name.length();
            entry.owner_pid = owner_pid;
            entry.order = m_next_order++;
            entry.endpoint = lib::move(endpoint);
            entry.used = true;
            return {};
        }
        return Error::from_errno(ENOSPC);
    }

    // The endpoint registered under `name`, or null.
    const Endpoint* find(StringView name) const
    {
        const Entry* entry = entry_named(name);
        return entry ? &entry->endpoint : nullptr;
    }

    // Removes `name` for its owner and hands its endpoint over: ENOENT, EPERM.
    ErrorOr<void> withdraw(StringView name, i32 caller_pid, Endpoint& removed)
    {
        Entry* entry = const_cast<Entry*>(entry_named(name));
        if (!entry)
            return Error::from_errno(ENOENT);
        if (entry->owner_pid != caller_pid)
            return Error::from_errno(EPERM);
        removed = release(*entry);
        return {};
    }

    // Removes one name of `owner_pid` into `removed`; false when none is left.
    bool withdraw_one_of(i32 owner_pid, Endpoint& removed)
    {
        for (Entry& entry : m_entries) {
            if (entry.used && entry.owner_pid == owner_pid) {
                removed = release(entry);
                return true;
            }
        }
        return false;
    }

    usize size() const
    {
        usize count = 0;
        for (const Entry& entry : m_entries)
            count += entry.used ? 1 : 0;
        return count;
    }

    // Fills `out` in registration order; returns how many names exist.
    usize list(Span<osprey_service_entry> out) const
    {
        usize total = size();
        u64 after = 0;
        for (usize written = 0; written < out.size() && written < total; ++written) {
            const Entry* next = nullptr;
            for (const Entry& entry : m_entries) {
                if (entry.used && entry.order > after && (!next || entry.order < next->order))
                    next = &entry;
            }
            osprey_service_entry& line = out[written];
            __builtin_memset(&line, 0, sizeof(line));
            __builtin_memcpy(line.name, next->name, next->name_length);
            line.owner_pid = next->owner_pid;
            after = next->order;
        }
        return total;
    }

private:
    struct Entry {
        char name[IPC_SERVICE_NAME_MAX + 1] {};
        usize name_length { 0 };
        i32 owner_pid { 0 };
        u64 order { 0 }; // registration sequence, for list()
        Endpoint endpoint {};
        bool used { false };
    };

    const Entry* entry_named(StringView name) const
    {
        for (const Entry& entry : m_entries) {
            if (entry.used && StringView(entry.name, entry.name_length) == name)
                return &entry;
        }
        return nullptr;
    }

    Endpoint release(Entry& entry)
    {
        entry.used = false;
        return lib::move(entry.endpoint);
    }

    Entry m_entries[IPC_SERVICE_LIMIT];
    u64 m_next_order { 1 };
};

} // namespace ipc
