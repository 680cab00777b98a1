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

    void add(UnixSocket* socket)
    {
        if (!socket)
            return;
        for (usize i = 0; i < m_count; ++i) {
            if (m_sockets[i] == socket)
                return;
        }
        if (m_count < CAPACITY)
            m_sockets[m_count++] = socket;
    }

    ~NotifyList()
    {
        for (usize i = 0; i < m_count; ++i)
            m_sockets[i]->notify();
    }

private:
    static constexpr usize CAPACITY = 8;
    RefPtr<UnixSocket> m_sockets[CAPACITY];
    usize m_count { 0 };
};

} // namespace net
