// Ports and port endpoints; see Port.h.
#include <ipc/Message.h>
#include <ipc/Port.h>
#include <ipc/PortEvents.h>
#include <kernel/time/Clock.h>

namespace ipc {

namespace {

constinit Atomic<u64> s_next_port_id { 1 };

} // namespace

Wait Wait::from_timeout(u64 timeout_ns)
{
    if (timeout_ns == 0)
        return { false, 0 };
    if (timeout_ns == IPC_NO_TIMEOUT)
        return { true, sched::NO_DEADLINE };
    return { true, sched::deadline_after(ktime::monotonic_ns(), timeout_ns) };
}

ErrorOr<NonnullRefPtr<Port>> Port::try_create()
{
    return try_make_ref_counted<Port>(s_next_port_id.fetch_add(1));
}

Port::~Port() = default;

// Wakes the waiters without switching to them here: a sender keeps the CPU
// until it blocks or the scheduler preempts it at its next tick, so a burst
// of sends fills the queue and the receiver takes it in one go (one switch
// per burst, not two per message). A caller that waits for an answer
// (port_call) blocks at once, so round trips are not delayed.
void Port::notify()
{
    {
        SpinlockGuard guard(sched::Scheduler::lock());
        (void)m_waiters.wake_all_locked();
    }
    port_events::signal();
}

void Port::attach(Endpoint endpoint)
{
    SpinlockGuard guard(m_lock);
    m_queue.add_endpoint(endpoint);
}

void Port::detach(Endpoint endpoint)
{
    MessageList drained;
    bool wake = false;
    {
        SpinlockGuard guard(m_lock);
        m_queue.remove_endpoint(endpoint, drained, wake);
        if (wake)
            m_events.fetch_add(1);
    }
    if (wake)
        notify();
    // Outside the lock: destroying a message closes the capabilities in it,
    // which may detach from other ports (or this one again).
    while (QueuedMessage* queued = drained.pop_front())
        Message::destroy(static_cast<Message*>(queued));
}

ErrorOr<void> Port::send(Message& message, const Wait& wait)
{
    for (;;) {
        u64 seen = 0;
        bool wake = false;
        {
            SpinlockGuard guard(m_lock);
            switch (m_queue.enqueue(message, wake)) {
            case PortQueue::SendOutcome::Queued:
                m_events.fetch_add(1);
                break;
            case PortQueue::SendOutcome::NoReceiver:
                return Error::from_errno(EPIPE);
            case PortQueue::SendOutcome::Full:
                seen = m_events.load();
                break;
            }
        }
        if (wake) {
            notify();
            return {};
        }
        if (!wait.may_block)
            return Error::from_errno(EAGAIN);
        TRY(m_waiters.wait_until_interruptible([&] { return m_events.load() != seen; }, wait.deadline_ns));
    }
}

ErrorOr<Message*> Port::receive(u32 payload_capacity, usize free_handles, const Wait& wait)
{
    for (;;) {
        u64 seen = 0;
        bool wake = false;
        QueuedMessage* taken = nullptr;
        {
            SpinlockGuard guard(m_lock);
            if (QueuedMessage* front = m_queue.front()) {
                auto& message = *static_cast<Message*>(front);
                if (message.payload_length > payload_capacity)
                    return Error::from_errno(EMSGSIZE);
                if (message.handle_count() > free_handles)
                    return Error::from_errno(EMFILE);
            }
            switch (m_queue.dequeue(taken, wake)) {
            case PortQueue::ReceiveOutcome::Received:
                if (wake)
                    m_events.fetch_add(1);
                break;
            case PortQueue::ReceiveOutcome::NoSender:
                return Error::from_errno(ECONNRESET);
            case PortQueue::ReceiveOutcome::Empty:
                seen = m_events.load();
                break;
            }
        }
        if (taken) {
            if (wake)
                notify();
            return static_cast<Message*>(taken);
        }
        if (!wait.may_block)
            return Error::from_errno(EAGAIN);
        TRY(m_waiters.wait_until_interruptible([&] { return m_events.load() != seen; }, wait.deadline_ns));
    }
}

u16 Port::poll(u16 events)
{
    SpinlockGuard guard(m_lock);
    u16 ready = 0;
    if ((events & IPC_READABLE) && m_queue.is_readable())
        ready |= IPC_READABLE;
    if ((events & IPC_WRITABLE) && m_queue.is_writable())
        ready |= IPC_WRITABLE;
    return ready;
}

PortRef PortRef::attach(Port& port, Rights rights)
{
    PortRef reference;
    reference.m_port = port;
    reference.m_endpoint = endpoint_for(rights);
    port.attach(reference.m_endpoint);
    return reference;
}

PortRef::PortRef(PortRef&& other)
    : m_port(lib::move(other.m_port))
    , m_endpoint(other.m_endpoint)
{
    other.m_endpoint = Endpoint::None;
}

PortRef& PortRef::operator=(PortRef&& other)
{
    if (this != &other) {
        reset();
        m_port = lib::move(other.m_port);
        m_endpoint = other.m_endpoint;
        other.m_endpoint = Endpoint::None;
    }
    return *this;
}

void PortRef::reset()
{
    if (m_port.is_null())
        return;
    RefPtr<Port> port = lib::move(m_port);
    port->detach(m_endpoint);
    m_endpoint = Endpoint::None;
}

} // namespace ipc
