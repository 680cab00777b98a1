// The console terminal (see Tty.h).
#include <fs/vfs/Readiness.h>
#include <kernel/console/Console.h>
#include <kernel/lib/Placement.h>
#include <kernel/sched/Scheduler.h>
#include <kernel/time/Clock.h>
#include <kernel/tty/JobControl.h>
#include <kernel/tty/Tty.h>
#include <kernel/user/UserPtr.h>

namespace tty {

namespace {

Tty* s_console = nullptr;

void console_input(char c)
{
    Tty::console().receive(static_cast<u8>(c));
}

// Output is written to the console in pieces this large, so the lock is
// not held for a whole large write.
constexpr usize WRITE_CHUNK = 256;

} // namespace

Tty& Tty::console()
{
    return *s_console;
}

ErrorOr<void> Tty::init_console_tty()
{
    if (s_console)
        return Error::from_errno(EEXIST);
    s_console = new (std::nothrow) Tty();
    if (!s_console)
        return Error::from_errno(ENOMEM);
    return {};
}

Tty::Tty()
    : m_discipline(*this)
{
}

void Tty::write_output(ReadonlyBytes bytes)
{
    console::write({ reinterpret_cast<const char*>(bytes.data()), bytes.size() });
}

void Tty::receive(u8 byte)
{
    int signal;
    int group;
    {
        SpinlockGuard guard(m_lock);
        signal = m_discipline.receive(byte, ktime::monotonic_ns());
        group = m_discipline.foreground_group();
    }
    m_input_generation.fetch_add(1, MemoryOrder::Release);
    if (sched::is_running())
        m_readers.wake_all();
    fs::readiness_changed(this);
    if (signal)
        send_terminal_signal(group, signal);
}

ErrorOr<usize> Tty::read(Bytes buffer, bool non_blocking)
{
    TRY(check_access(Access::Read, foreground_group()));
    if (buffer.size() == 0)
        return 0;
    u64 start = ktime::monotonic_ns();
    for (;;) {
        u64 generation = m_input_generation.load(MemoryOrder::Acquire);
        LineDiscipline::ReadOutcome outcome;
        {
            SpinlockGuard guard(m_lock);
            outcome = m_discipline.read(buffer, start, ktime::monotonic_ns());
        }
        if (outcome.kind == LineDiscipline::ReadOutcome::Kind::Data)
            return outcome.count;
        if (non_blocking)
            return Error::from_errno(EAGAIN);
        auto input_arrived = [&] {
            return m_input_generation.load(MemoryOrder::Acquire) != generation;
        };
        if (outcome.kind == LineDiscipline::ReadOutcome::Kind::WaitUntil)
            (void)m_readers.wait_until(input_arrived, outcome.deadline_ns); // a timeout is the answer
        else
            TRY(m_readers.wait_until_interruptible(input_arrived)); // EINTR for a signal
    }
}

ErrorOr<usize> Tty::write(ReadonlyBytes data)
{
    if (termios().c_lflag & lflag::STOP_ON_OUTPUT)
        TRY(check_access(Access::Write, foreground_group()));
    for (usize offset = 0; offset < data.size(); offset += WRITE_CHUNK) {
        usize count = data.size() - offset < WRITE_CHUNK ? data.size() - offset : WRITE_CHUNK;
        SpinlockGuard guard(m_lock);
        m_discipline.write(data.slice(offset, count));
    }
    return data.size();
}

ErrorOr<uptr> Tty::ioctl(u32 request, uptr argument)
{
    switch (request) {
    case ioctl::GET_ATTRIBUTES:
        TRY(user::copy_to_user(user::UserPtr<KernelTermios>(argument), termios()));
        return 0;
    case ioctl::SET_ATTRIBUTES:
    case ioctl::SET_ATTRIBUTES_DRAIN:
    case ioctl::SET_ATTRIBUTES_FLUSH: {
        TRY(check_access(Access::Configure, foreground_group()));
        KernelTermios fresh;
        TRY(user::copy_from_user(fresh, user::UserPtr<const KernelTermios>(argument)));
        set_termios(fresh, request == ioctl::SET_ATTRIBUTES_FLUSH);
        return 0;
    }
    case ioctl::GET_WINDOW_SIZE: {
        WindowSize size;
        {
            SpinlockGuard guard(m_lock);
            size = m_discipline.window_size();
        }
        TRY(user::copy_to_user(user::UserPtr<WindowSize>(argument), size));
        return 0;
    }
    case ioctl::SET_WINDOW_SIZE: {
        WindowSize size;
        TRY(user::copy_from_user(size, user::UserPtr<const WindowSize>(argument)));
        SpinlockGuard guard(m_lock);
        m_discipline.set_window_size(size);
        return 0;
    }
    case ioctl::GET_FOREGROUND_GROUP:
        TRY(user::copy_to_user(user::UserPtr<int>(argument), foreground_group()));
        return 0;
    case ioctl::SET_FOREGROUND_GROUP: {
        TRY(check_access(Access::Configure, foreground_group()));
        int group;
        TRY(user::copy_from_user(group, user::UserPtr<const int>(argument)));
        if (group < 0)
            return Error::from_errno(EINVAL);
        set_foreground_group(group);
        return 0;
    }
    case ioctl::BYTES_READABLE: {
        int count;
        {
            SpinlockGuard guard(m_lock);
            count = static_cast<int>(m_discipline.readable_bytes());
        }
        TRY(user::copy_to_user(user::UserPtr<int>(argument), count));
        return 0;
    }
    default:
        return Error::from_errno(ENOTTY);
    }
}

u32 Tty::poll_readiness() const
{
    SpinlockGuard guard(m_lock);
    u32 events = fs::poll_event::Out;
    if (m_discipline.can_read())
        events |= fs::poll_event::In;
    return events;
}

void Tty::attach()
{
    if (m_open_count.fetch_add(1, MemoryOrder::AcquireRelease) == 0)
        console::set_input_sink(console_input);
}

void Tty::detach()
{
    if (m_open_count.fetch_sub(1, MemoryOrder::AcquireRelease) == 1)
        console::set_input_sink(nullptr);
}

KernelTermios Tty::termios() const
{
    SpinlockGuard guard(m_lock);
    return m_discipline.termios();
}

void Tty::set_termios(const KernelTermios& termios, bool flush)
{
    {
        SpinlockGuard guard(m_lock);
        m_discipline.set_termios(termios, flush);
    }
    // A mode change may make input readable (leaving canonical mode).
    m_input_generation.fetch_add(1, MemoryOrder::Release);
    if (sched::is_running())
        m_readers.wake_all();
    fs::readiness_changed(this);
}

int Tty::foreground_group() const
{
    SpinlockGuard guard(m_lock);
    return m_discipline.foreground_group();
}

void Tty::set_foreground_group(int group)
{
    SpinlockGuard guard(m_lock);
    m_discipline.set_foreground_group(group);
}

ErrorOr<NonnullRefPtr<fs::OpenFile>> TtyFile::open(fs::Location location, u32 flags)
{
    auto file
        = TRY(adopt_nonnull_ref_or_enomem(new (std::nothrow) TtyFile(lib::move(location), flags, Tty::console())));
    return NonnullRefPtr<fs::OpenFile>(lib::move(file));
}

TtyFile::TtyFile(fs::Location location, u32 flags, Tty& tty)
    : DeviceFile(lib::move(location), flags)
    , m_tty(tty)
{
    m_tty.attach();
}

TtyFile::~TtyFile()
{
    m_tty.detach();
}

ErrorOr<usize> TtyFile::read(Bytes buffer)
{
    return m_tty.read(buffer, flags() & fs::open_flag::NonBlocking);
}

ErrorOr<usize> TtyFile::write(ReadonlyBytes data)
{
    return m_tty.write(data);
}

ErrorOr<uptr> TtyFile::ioctl(u32 request, uptr argument)
{
    return m_tty.ioctl(request, argument);
}

u32 TtyFile::poll_readiness() const
{
    return m_tty.poll_readiness();
}

} // namespace tty
