// Access-time updates under relatime, noatime, nodiratime and strictatime;
// see AccessTime.h.
#include <fs/vfs/AccessTime.h>

namespace fs {

namespace {

constexpr i64 RELATIME_MAX_AGE_SECONDS = i64(24) * 60 * 60;

bool not_after(Timespec a, Timespec b)
{
    return a.seconds < b.seconds || (a.seconds == b.seconds && a.nanoseconds <= b.nanoseconds);
}

} // namespace

bool relatime_wants_update(const Attributes& attributes, Timespec now)
{
    if (not_after(attributes.access_time, attributes.modify_time)
        || not_after(attributes.access_time, attributes.change_time))
        return true;
    return now.seconds - attributes.access_time.seconds >= RELATIME_MAX_AGE_SECONDS;
}

void note_access(const Location& location)
{
    if (!location.is_valid())
        return;
    u32 flags = location.mount->flags();
    Vnode& vnode = *location.vnode;
    if ((flags & mount_flag::NoAtime) || ((flags & mount_flag::NoDirAtime) && vnode.is_directory()))
        return;
    Timespec now = current_time();
    if (!(flags & mount_flag::StrictAtime) && !relatime_wants_update(vnode.attributes(), now))
        return;
    AttributeChange change;
    change.set_access_time = true;
    change.access_time = now;
    change.keep_change_time = true;
    (void)vnode.set_attributes(change);
}

StringView access_time_options(u32 flags)
{
    if (flags & mount_flag::NoAtime)
        return ",noatime";
    bool no_directories = flags & mount_flag::NoDirAtime;
    if (flags & mount_flag::StrictAtime)
        return no_directories ? ",nodiratime" : "";
    return no_directories ? ",nodiratime,relatime" : ",relatime";
}

} // namespace fs
