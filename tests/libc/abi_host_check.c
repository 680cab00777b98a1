// Checks Osprey's ABI numbers against the host's headers: every entry of the
// syscall table (kernel/api/syscalls.h) against asm/unistd_64.h, and every
// structure size and offset of libc/src/abi/layouts.h against glibc's and
// the kernel UAPI's definitions. A host program (built with the host libc);
// prints one line per check and "N passed, M failed".

#include <asm/termbits.h>
#include <asm/unistd_64.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <time.h>

#include "../../kernel/api/syscalls.h"
#include "../../libc/src/abi/layouts.h"

static int s_passed;
static int s_failed;

static void check(int ok, const char* what, long expected, long actual)
{
    if (ok) {
        ++s_passed;
        printf("ok   %s = %ld\n", what, expected);
    } else {
        ++s_failed;
        printf("FAIL %s: Osprey says %ld, the host %ld\n", what, expected, actual);
    }
}

int main(void)
{
#define CHECK_SYSCALL(name, number) check(__NR_##name == (number), "syscall " #name, number, __NR_##name);
    OSPREY_ENUMERATE_SYSCALLS(CHECK_SYSCALL)

#define CHECK_SIZE(osprey_type, host_type, size) \
    check(sizeof(host_type) == (size), "sizeof(" #osprey_type ")", size, (long)sizeof(host_type));
#define CHECK_OFFSET(osprey_type, host_type, member, offset)                                          \
    check(offsetof(host_type, member) == (offset), "offsetof(" #osprey_type ", " #member ")", offset, \
        (long)offsetof(host_type, member));
    OSPREY_ABI_LAYOUTS(CHECK_SIZE, CHECK_OFFSET)

    printf("%d passed, %d failed\n", s_passed, s_failed);
    return s_failed ? 1 : 0;
}
