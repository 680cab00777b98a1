// Compile-time proof that Osprey's headers have the Linux x86_64 layouts
// listed in layouts.h. This file has no code: if a header drifts, the library
// does not build.

#include "layouts.h"
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
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
#include <termios.h>
#include <time.h>

#define ASSERT_SIZE(osprey_type, host_type, size) \
    _Static_assert(sizeof(osprey_type) == (size), "size of " #osprey_type);
#define ASSERT_OFFSET(osprey_type, host_type, member, offset) \
    _Static_assert(offsetof(osprey_type, member) == (offset), "offset of " #osprey_type "." #member);
OSPREY_ABI_LAYOUTS(ASSERT_SIZE, ASSERT_OFFSET)

#define ASSERT_KERNEL_SIZE(type, size) _Static_assert(sizeof(type) == (size), "size of " #type);
#define ASSERT_KERNEL_OFFSET(type, member, offset) \
    _Static_assert(offsetof(type, member) == (offset), "offset of " #type "." #member);
OSPREY_KERNEL_ONLY_LAYOUTS(ASSERT_KERNEL_SIZE, ASSERT_KERNEL_OFFSET)
