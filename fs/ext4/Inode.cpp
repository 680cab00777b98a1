// Inode timestamps: 32 signed bits of seconds plus, in the extra fields, two
// epoch bits (seconds bits 32 and 33) and 30 bits of nanoseconds.
#include <fs/ext4/Inode.h>

namespace ext4 {

fs::Timespec InodeRecord::time(usize seconds_offset, usize extra_offset) const
{
    fs::Timespec time;
    time.seconds = i64(i32(load32(raw, seconds_offset)));
    if (has_extra_field(extra_offset + 4)) {
        u32 extra = load32(raw, extra_offset);
        time.seconds += i64(extra & 3) << 32;
        time.nanoseconds = extra >> 2;
        if (time.nanoseconds > 999'999'999)
            time.nanoseconds = 999'999'999;
    }
    return time;
}

void InodeRecord::set_time(usize seconds_offset, usize extra_offset, fs::Timespec time)
{
    store32(raw, seconds_offset, u32(time.seconds));
    if (has_extra_field(extra_offset + 4)) {
        u32 epoch = u32((time.seconds - i64(i32(u32(time.seconds)))) >> 32) & 3;
        store32(raw, extra_offset, (u32(time.nanoseconds) << 2) | epoch);
    }
}

} // namespace ext4
