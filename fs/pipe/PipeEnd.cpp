// Pipe ends: the blocking loops over Pipe's non-blocking operations (see
// PipeEnd.h for the rules).
#include <fs/pipe/PipeEnd.h>
#include <fs/pipe/WaitHooks.h>
#include <fs/vfs/Readiness.h>
#include <kernel/lib/Placement.h>

namespace fs {

namespace {

struct WriteWait {
    const Pipe* pipe;
    usize needed; // room the write waits for
};

bool readable_or_hung_up(const void* argument)
{
    auto* pipe = static_cast<const Pipe*>(argument);
    return pipe->used() > 0 || pipe->writers() == 0;
}

bool writable_or_broken(const void* argument)
{
    auto* wait = static_cast<const WriteWait*>(argument);
    return wait->pipe->free_space() >= wait->needed || wait->pipe->readers() == 0;
}

// Every change that wakes blocked readers and writers may change what
// poll reports for either end (the ends share the Pipe as readiness key).
void wake(const Pipe& pipe)
{
    if (const WaitHooks* hooks = wait_hooks())
        hooks->wake(&pipe);
    readiness_changed(&pipe);
}

} // namespace

ErrorOr<NonnullRefPtr<PipeEnd>> PipeEnd::try_create(NonnullRefPtr<Pipe> pipe, PipeSide side, u32 flags)
{
    u32 access_mode = side == PipeSide::Read ? open_flag::ReadOnly : open_flag::WriteOnly;
    u32 status = (flags & open_flag::NonBlocking) | access_mode;
    return adopt_nonnull_ref_or_enomem(new (std::nothrow) PipeEnd(lib::move(pipe), side, status));
}

PipeEnd::PipeEnd(NonnullRefPtr<Pipe> pipe, PipeSide side, u32 flags)
    : OpenFile(flags)
    , m_pipe(lib::move(pipe))
    , m_side(side)
{
    m_pipe->open_end(m_side);
}

PipeEnd::~PipeEnd()
{
    m_pipe->close_end(m_side);
    wake(*m_pipe);
}

ErrorOr<usize> PipeEnd::read(Bytes buffer)
{
    if (m_side != PipeSide::Read)
        return Error::from_errno(EBADF);
    if (buffer.size() == 0)
        return 0;
    for (;;) {
        auto result = m_pipe->try_read(buffer);
        if (!result.is_error()) {
            if (result.value() > 0)
                wake(*m_pipe);
            return result;
        }
        const WaitHooks* hooks = wait_hooks();
        if ((flags() & open_flag::NonBlocking) || !hooks)
            return result;
        if (wait_interrupted())
            return Error::from_errno(EINTR);
        hooks->wait(m_pipe.ptr(), readable_or_hung_up, m_pipe.ptr());
    }
}

ErrorOr<usize> PipeEnd::write(ReadonlyBytes data)
{
    if (m_side != PipeSide::Write)
        return Error::from_errno(EBADF);
    bool atomic = data.size() <= PIPE_ATOMIC_SIZE;
    usize written = 0;
    while (written < data.size()) {
        auto result = m_pipe->try_write(data.slice(written), atomic);
        if (!result.is_error()) {
            written += result.value();
            wake(*m_pipe);
            continue;
        }
        // EPIPE or EAGAIN after part of a large write: report the part.
        if (written > 0 && (result.error().code() == EPIPE || (flags() & open_flag::NonBlocking)))
            return written;
        const WaitHooks* hooks = wait_hooks();
        if (result.error().code() != EAGAIN || (flags() & open_flag::NonBlocking) || !hooks)
            return result.release_error();
        if (wait_interrupted())
            return written > 0 ? ErrorOr<usize>(written) : Error::from_errno(EINTR);
        WriteWait wait { m_pipe.ptr(), atomic ? data.size() : 1 };
        hooks->wait(m_pipe.ptr(), writable_or_broken, &wait);
    }
    return written;
}

ErrorOr<Attributes> PipeEnd::stat() const
{
    Attributes attributes;
    attributes.inode = m_pipe->id();
    attributes.mode = mode::Fifo | 0600;
    attributes.link_count = 1;
    attributes.size = m_pipe->used();
    attributes.block_size = PIPE_ATOMIC_SIZE;
    return attributes;
}

u32 PipeEnd::poll_readiness() const
{
    u32 events = 0;
    if (m_side == PipeSide::Read) {
        if (m_pipe->used() > 0)
            events |= poll_event::In;
        if (m_pipe->writers() == 0)
            events |= poll_event::HangUp;
    } else {
        if (m_pipe->free_space() >= PIPE_ATOMIC_SIZE)
            events |= poll_event::Out;
        if (m_pipe->readers() == 0)
            events |= poll_event::Error;
    }
    return events;
}

ErrorOr<PipeEnds> create_pipe(u32 flags)
{
    if (flags & ~(open_flag::NonBlocking | open_flag::CloseOnExec))
        return Error::from_errno(EINVAL);
    auto pipe = TRY(Pipe::try_create());
    auto read_end = TRY(PipeEnd::try_create(pipe, PipeSide::Read, flags));
    auto write_end = TRY(PipeEnd::try_create(pipe, PipeSide::Write, flags));
    return PipeEnds { lib::move(read_end), lib::move(write_end) };
}

} // namespace fs
