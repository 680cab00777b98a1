#pragma once

// The full set of poll(2)/epoll(7) event bits (Linux values, the same for
// both calls) and what every readiness call reports on top of a file
// kind's poll_readiness() answer. OpenFile.h's poll_event names the bits
// file kinds report; these are the rest of the user-visible ABI.
#include <fs/vfs/OpenFile.h>

namespace fs::poll_bits {

inline constexpr u32 In = 0x001;
inline constexpr u32 Priority = 0x002;
inline constexpr u32 Out = 0x004;
inline constexpr u32 Error = 0x008;
inline constexpr u32 HangUp = 0x010;
inline constexpr u32 Invalid = 0x020; // POLLNVAL: poll only
inline constexpr u32 ReadNormal = 0x040;
inline constexpr u32 ReadBand = 0x080;
inline constexpr u32 WriteNormal = 0x100;
inline constexpr u32 WriteBand = 0x200;
inline constexpr u32 Message = 0x400;
inline constexpr u32 ReadHangUp = 0x2000;

// Reported whether asked for or not (poll and epoll alike).
inline constexpr u32 ALWAYS = Error | HangUp;

// Linux's file kinds report POLLRDNORM with POLLIN and POLLWRNORM with
// POLLOUT; Osprey's kinds may report just the short form.
inline u32 with_normal_bits(u32 events)
{
    if (events & In)
        events |= ReadNormal;
    if (events & Out)
        events |= WriteNormal;
    return events;
}

// The events of `file` now, as poll and epoll report them.
inline u32 readiness_of(const OpenFile& file)
{
    return with_normal_bits(file.poll_readiness());
}

// Linux's DEFAULT_POLLMASK kinds (no f_op->poll: regular files,
// directories, /dev/null and the other memory devices) are always ready
// and cannot be added to an epoll instance (EPERM).
inline bool has_readiness_events(const OpenFile& file)
{
    StringView kind = file.kind_name();
    return kind != StringView("file") && kind != StringView("memory device");
}

} // namespace fs::poll_bits
