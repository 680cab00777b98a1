#pragma once

// Sockets whose state an operation changed, notified (UnixSocket::notify)
// when the list goes out of scope: declare it before taking unix_lock(), so
// the notifications run after the lock is dropped.
#include <net/unix/UnixSocket.h>

namespace net {

class NotifyList {
public:
    NotifyList() = default;
    NotifyList(const NotifyList&) = delete;
    NotifyList& operator=(const NotifyList&) = delete;

    void add(UnixSocket* socket, u8 changes = change::All)
    {
        if (!socket)
            return;
        for (usize i = 0; i < m_count; ++i) {
            if (m_sockets[i] == socket) {
                m_changes[i] |= changes;
                return;
            }
        }
        if (m_count < CAPACITY) {
            m_changes[m_count] = changes;
            m_sockets[m_count++] = socket;
        }
    }

    ~NotifyList()
    {
        for (usize i = 0; i < m_count; ++i)
            m_sockets[i]->notify(m_changes[i]);
    }

private:
    static constexpr usize CAPACITY = 8;
    RefPtr<UnixSocket> m_sockets[CAPACITY];
    u8 m_changes[CAPACITY] {};
    usize m_count { 0 };
};

} // namespace net
