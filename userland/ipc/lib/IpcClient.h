#pragma once

// A small C++ layer over Osprey's capability IPC (libc <osprey/ipc.h>,
// docs/ipc.md) for services and their clients. No exceptions and no heap:
// failures come back as -errno, handles close themselves.
//
//   osprey::ipc::ServiceClient echo;
//   if (int error = echo.connect("echo"); error < 0) ...
//   char reply[64]; uint32_t length = 0;
//   echo.call("hi", 2, reply, sizeof reply, length);
//
//   osprey::ipc::Service service;
//   service.start("echo");
//   osprey::ipc::Request request;
//   while (service.receive(request) == 0)
//       service.reply(request, request.payload, request.length);
#include <osprey/ipc.h>

namespace osprey::ipc {

// Owns one handle; closes it when destroyed.
class Handle {
public:
    Handle() = default;
    explicit Handle(int value)
        : m_value(value)
    {
    }
    Handle(Handle&& other);
    Handle& operator=(Handle&& other);
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() { reset(); }

    bool is_valid() const { return m_value >= 0; }
    int get() const { return m_value; }
    int release();
    void reset(int value = IPC_NO_HANDLE);

private:
    int m_value { IPC_NO_HANDLE };
};

// A message as a service receives it.
struct Request {
    int32_t sender { 0 };
    uint32_t type { 0 };
    uint32_t length { 0 };
    int reply_handle { IPC_NO_HANDLE }; // for port_reply; closed by reply()
    char payload[IPC_MAX_PAYLOAD + 1];  // NUL-terminated for text protocols
};

// A client of a registered service: a SEND-only handle from the registry.
class ServiceClient {
public:
    int connect(const char* name);
    // port_call: 0 or -errno (ENOENT before connect, EMSGSIZE, ECONNRESET, ...).
    int call(const void* request, uint32_t length, void* reply, uint32_t capacity, uint32_t& reply_length,
        uint64_t timeout_ns = IPC_NO_TIMEOUT);
    // A one-way Notification.
    int notify(const void* payload, uint32_t length);

private:
    Handle m_port;
};

// A service: a port registered under a name, which this process receives
// from. The registry keeps the only SEND right; the service keeps RECEIVE.
class Service {
public:
    int start(const char* name);
    // The next message; 0 or -errno (EINTR, ...).
    int receive(Request& request);
    // Answers a Request made with port_call; 0 or -errno (EPIPE: the caller is gone).
    int reply(Request& request, const void* payload, uint32_t length);

private:
    Handle m_port;
};

} // namespace osprey::ipc
