#pragma once

// The two open file descriptions of a pipe, what pipe(2) installs in the fd
// table: a read end and a write end sharing one Pipe (Pipe.h).
//
// Blocking (unless O_NONBLOCK): a read waits while the pipe is empty and a
// writer remains; a write waits while there is no room and a reader
// remains (for a write of at most PIPE_ATOMIC_SIZE bytes, room for all of it). A
// write larger than PIPE_ATOMIC_SIZE returns once everything is written, or with
// the partial count when the last reader goes away (EPIPE if nothing was
// written). A non-blocking write returns what fit (EAGAIN if nothing).
// Waiting goes through the fs wait hooks keyed on the Pipe; every read,
// write and close wakes the key.
//
// Each end counts once in the Pipe from creation to destruction of its
// description, so the last close() of the last fd sharing a write end
// (dup, fork) is what readers see as EOF.
#include <fs/pipe/Pipe.h>
#include <fs/vfs/OpenFile.h>

namespace fs {

class PipeEnd final : public OpenFile {
public:
    static ErrorOr<NonnullRefPtr<PipeEnd>> try_create(NonnullRefPtr<Pipe> pipe, PipeSide side, u32 flags);
    ~PipeEnd() override;

    ErrorOr<usize> read(Bytes buffer) override;
    ErrorOr<usize> write(ReadonlyBytes data) override;
    ErrorOr<Attributes> stat() const override;
    u32 poll_readiness() const override;
    const void* readiness_key() const override { return m_pipe.ptr(); }
    StringView kind_name() const override { return "pipe"; }

    Pipe& pipe() const { return *m_pipe; }
    PipeSide side() const { return m_side; }

private:
    PipeEnd(NonnullRefPtr<Pipe> pipe, PipeSide side, u32 flags);

    NonnullRefPtr<Pipe> m_pipe;
    PipeSide m_side;
};

struct PipeEnds {
    NonnullRefPtr<OpenFile> read_end;
    NonnullRefPtr<OpenFile> write_end;
};

// pipe2(2): `flags` may hold O_NONBLOCK and O_CLOEXEC (EINVAL otherwise;
// O_CLOEXEC is the fd table's to honour). ENOMEM.
ErrorOr<PipeEnds> create_pipe(u32 flags);

} // namespace fs
