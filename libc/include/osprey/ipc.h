#pragma once

/*
 * Osprey's capability IPC (docs/ipc.md): ports reached through handles with
 * rights, messages with capabilities, call/reply and the service registry.
 * Each function returns -1 and sets errno on failure, as the Linux wrappers
 * do; docs/ipc.md lists every error. The numbers, rights, flags and structs
 * come from the kernel's own header.
 */
#include "../../../kernel/api/ipc.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* SYS_<name> for Osprey's calls, beside <sys/syscall.h>'s Linux ones. */
enum {
#define OSPREY_IPC_SYS_CONSTANT(name, number) SYS_##name = number,
    OSPREY_ENUMERATE_IPC_SYSCALLS(OSPREY_IPC_SYS_CONSTANT)
#undef OSPREY_IPC_SYS_CONSTANT
};

int port_create(unsigned flags);
int cap_duplicate(int handle, unsigned flags);
int cap_diminish(int handle, uint32_t rights, uint64_t lifetime_ns, unsigned flags);
int cap_close(int handle);
int cap_info(int handle, struct osprey_cap_info* info);

int port_send(int handle, const struct osprey_ipc_message* message, uint64_t timeout_ns);
int port_receive(int handle, struct osprey_ipc_message* message, uint64_t timeout_ns);
int port_call(
    int handle, const struct osprey_ipc_message* request, struct osprey_ipc_message* reply, uint64_t timeout_ns);
int port_reply(int reply_handle, const struct osprey_ipc_message* message);
int port_wait(struct osprey_ipc_wait_item* items, unsigned count, uint64_t timeout_ns);

int service_register(int handle, const char* name);
int service_withdraw(const char* name);
int service_lookup(const char* name, unsigned flags);
int service_list(struct osprey_service_entry* entries, unsigned capacity);

#ifdef __cplusplus
}
#endif
