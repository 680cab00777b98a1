// The collector of unreachable in-flight sockets (see Collector.h).
#include <net/socket/SocketFile.h>
#include <net/unix/Collector.h>
#include <net/unix/Notify.h>
#include <net/unix/UnixSocket.h>

namespace net {

namespace {

constinit Atomic<usize> s_in_flight { 0 };

} // namespace

usize sockets_in_flight()
{
    return s_in_flight.load(MemoryOrder::Relaxed);
}

void Collector::rights_queued_locked(const FileRights& rights)
{
    for (usize i = 0; i < rights.count(); ++i) {
        if (UnixSocket* socket = unix_socket_of(rights.at(i))) {
            ++socket->m_in_flight;
            s_in_flight.fetch_add(1, MemoryOrder::Relaxed);
        }
    }
}

void Collector::rights_dequeued_locked(const FileRights& rights)
{
    for (usize i = 0; i < rights.count(); ++i) {
        if (UnixSocket* socket = unix_socket_of(rights.at(i))) {
            --socket->m_in_flight;
            s_in_flight.fetch_sub(1, MemoryOrder::Relaxed);
        }
    }
}

// Marks live the sockets whose descriptions `socket`'s queue holds; true
// if that found any not yet marked.
bool Collector::mark_queue_live(UnixSocket& socket)
{
    bool changed = false;
    for (Message* message = socket.m_queue.head(); message; message = message->next) {
        if (!message->rights)
            continue;
        for (usize i = 0; i < message->rights->count(); ++i) {
            UnixSocket* held = unix_socket_of(message->rights->at(i));
            if (held && !held->m_gc_live) {
                held->m_gc_live = true;
                changed = true;
            }
        }
    }
    return changed;
}

usize Collector::collect()
{
    MessageQueue garbage;
    usize unreachable = 0;
    {
        NotifyList notify;
        SpinlockGuard guard(unix_lock());
        SpinlockGuard all_guard(UnixSocket::all_sockets_lock());
        // Candidates: every reference to the description is a queued one.
        // `m_gc_live` marks the sockets known to be reachable.
        for (UnixSocket* socket = UnixSocket::all_sockets_head(); socket; socket = socket->m_all_next) {
            bool candidate
                = socket->m_file && socket->m_in_flight > 0 && socket->m_file->ref_count() == socket->m_in_flight;
            socket->m_gc_candidate = candidate;
            socket->m_gc_live = !candidate;
        }
        // Whatever a live socket's queue holds is live, and so is what the
        // queues of its pending connections hold (they belong to it, and
        // are reachable only through it); repeat until nothing changes.
        bool changed = true;
        while (changed) {
            changed = false;
            for (UnixSocket* socket = UnixSocket::all_sockets_head(); socket; socket = socket->m_all_next) {
                if (!socket->m_gc_live || socket->m_pending_in_listener)
                    continue;
                changed |= mark_queue_live(*socket);
                for (UnixSocket* pending = socket->m_pending_head; pending; pending = pending->m_pending_next)
                    changed |= mark_queue_live(*pending);
            }
        }
        for (UnixSocket* socket = UnixSocket::all_sockets_head(); socket; socket = socket->m_all_next) {
            if (!socket->m_gc_candidate || socket->m_gc_live)
                continue;
            ++unreachable;
            socket->collect_into_locked(garbage, notify);
            for (UnixSocket* pending = socket->m_pending_head; pending; pending = pending->m_pending_next)
                pending->collect_into_locked(garbage, notify);
        }
    }
    // Dropping the queued references releases the unreachable sockets.
    garbage.destroy_all();
    return unreachable;
}

void collect_garbage_if_needed()
{
    if (sockets_in_flight() > 0)
        Collector::collect();
}

} // namespace net
