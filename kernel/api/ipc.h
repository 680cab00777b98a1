#pragma once

// Osprey's capability IPC: the system calls, rights, message layout and
// limits shared by the kernel (ipc/, kernel/syscalls/Ipc.cpp), libc
// (libc/include/osprey/ipc.h) and the tests. docs/ipc.md is the reference
// for every call, its rights and its errors.
//
// These calls sit beside the Linux ABI (kernel/api/syscalls.h) at numbers
// from 1024 up, which Linux will not reach, in a table of their own so the
// Linux table stays comparable with the host's unistd_64.h.
//
// Plain C preprocessor and C types only: included by C++ kernel code and by
// C user programs.

#include <stdint.h>

#define OSPREY_IPC_SYSCALL_BASE 1024

// X(name, number), in number order, dense from OSPREY_IPC_SYSCALL_BASE.
#define OSPREY_ENUMERATE_IPC_SYSCALLS(X) \
    X(port_create, 1024)                 \
    X(cap_duplicate, 1025)               \
    X(cap_diminish, 1026)                \
    X(cap_close, 1027)                   \
    X(cap_info, 1028)                    \
    X(port_send, 1029)                   \
    X(port_receive, 1030)                \
    X(port_call, 1031)                   \
    X(port_reply, 1032)                  \
    X(port_wait, 1033)                   \
    X(service_register, 1034)            \
    X(service_withdraw, 1035)            \
    X(service_lookup, 1036)              \
    X(service_list, 1037)

// Rights a handle carries (seed section 1.1, CapabilityRights).
#define IPC_RIGHT_READ      (1u << 0)
#define IPC_RIGHT_WRITE     (1u << 1)
#define IPC_RIGHT_EXECUTE   (1u << 2)
#define IPC_RIGHT_SEND      (1u << 3)
#define IPC_RIGHT_RECEIVE   (1u << 4)
#define IPC_RIGHT_DUPLICATE (1u << 5)
#define IPC_RIGHT_TRANSFER  (1u << 6)
#define IPC_RIGHT_DIMINISH  (1u << 7)
#define IPC_RIGHTS_ALL      0xffu
// What port_create gives the creator.
#define IPC_RIGHTS_PORT_CREATOR \
    (IPC_RIGHT_SEND | IPC_RIGHT_RECEIVE | IPC_RIGHT_DUPLICATE | IPC_RIGHT_TRANSFER | IPC_RIGHT_DIMINISH)

// Handle flags (port_create, cap_duplicate, cap_diminish, service_lookup).
#define IPC_CLOEXEC          1u // closed by execve

// Object types (cap_info).
#define IPC_OBJECT_PORT      1u

// Message types (seed section 1.2, MessageType).
#define IPC_MSG_DATA         0u
#define IPC_MSG_REQUEST      1u
#define IPC_MSG_REPLY        2u
#define IPC_MSG_NOTIFICATION 3u

// Limits.
#define IPC_MAX_PAYLOAD      4096u
#define IPC_MAX_CAPS         8u
#define IPC_QUEUE_LIMIT      64u
#define IPC_HANDLE_LIMIT     128u
#define IPC_SERVICE_NAME_MAX 31u // bytes, without the NUL
#define IPC_SERVICE_LIMIT    64u
#define IPC_WAIT_MAX         64u

// Timeouts for port_send, port_receive, port_call and port_wait, in ns:
// 0 does not wait (EAGAIN), IPC_NO_TIMEOUT waits until something happens.
#define IPC_NO_TIMEOUT       UINT64_MAX

// No handle (osprey_ipc_message.reply_handle).
#define IPC_NO_HANDLE        (-1)

/* C structs shared with libc: their names follow C, not the kernel's style. */
/* NOLINTBEGIN(readability-identifier-naming) */
// One message, as port_send reads it and port_receive writes it.
//   send:    type, payload_length, payload, cap_count, caps[] are read;
//            sender and reply_handle are ignored (the kernel fills them in).
//   receive: payload and payload_capacity are read; sender, type,
//            payload_length, cap_count, caps[] (the new handles) and
//            reply_handle (a handle to answer with port_reply, for a
//            Request made by port_call; IPC_NO_HANDLE otherwise) are written.
struct osprey_ipc_message {
    int32_t sender;
    uint32_t type;
    uint32_t payload_length;
    uint32_t cap_count;
    int32_t reply_handle;
    uint32_t payload_capacity;
    void* payload;
    int32_t caps[IPC_MAX_CAPS];
};

// cap_info's answer. expiry_ns: CLOCK_MONOTONIC time after which every use
// but cap_info and cap_close fails with ETIME; 0 for none.
struct osprey_cap_info {
    uint32_t object_type;
    uint32_t rights;
    uint32_t flags;
    uint32_t reserved;
    uint64_t object_id; // the same for every handle to one object
    uint64_t expiry_ns;
};

// port_wait: one entry per handle, as poll(2).
#define IPC_READABLE 1u // port_receive would not block (a message, or no sender left)
#define IPC_WRITABLE 2u // port_send would not block (room, or no receiver left)
struct osprey_ipc_wait_item {
    int32_t handle;
    uint16_t events;
    uint16_t revents;
};

// service_list: one entry per registered name.
struct osprey_service_entry {
    char name[IPC_SERVICE_NAME_MAX + 1]; // NUL-terminated
    int32_t owner_pid;
    uint32_t reserved;
};
/* NOLINTEND(readability-identifier-naming) */
