#pragma once

// One queued unit of an AF_UNIX receive queue (Linux's sk_buff for unix
// sockets): payload bytes, the sender's credentials, and the descriptions
// passed with SCM_RIGHTS. A datagram or seqpacket record is one message; a
// stream's bytes are a sequence of messages read across their boundaries.
#include <fs/vfs/OpenFile.h>
#include <kernel/lib/Error.h>
#include <kernel/lib/RefPtr.h>

namespace net {

class UnixSocket;

inline constexpr usize MAX_RIGHTS_PER_MESSAGE = 253; // Linux's SCM_MAX_FD

struct PeerCredentials {
    i32 pid { 0 };
    u32 uid { ~0u };
    u32 gid { ~0u };
};

// The descriptions of one SCM_RIGHTS transfer, in order.
class FileRights {
public:
    static ErrorOr<FileRights*> try_create(usize capacity);
    static void destroy(FileRights* rights);

    usize count() const { return m_count; }
    usize capacity() const { return m_capacity; }
    fs::OpenFile& at(usize index) const { return *m_files[index]; }
    void append(NonnullRefPtr<fs::OpenFile> file);
    // Moves the references out; `out` needs count() slots.
    void take_all(RefPtr<fs::OpenFile>* out);

private:
    FileRights() = default;

    usize m_count { 0 };
    usize m_capacity { 0 };
    RefPtr<fs::OpenFile>* m_files { nullptr };
};

struct Message {
    static ErrorOr<Message*> try_create(usize size);
    // Frees the payload; drops the rights and the sender reference. Must not
    // run under the socket lock (dropping a description may release a socket).
    static void destroy(Message* message);

    u8* data() { return reinterpret_cast<u8*>(this + 1); }
    usize unread() const { return size - consumed; }

    Message* next { nullptr };
    usize size { 0 };
    usize consumed { 0 }; // bytes a stream reader has taken already
    PeerCredentials credentials;
    FileRights* rights { nullptr };
    // The sending socket, charged `charge` bytes of its send buffer while
    // the message is queued.
    RefPtr<UnixSocket> sender;
    usize charge { 0 };
};

// A singly linked FIFO of messages.
class MessageQueue {
public:
    bool is_empty() const { return !m_head; }
    Message* head() const { return m_head; }
    usize count() const { return m_count; }
    usize bytes() const { return m_bytes; }
    void push(Message* message);
    Message* pop();
    // Moves every message of `other` to the end of this queue.
    void take_all(MessageQueue& other);
    // Unread bytes changed by a stream reader.
    void consumed(usize bytes) { m_bytes -= bytes; }
    // Frees every message (outside the socket lock).
    void destroy_all();

private:
    Message* m_head { nullptr };
    Message* m_tail { nullptr };
    usize m_count { 0 };
    usize m_bytes { 0 }; // unread payload bytes
};

} // namespace net
