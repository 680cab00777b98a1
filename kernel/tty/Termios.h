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
inline constexpr usize INTERRUPT = 0;
inline constexpr usize QUIT = 1;
inline constexpr usize ERASE = 2;
inline constexpr usize KILL = 3;
inline constexpr usize END_OF_FILE = 4;
inline constexpr usize TIME = 5;
inline constexpr usize MINIMUM = 6;
inline constexpr usize START = 8;
inline constexpr usize STOP = 9;
inline constexpr usize SUSPEND = 10;
inline constexpr usize END_OF_LINE = 11;
inline constexpr usize REPRINT = 12;
inline constexpr usize WORD_ERASE = 14;
inline constexpr usize LITERAL_NEXT = 15;
inline constexpr usize END_OF_LINE_2 = 16;
} // namespace cc

namespace iflag {
inline constexpr u32 INPUT_LF_TO_CR = 0x040; // INLCR
inline constexpr u32 IGNORE_CR = 0x080;      // IGNCR
inline constexpr u32 INPUT_CR_TO_LF = 0x100; // ICRNL
inline constexpr u32 FLOW_CONTROL = 0x400;   // IXON
inline constexpr u32 INPUT_UTF8 = 0x4000;    // IUTF8
} // namespace iflag

namespace oflag {
inline constexpr u32 POST_PROCESS = 0x01;      // OPOST
inline constexpr u32 OUTPUT_LF_TO_CRLF = 0x04; // ONLCR
} // namespace oflag

namespace cflag {
inline constexpr u32 BAUD_38400 = 0x0000000f;  // B38400
inline constexpr u32 SIZE_8 = 0x00000030;      // CS8
inline constexpr u32 ENABLE_READ = 0x00000080; // CREAD
} // namespace cflag

namespace lflag {
inline constexpr u32 SIGNALS = 0x00001;         // ISIG
inline constexpr u32 CANONICAL = 0x00002;       // ICANON
inline constexpr u32 ECHO_INPUT = 0x00008;      // ECHO
inline constexpr u32 ECHO_ERASE = 0x00010;      // ECHOE
inline constexpr u32 ECHO_KILL = 0x00020;       // ECHOK
inline constexpr u32 ECHO_NEWLINE = 0x00040;    // ECHONL
inline constexpr u32 NO_FLUSH = 0x00080;        // NOFLSH
inline constexpr u32 STOP_ON_OUTPUT = 0x00100;  // TOSTOP
inline constexpr u32 ECHO_CONTROL = 0x00200;    // ECHOCTL
inline constexpr u32 ECHO_KILL_ERASE = 0x00800; // ECHOKE
inline constexpr u32 EXTENSIONS = 0x08000;      // IEXTEN
} // namespace lflag

namespace ioctl {
inline constexpr u32 GET_ATTRIBUTES = 0x5401;       // TCGETS
inline constexpr u32 SET_ATTRIBUTES = 0x5402;       // TCSETS
inline constexpr u32 SET_ATTRIBUTES_DRAIN = 0x5403; // TCSETSW
inline constexpr u32 SET_ATTRIBUTES_FLUSH = 0x5404; // TCSETSF
inline constexpr u32 GET_FOREGROUND_GROUP = 0x540F; // TIOCGPGRP
inline constexpr u32 SET_FOREGROUND_GROUP = 0x5410; // TIOCSPGRP
inline constexpr u32 GET_WINDOW_SIZE = 0x5413;      // TIOCGWINSZ
inline constexpr u32 SET_WINDOW_SIZE = 0x5414;      // TIOCSWINSZ
inline constexpr u32 BYTES_READABLE = 0x541B;       // FIONREAD
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
