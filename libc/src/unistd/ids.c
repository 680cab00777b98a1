// The set*id family beyond setuid/setgid: setreuid, setregid, setresuid,
// setresgid, getresuid, getresgid, and seteuid/setegid, which glibc builds
// on setresuid/setresgid as done here.

#include "../internal/syscall.h"
#include <unistd.h>

int setreuid(uid_t real, uid_t effective)
{
    return (int)SYSCALL2(setreuid, real, effective);
}

int setregid(gid_t real, gid_t effective)
{
    return (int)SYSCALL2(setregid, real, effective);
}

int setresuid(uid_t real, uid_t effective, uid_t saved)
{
    return (int)SYSCALL3(setresuid, real, effective, saved);
}

int setresgid(gid_t real, gid_t effective, gid_t saved)
{
    return (int)SYSCALL3(setresgid, real, effective, saved);
}

int getresuid(uid_t* real, uid_t* effective, uid_t* saved)
{
    return (int)SYSCALL3(getresuid, real, effective, saved);
}

int getresgid(gid_t* real, gid_t* effective, gid_t* saved)
{
    return (int)SYSCALL3(getresgid, real, effective, saved);
}

int seteuid(uid_t effective)
{
    return setresuid((uid_t)-1, effective, (uid_t)-1);
}

int setegid(gid_t effective)
{
    return setresgid((gid_t)-1, effective, (gid_t)-1);
}
