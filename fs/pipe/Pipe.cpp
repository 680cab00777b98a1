// The pipe ring buffer (see Pipe.h for the semantics and the locking).
#include <fs/pipe/Pipe.h>
#include <kernel/lib/Allocator.h>
#include <kernel/lib/Assertions.h>
#include <kernel/lib/Placement.h>

namespace fs {

namespace {
Atomic<u64> s_next_pipe_id { 1 };
}

ErrorOr<NonnullRefPtr<Pipe>> Pipe::try_create()
{
    auto* ring = static_cast<u8*>(lib::allocate(PIPE_CAPACITY));
    if (!ring)
        return Error::from_errno(ENOMEM);
    auto* pipe = new (std::nothrow) Pipe(ring, s_next_pipe_id.fetch_add(1, MemoryOrder::Relaxed));
    if (!pipe) {
        lib::deallocate(ring);
        return Error::from_errno(ENOMEM);
    }
    return adopt_ref(*pipe);
}

Pipe::Pipe(u8* ring, u64 id)
    : m_ring(ring)
    , m_id(id)
{
}

Pipe::~Pipe()
{
    lib::deallocate(m_ring);
}

ErrorOr<usize> Pipe::try_read(Bytes buffer)
{
    SpinlockGuard guard(m_lock);
    usize used = m_used.load(MemoryOrder::Relaxed);
    if (used == 0) {
        if (m_writers.load(MemoryOrder::Relaxed) == 0)
            return 0;
        return Error::from_errno(EAGAIN);
    }
    usize count = buffer.size() < used ? buffer.size() : used;
    // At most two pieces: up to the end of the ring, then from its start.
    usize first = PIPE_CAPACITY - m_head;
    if (first > count)
        first = count;
    __builtin_memcpy(buffer.data(), m_ring + m_head, first);
    __builtin_memcpy(buffer.data() + first, m_ring, count - first);
    m_head = (m_head + count) % PIPE_CAPACITY;
    m_used.store(used - count, MemoryOrder::Release);
    return count;
}

ErrorOr<usize> Pipe::try_write(ReadonlyBytes data, bool atomic)
{
    SpinlockGuard guard(m_lock);
    if (m_readers.load(MemoryOrder::Relaxed) == 0)
        return Error::from_errno(EPIPE);
    usize used = m_used.load(MemoryOrder::Relaxed);
    usize room = PIPE_CAPACITY - used;
    if (data.size() == 0)
        return 0;
    if (room == 0 || (atomic && room < data.size()))
        return Error::from_errno(EAGAIN);
    usize count = data.size() < room ? data.size() : room;
    usize tail = (m_head + used) % PIPE_CAPACITY;
    usize first = PIPE_CAPACITY - tail;
    if (first > count)
        first = count;
    __builtin_memcpy(m_ring + tail, data.data(), first);
    __builtin_memcpy(m_ring, data.data() + first, count - first);
    m_used.store(used + count, MemoryOrder::Release);
    return count;
}

void Pipe::open_end(PipeSide side)
{
    SpinlockGuard guard(m_lock);
    auto& count = side == PipeSide::Read ? m_readers : m_writers;
    count.store(count.load(MemoryOrder::Relaxed) + 1, MemoryOrder::Release);
}

void Pipe::close_end(PipeSide side)
{
    SpinlockGuard guard(m_lock);
    auto& count = side == PipeSide::Read ? m_readers : m_writers;
    u32 value = count.load(MemoryOrder::Relaxed);
    LIB_VERIFY(value > 0);
    count.store(value - 1, MemoryOrder::Release);
}

} // namespace fs
