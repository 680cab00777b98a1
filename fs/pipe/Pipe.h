#pragma once

// The shared state of one pipe: a bounded ring buffer and the counts of its
// open read and write ends. Its operations never block; they say EAGAIN
// when they would have to wait, and PipeEnd.cpp loops over them with the
// wait hooks (WaitHooks.h) for blocking descriptions.
//
// Semantics are Linux's pipe(7):
//   - capacity PIPE_CAPACITY (64 KiB, Linux's default pipe size);
//   - a write of at most PIPE_ATOMIC_SIZE bytes is atomic: all of it goes in at once
//     or none (EAGAIN until there is room for all of it); a larger write may
//     be split, taking whatever room there is;
//   - a read takes what is there (up to the buffer's size); with nothing
//     there it is EOF (0) when no writer remains, else EAGAIN;
//   - a write with no reader left is EPIPE. The SIGPIPE Linux also sends is
//     the signal code's business: callers that see EPIPE from a pipe raise it.
//
// Locking: m_lock (a leaf spinlock) guards the ring and the counts. The
// used-byte count and the end counts are mirrored in atomics so that wait
// conditions can read them without the lock (WaitHooks.h forbids locks
// there). Nothing is allocated under the lock: the ring is allocated once.
#include <kernel/lib/Atomic.h>
#include <kernel/lib/Error.h>
#include <kernel/lib/RefPtr.h>
#include <kernel/lib/Span.h>
#include <kernel/lib/Spinlock.h>

namespace fs {

inline constexpr usize PIPE_CAPACITY = 64 * 1024;
inline constexpr usize PIPE_ATOMIC_SIZE = 4096; // POSIX PIPE_BUF (the macro name collides with host headers)

enum class PipeSide : u8 {
    Read,
    Write,
};

class Pipe : public RefCounted<Pipe> {
public:
    // A pipe with no ends open yet (open_end adds them). ENOMEM.
    static ErrorOr<NonnullRefPtr<Pipe>> try_create();
    ~Pipe();

    // Copies out up to buffer.size() bytes: the count, 0 at EOF (empty and
    // no writers), EAGAIN if empty while a writer exists.
    ErrorOr<usize> try_read(Bytes buffer);
    // Copies in as the header describes: `atomic` asks for all-or-nothing
    // (a write of at most PIPE_ATOMIC_SIZE bytes). The count, EPIPE without
    // readers, EAGAIN without room.
    ErrorOr<usize> try_write(ReadonlyBytes data, bool atomic);

    void open_end(PipeSide side);
    void close_end(PipeSide side);

    usize used() const { return m_used.load(MemoryOrder::Acquire); }
    usize free_space() const { return PIPE_CAPACITY - used(); }
    u32 readers() const { return m_readers.load(MemoryOrder::Acquire); }
    u32 writers() const { return m_writers.load(MemoryOrder::Acquire); }
    // An identity for stat's st_ino (unique among live pipes).
    u64 id() const { return m_id; }

private:
    Pipe(u8* ring, u64 id);

    mutable Spinlock m_lock;
    u8* m_ring;                  // PIPE_CAPACITY bytes, owned
    usize m_head { 0 };          // index of the oldest byte; guarded by m_lock
    Atomic<usize> m_used { 0 };  // written under m_lock
    Atomic<u32> m_readers { 0 }; // written under m_lock
    Atomic<u32> m_writers { 0 }; // written under m_lock
    u64 m_id;
};

} // namespace fs
