// The terminal's job-control hook; see JobControl.h.
#include <kernel/tty/JobControl.h>

namespace tty {

namespace {

constinit AccessCheck s_access_check = nullptr;

} // namespace

void set_access_check(AccessCheck check)
{
    __atomic_store_n(&s_access_check, check, __ATOMIC_RELEASE);
}

ErrorOr<void> check_access(Access access, int foreground_group)
{
    AccessCheck check = __atomic_load_n(&s_access_check, __ATOMIC_ACQUIRE);
    if (!check)
        return {};
    return check(access, foreground_group);
}

} // namespace tty
