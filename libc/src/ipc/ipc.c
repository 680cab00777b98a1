// Osprey's capability IPC calls (kernel/api/ipc.h, docs/ipc.md): thin
// wrappers, errno on failure.

#include "../internal/syscall.h"
#include <osprey/ipc.h>

int port_create(unsigned flags)
{
    return (int)SYSCALL1(port_create, flags);
}
int cap_duplicate(int handle, unsigned flags)
{
    return (int)SYSCALL2(cap_duplicate, handle, flags);
}
int cap_diminish(int handle, uint32_t rights, uint64_t lifetime_ns, unsigned flags)
{
    return (int)SYSCALL4(cap_diminish, handle, rights, lifetime_ns, flags);
}
int cap_close(int handle)
{
    return (int)SYSCALL1(cap_close, handle);
}
int cap_info(int handle, struct osprey_cap_info* info)
{
    return (int)SYSCALL2(cap_info, handle, info);
}
int port_send(int handle, const struct osprey_ipc_message* message, uint64_t timeout_ns)
{
    return (int)SYSCALL3(port_send, handle, message, timeout_ns);
}
int port_receive(int handle, struct osprey_ipc_message* message, uint64_t timeout_ns)
{
    return (int)SYSCALL3(port_receive, handle, message, timeout_ns);
}
int port_call(
    int handle, const struct osprey_ipc_message* request, struct osprey_ipc_message* reply, uint64_t timeout_ns)
{
    return (int)SYSCALL4(port_call, handle, request, reply, timeout_ns);
}
int port_reply(int reply_handle, const struct osprey_ipc_message* message)
{
    return (int)SYSCALL2(port_reply, reply_handle, message);
}
int port_wait(struct osprey_ipc_wait_item* items, unsigned count, uint64_t timeout_ns)
{
    return (int)SYSCALL3(port_wait, items, count, timeout_ns);
}
int service_register(int handle, const char* name)
{
    return (int)SYSCALL2(service_register, handle, name);
}
int service_withdraw(const char* name)
{
    return (int)SYSCALL1(service_withdraw, name);
}
int service_lookup(const char* name, unsigned flags)
{
    return (int)SYSCALL2(service_lookup, name, flags);
}
int service_list(struct osprey_service_entry* entries, unsigned capacity)
{
    return (int)SYSCALL2(service_list, entries, capacity);
}
