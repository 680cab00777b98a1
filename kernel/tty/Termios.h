#pragma once

// Terminal interface values, Linux's: struct termios as the kernel sees it
// (include/uapi/asm-generic/termbits.h: NCCS 19, 36 bytes, no speed
// fields), struct winsize, the flag bits and the terminal ioctl numbers
// (asm-generic/ioctls.h). They are C++ constants here because the UAPI
// macros collide with a host libc's in unit tests; tests/unit/tty checks
// every value against the host's <asm/termbits.h> and <asm/ioctls.h>, and
// libc/include/termios.h spells the same values for user space.
#include <kernel/lib/Types.h>

namespace tty {

inline constexpr usize CONTROL_CHARACTER_COUNT = 19; // NCCS

// NOLINTBEGIN(readability-identifier-naming): UAPI field names.
struct KernelTermios {
    u32 c_iflag;
    u32 c_oflag;
    u32 c_cflag;
    u32 c_lflag;
    u8 c_line;
    u8 c_cc[CONTROL_CHARACTER_COUNT];
};

struct WindowSize {
    u16 ws_row;
    u16 ws_col;
    u16 ws_xpixel;
    u16 ws_ypixel;
};
// NOLINTEND(readability-identifier-naming)

static_assert(sizeof(KernelTermios) == 36);
static_assert(sizeof(WindowSize) == 8);

// c_cc indexes.
namespace cc {
inline constexpr usize Intr = 0;
inline constexpr usize Quit = 1;
inline constexpr usize Erase = 2;
inline constexpr usize Kill = 3;
inline constexpr usize Eof = 4;
inline constexpr usize Time = 5;
inline constexpr usize Min = 6;
inline constexpr usize Start = 8;
inline constexpr usize Stop = 9;
inline constexpr usize Susp = 10;
inline constexpr usize Eol = 11;
inline constexpr usize Reprint = 12;
inline constexpr usize WordErase = 14;
inline constexpr usize LiteralNext = 15;
inline constexpr usize Eol2 = 16;
} // namespace cc

namespace iflag {
inline constexpr u32 InputLfToCr = 0x040;  // INLCR
inline constexpr u32 IgnoreCr = 0x080;     // IGNCR
inline constexpr u32 InputCrToLf = 0x100;  // ICRNL
inline constexpr u32 FlowControl = 0x400;  // IXON
inline constexpr u32 Utf8 = 0x4000;        // IUTF8
} // namespace iflag

namespace oflag {
inline constexpr u32 PostProcess = 0x01;   // OPOST
inline constexpr u32 OutputLfToCrLf = 0x04; // ONLCR
} // namespace oflag

namespace cflag {
inline constexpr u32 Baud38400 = 0x0000000f; // B38400
inline constexpr u32 Size8 = 0x00000030;     // CS8
inline constexpr u32 Read = 0x00000080;      // CREAD
} // namespace cflag

namespace lflag {
inline constexpr u32 Signals = 0x00001;      // ISIG
inline constexpr u32 Canonical = 0x00002;    // ICANON
inline constexpr u32 Echo = 0x00008;         // ECHO
inline constexpr u32 EchoErase = 0x00010;    // ECHOE
inline constexpr u32 EchoKill = 0x00020;     // ECHOK
inline constexpr u32 EchoNewline = 0x00040;  // ECHONL
inline constexpr u32 NoFlush = 0x00080;      // NOFLSH
inline constexpr u32 EchoControl = 0x00200;  // ECHOCTL
inline constexpr u32 EchoKillErase = 0x00800; // ECHOKE
inline constexpr u32 Extensions = 0x08000;   // IEXTEN
} // namespace lflag

namespace ioctl {
inline constexpr u32 GetAttributes = 0x5401;            // TCGETS
inline constexpr u32 SetAttributes = 0x5402;            // TCSETS
inline constexpr u32 SetAttributesDrain = 0x5403;       // TCSETSW
inline constexpr u32 SetAttributesFlush = 0x5404;       // TCSETSF
inline constexpr u32 GetForegroundGroup = 0x540F;       // TIOCGPGRP
inline constexpr u32 SetForegroundGroup = 0x5410;       // TIOCSPGRP
inline constexpr u32 GetWindowSize = 0x5413;            // TIOCGWINSZ
inline constexpr u32 SetWindowSize = 0x5414;            // TIOCSWINSZ
inline constexpr u32 BytesReadable = 0x541B;            // FIONREAD
} // namespace ioctl

// Signal numbers the line discipline raises (Linux x86_64).
inline constexpr int SIGNAL_INTERRUPT = 2; // SIGINT
inline constexpr int SIGNAL_QUIT = 3;      // SIGQUIT
inline constexpr int SIGNAL_STOP = 20;     // SIGTSTP

// What a new terminal starts with: Linux's tty_std_termios (drivers/tty/
// tty_io.c): ICRNL|IXON, OPOST|ONLCR, B38400|CS8|CREAD, ISIG|ICANON|ECHO|
// ECHOE|ECHOK|ECHOCTL|ECHOKE|IEXTEN, and INIT_C_CC's control characters.
KernelTermios default_termios();

} // namespace tty
