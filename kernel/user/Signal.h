#pragma once

// Linux's signal numbers (asm-generic/signal.h, x86_64), their names and
// default actions (signal(7)). Real-time signals 32..64 exist as numbers
// and terminate by default.
#include <kernel/lib/StringView.h>

namespace user {

enum class Signal : u8 {
    Hup = 1,
    Int = 2,
    Quit = 3,
    Ill = 4,
    Trap = 5,
    Abrt = 6,
    Bus = 7,
    Fpe = 8,
    Kill = 9,
    Usr1 = 10,
    Segv = 11,
    Usr2 = 12,
    Pipe = 13,
    Alrm = 14,
    Term = 15,
    Stkflt = 16,
    Chld = 17,
    Cont = 18,
    Stop = 19,
    Tstp = 20,
    Ttin = 21,
    Ttou = 22,
    Urg = 23,
    Xcpu = 24,
    Xfsz = 25,
    Vtalrm = 26,
    Prof = 27,
    Winch = 28,
    Io = 29,
    Pwr = 30,
    Sys = 31,
};

inline constexpr int SIGNAL_MAX = 64; // _NSIG

enum class DefaultAction : u8 {
    Terminate, // "Term", and "Core" (no core dumps: the 0x80 bit stays clear)
    Ignore,
    Stop,
    Continue,
};

constexpr DefaultAction default_action(int signal)
{
    switch (signal) {
    case 17: // SIGCHLD
    case 23: // SIGURG
    case 28: // SIGWINCH
        return DefaultAction::Ignore;
    case 19: // SIGSTOP
    case 20: // SIGTSTP
    case 21: // SIGTTIN
    case 22: // SIGTTOU
        return DefaultAction::Stop;
    case 18: // SIGCONT
        return DefaultAction::Continue;
    default:
        return DefaultAction::Terminate;
    }
}

constexpr StringView signal_name(Signal signal)
{
    constexpr const char* NAMES[] = { "SIG?", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
        "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD",
        "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS" };
    auto number = static_cast<usize>(signal);
    return number < sizeof(NAMES) / sizeof(NAMES[0]) ? NAMES[number] : "SIGRT";
}

} // namespace user
