#pragma once

// A terminal: a LineDiscipline (LineDiscipline.h) joined to a device, and
// the open file kind for /dev/console and /dev/tty. Osprey has one
// terminal, the console: its input comes from kernel/console's input sink
// while any description of it is open (otherwise kshell reads the
// console), its output goes to console::write.
//
// Reads block on m_readers until the discipline has data for them (or
// VTIME's deadline passes); every input byte bumps m_input_generation and
// wakes the queue, and a waiter sleeps only while the generation it saw is
// current, so no byte is missed. O_NONBLOCK gives EAGAIN.
//
// ioctls (arguments are user pointers): TCGETS, TCSETS, TCSETSW (output is
// synchronous, so the same as TCSETS), TCSETSF, TIOCGWINSZ, TIOCSWINSZ
// (80x25 at start), TIOCGPGRP, TIOCSPGRP (stored; the process code checks
// who may set it), FIONREAD. Others are ENOTTY.
//
// Job control (JobControl.h): reads, writes while TOSTOP is set, and the
// TCSETS* and TIOCSPGRP ioctls ask the installed access check first.
//
// Locking: m_lock (a spinlock) guards the discipline; the console output
// lock nests inside it (echo). Signals are sent after m_lock is released.
#include <fs/devfs/DeviceFile.h>
#include <kernel/lib/Atomic.h>
#include <kernel/lib/Spinlock.h>
#include <kernel/sched/WaitQueue.h>
#include <kernel/tty/LineDiscipline.h>

namespace tty {

class Tty final : private LineDiscipline::Output {
public:
    // The console terminal, made by init_console_tty().
    static Tty& console();
    static ErrorOr<void> init_console_tty();

    // An input byte from the device (any context, interrupts included).
    void receive(u8 byte);

    ErrorOr<usize> read(Bytes buffer, bool non_blocking);
    ErrorOr<usize> write(ReadonlyBytes data);
    ErrorOr<uptr> ioctl(u32 request, uptr argument);
    u32 poll_readiness() const;

    // Open descriptions: the first takes the console input, the last gives it back.
    void attach();
    void detach();

    // For kshell's self-test, which has no user pointers: direct access.
    KernelTermios termios() const;
    void set_termios(const KernelTermios& termios, bool flush);
    int foreground_group() const;
    void set_foreground_group(int group);

private:
    Tty();
    void write_output(ReadonlyBytes bytes) override;

    mutable Spinlock m_lock;
    LineDiscipline m_discipline; // guarded by m_lock
    Atomic<u64> m_input_generation { 0 };
    Atomic<u32> m_open_count { 0 };
    sched::WaitQueue m_readers;
};

// The open file description of the console terminal.
class TtyFile final : public fs::devfs::DeviceFile {
public:
    static ErrorOr<NonnullRefPtr<fs::OpenFile>> open(fs::Location location, u32 flags);
    ~TtyFile() override;

    ErrorOr<usize> read(Bytes buffer) override;
    ErrorOr<usize> write(ReadonlyBytes data) override;
    ErrorOr<uptr> ioctl(u32 request, uptr argument) override;
    u32 poll_readiness() const override;
    // Every description of the terminal shares its readiness.
    const void* readiness_key() const override { return &m_tty; }
    StringView kind_name() const override { return "tty"; }

private:
    TtyFile(fs::Location location, u32 flags, Tty& tty);

    Tty& m_tty;
};

} // namespace tty
