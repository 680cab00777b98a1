#pragma once

// A port: a kernel object with a bounded message queue, reached only
// through handles (seed section 1.3; docs/ipc.md). Port adds locking and
// blocking to PortQueue; PortRef is one counted endpoint of a port.
//
// Endpoints: every PortRef (a handle table entry, a capability travelling
// in a message, a registry entry) counts as a sender when its rights hold
// SEND and as a receiver when they hold RECEIVE. When the last receiver
// goes, the queue is destroyed (closing the capabilities inside) and
// blocked senders wake with EPIPE; when the last sender goes, a receiver
// blocked on an empty queue wakes with ECONNRESET.
//
// Blocking: one wait queue per port for its senders and receivers. Each
// state change that can unblock someone bumps m_events under m_lock and
// wakes the queue after unlocking (without an immediate switch; see
// notify()); a waiter sleeps until m_events moves from the value it saw
// under the lock, so no wake-up is lost. port_wait
// (several handles) sleeps on the global queue of PortEvents.h instead.
//
// Locking: m_lock (a spinlock) guards m_queue. Nothing is allocated or
// freed under it: drained messages are destroyed after it is released.
#include <ipc/PortQueue.h>
#include <ipc/Rights.h>
#include <kernel/lib/Atomic.h>
#include <kernel/lib/RefPtr.h>
#include <kernel/lib/Spinlock.h>
#include <kernel/sched/WaitQueue.h>

namespace ipc {

class Message;

// How long a call may block: not at all (EAGAIN), until a monotonic
// deadline (ETIMEDOUT), or forever (deadline NO_DEADLINE). Always
// interruptible by a signal (EINTR).
struct Wait {
    bool may_block;
    u64 deadline_ns;

    // From a user timeout in ns: 0 = no wait, IPC_NO_TIMEOUT = forever.
    static Wait from_timeout(u64 timeout_ns);
};

class Port : public RefCounted<Port> {
public:
    static ErrorOr<NonnullRefPtr<Port>> try_create();
    ~Port();

    u64 id() const { return m_id; }

    void attach(Endpoint endpoint);
    // May destroy queued messages (the last receiver): call with no lock held.
    void detach(Endpoint endpoint);

    // Queues `message`; on success the port owns it. EPIPE (no receiver),
    // EAGAIN (full, no wait), ETIMEDOUT, EINTR.
    ErrorOr<void> send(Message& message, const Wait& wait);
    // Takes the oldest message. It stays queued, and the call fails, when
    // its payload exceeds `payload_capacity` (EMSGSIZE) or it carries more
    // handles than `free_handles` (EMFILE). ECONNRESET (empty, no sender
    // left), EAGAIN (empty, no wait), ETIMEDOUT, EINTR.
    ErrorOr<Message*> receive(u32 payload_capacity, usize free_handles, const Wait& wait);

    // IPC_READABLE / IPC_WRITABLE among `events` that hold now.
    u16 poll(u16 events);

    Port(u64 id)
        : m_id(id)
    {
    }

private:
    void notify();

    u64 m_id;
    Spinlock m_lock;
    PortQueue m_queue;       // guarded by m_lock
    Atomic<u64> m_events {}; // bumped under m_lock
    sched::WaitQueue m_waiters;
};

// One counted endpoint of a port (see above). Move-only; dropping it
// detaches. Empty when default-constructed or moved from.
class PortRef {
public:
    PortRef() = default;
    static PortRef attach(Port& port, Rights rights);
    PortRef(PortRef&& other);
    PortRef& operator=(PortRef&& other);
    PortRef(const PortRef&) = delete;
    PortRef& operator=(const PortRef&) = delete;
    ~PortRef() { reset(); }

    // Another endpoint of the same port with `rights`.
    PortRef copy(Rights rights) const { return attach(*m_port, rights); }
    Port* port() const { return m_port.ptr(); }
    explicit operator bool() const { return !m_port.is_null(); }
    void reset();

private:
    RefPtr<Port> m_port;
    Endpoint m_endpoint { Endpoint::None };
};

} // namespace ipc
