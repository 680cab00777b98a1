#pragma once

// The Linux signal numbers the kernel raises so far (asm-generic/signal.h)
// and their names. Only fatal default actions exist until signal delivery
// does: a program that gets one of these ends.
#include <kernel/lib/StringView.h>

namespace user {

enum class Signal : u8 {
    Ill = 4,
    Trap = 5,
    Bus = 7,
    Fpe = 8,
    Kill = 9,
    Segv = 11,
};

constexpr StringView signal_name(Signal signal)
{
    switch (signal) {
    case Signal::Ill:
        return "SIGILL";
    case Signal::Trap:
        return "SIGTRAP";
    case Signal::Bus:
        return "SIGBUS";
    case Signal::Fpe:
        return "SIGFPE";
    case Signal::Kill:
        return "SIGKILL";
    case Signal::Segv:
        return "SIGSEGV";
    }
    return "SIG?";
}

} // namespace user
