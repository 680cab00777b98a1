// syscalls: one check per behaviour of each implemented system call, with
// the values Linux gives: the same binary runs on the host Linux and passes
// there too. The few checks of Osprey's own choices (the only program is pid
// 1, the system is called Osprey, stricter mmap arguments, memory allocated
// at map time) run only on Osprey. Ends with "syscalls: <n> passed, <m>
// failed" and exit status 0 when all passed.
#include "runtime.h"

#define PROT_NONE           0
#define PROT_READ           1
#define PROT_WRITE          2
#define PROT_EXEC           4
#define MAP_SHARED          0x01
#define MAP_PRIVATE         0x02
#define MAP_FIXED           0x10
#define MAP_ANONYMOUS       0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define ARCH_SET_FS         0x1002
#define ARCH_GET_FS         0x1003
#define CLOCK_REALTIME      0
#define CLOCK_MONOTONIC     1
#define CLOCK_BOOTTIME      7
#define GRND_NONBLOCK       1
#define PAGE                4096l

static const uint64_t KERNEL_ADDRESS = 0xffffffff80000000ul;
static const uint64_t NON_CANONICAL = 0x0000800000000000ul;
static const uint64_t UNMAPPED = 0x1000;

struct utsname_k {
    char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

static int s_on_osprey;

static long map(long address, long length, long prot, long flags)
{
    return syscall6(SYS_mmap, address, length, prot, flags, -1, 0);
}

static void test_identity(void)
{
    long pid = syscall0(SYS_getpid);
    if (s_on_osprey)
        check_equal("getpid is positive", pid > 0, 1);
    check_equal("gettid is the pid (one thread)", syscall0(SYS_gettid), pid);
    check_equal("getuid is 0", syscall0(SYS_getuid), 0);
    check_equal("geteuid is 0", syscall0(SYS_geteuid), 0);
    check_equal("getgid is 0", syscall0(SYS_getgid), 0);
    check_equal("getegid is 0", syscall0(SYS_getegid), 0);
    int tid_word = 7;
    check_equal("set_tid_address returns the tid", syscall1(SYS_set_tid_address, &tid_word), pid);
    check_equal("sched_yield returns 0", syscall0(SYS_sched_yield), 0);
    check_equal("an unknown number is ENOSYS", syscall0(400), -ENOSYS);
    check_equal("a number past the table is ENOSYS", syscall0(100000), -ENOSYS);
    check_equal("number -1 is ENOSYS", syscall0(-1), -ENOSYS);
}

static void test_write(void)
{
    static const char message[] = "write: direct\n";
    check_equal("write to fd 1 returns the count", syscall3(SYS_write, 1, message, sizeof(message) - 1),
        (long)sizeof(message) - 1);
    check_equal("write of 0 bytes returns 0", syscall3(SYS_write, 1, message, 0), 0);
    check_equal("write to fd 7 is EBADF", syscall3(SYS_write, 7, message, 1), -EBADF);
    check_equal("write from NULL is EFAULT", syscall3(SYS_write, 1, 0, 1), -EFAULT);
    check_equal("write from a kernel address is EFAULT", syscall3(SYS_write, 1, KERNEL_ADDRESS, 16), -EFAULT);
    check_equal("write from a non-canonical address is EFAULT", syscall3(SYS_write, 1, NON_CANONICAL, 1), -EFAULT);
    check_equal("write of a range that wraps is EFAULT", syscall3(SYS_write, 1, -16l, 32), -EFAULT);
    check_equal("write from an unmapped page is EFAULT", syscall3(SYS_write, 1, UNMAPPED, 8), -EFAULT);
}

static void test_uname(void)
{
    struct utsname_k name;
    memset(&name, 0x55, sizeof(name));
    check_equal("uname returns 0", syscall1(SYS_uname, &name), 0);
    if (s_on_osprey)
        check("uname nodename is osprey", string_equal(name.nodename, "osprey"));
    check("uname machine is x86_64", string_equal(name.machine, "x86_64"));
    check("uname fields are terminated", name.release[64] == 0 && name.domainname[64] == 0);
    out("uname: %s %s %s %s %s\n", name.sysname, name.nodename, name.release, name.version, name.machine);
    check_equal("uname into a kernel address is EFAULT", syscall1(SYS_uname, KERNEL_ADDRESS), -EFAULT);
    check_equal("uname into NULL is EFAULT", syscall1(SYS_uname, 0), -EFAULT);
}

static void test_clocks(void)
{
    struct timespec_k first, second, boot;
    check_equal("clock_gettime MONOTONIC returns 0", syscall2(SYS_clock_gettime, CLOCK_MONOTONIC, &first), 0);
    check_equal("clock_gettime MONOTONIC again", syscall2(SYS_clock_gettime, CLOCK_MONOTONIC, &second), 0);
    check("MONOTONIC nanoseconds below 10^9", first.nanoseconds >= 0 && first.nanoseconds < 1000000000);
    check("MONOTONIC never goes back",
        second.seconds > first.seconds || (second.seconds == first.seconds && second.nanoseconds >= first.nanoseconds));
    check_equal("clock_gettime REALTIME returns 0", syscall2(SYS_clock_gettime, CLOCK_REALTIME, &boot), 0);
    check_equal("clock_gettime BOOTTIME returns 0", syscall2(SYS_clock_gettime, CLOCK_BOOTTIME, &boot), 0);
    check("BOOTTIME is not before MONOTONIC", boot.seconds >= second.seconds);
    check_equal("clock_gettime of clock 99 is EINVAL", syscall2(SYS_clock_gettime, 99, &first), -EINVAL);
    check_equal("clock_gettime into a kernel address is EFAULT",
        syscall2(SYS_clock_gettime, CLOCK_MONOTONIC, KERNEL_ADDRESS), -EFAULT);
    check_equal("clock_gettime into an unmapped page is EFAULT", syscall2(SYS_clock_gettime, CLOCK_MONOTONIC, UNMAPPED),
        -EFAULT);
}

static void test_brk(void)
{
    long start = syscall1(SYS_brk, 0);
    check("brk(0) returns the current break", start > 0);
    long grown = syscall1(SYS_brk, start + 10000);
    check_equal("brk grows by 10000 bytes", grown, start + 10000);
    volatile char* heap = (volatile char*)start;
    heap[0] = 1;
    heap[9999] = 2;
    check("the new heap is zeroed and writable", heap[1] == 0 && heap[0] == 1 && heap[9999] == 2);
    check_equal("brk shrinks back", syscall1(SYS_brk, start), start);
    check_equal("brk below the start fails (returns the break)", syscall1(SYS_brk, start - PAGE), start);
    check_equal("brk into kernel space fails", syscall1(SYS_brk, KERNEL_ADDRESS), start);
}

static void test_mmap(void)
{
    long pages = map(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    check("mmap of 3 anonymous pages succeeds", pages > 0 && pages % PAGE == 0);
    if (pages <= 0)
        return;
    volatile long* words = (volatile long*)pages;
    check("mmap memory is zeroed", words[0] == 0 && words[3 * PAGE / 8 - 1] == 0);
    words[0] = 42;
    words[3 * PAGE / 8 - 1] = 43;
    check("mmap memory keeps what is written", words[0] == 42 && words[3 * PAGE / 8 - 1] == 43);
    check_equal("mprotect to read-only", syscall3(SYS_mprotect, pages, PAGE, PROT_READ), 0);
    check("read-only memory still reads", words[0] == 42);
    check_equal("mprotect back to read-write", syscall3(SYS_mprotect, pages, PAGE, PROT_READ | PROT_WRITE), 0);
    check_equal("munmap of the middle page", syscall2(SYS_munmap, pages + PAGE, PAGE), 0);
    check_equal("mprotect over the hole is ENOMEM", syscall3(SYS_mprotect, pages, 3 * PAGE, PROT_READ), -ENOMEM);
    check_equal("write from the unmapped hole is EFAULT", syscall3(SYS_write, 1, pages + PAGE, 8), -EFAULT);
    check_equal("munmap of everything", syscall2(SYS_munmap, pages, 3 * PAGE), 0);
    check_equal("munmap again is still 0", syscall2(SYS_munmap, pages, 3 * PAGE), 0);

    long fixed = map(0x200000000l, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    check_equal("MAP_FIXED maps at the address", fixed, 0x200000000l);
    check_equal("MAP_FIXED_NOREPLACE over it is EEXIST",
        map(0x200000000l, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE), -EEXIST);
    check_equal("mmap of length 0 is EINVAL", map(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS), -EINVAL);
    if (s_on_osprey) // Linux ignores unknown prot bits in mmap (not in mprotect)
        check_equal("mmap with unknown prot bits is EINVAL", map(0, PAGE, 0x100, MAP_PRIVATE | MAP_ANONYMOUS), -EINVAL);
    check_equal("mprotect with unknown prot bits is EINVAL", syscall3(SYS_mprotect, fixed, PAGE, 0x100), -EINVAL);
    check_equal("mmap with a misaligned offset is EINVAL",
        syscall6(SYS_mmap, 0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 100), -EINVAL);
    check_equal("mmap of a file without descriptors is EBADF", map(0, PAGE, PROT_READ, MAP_PRIVATE), -EBADF);
    check_equal("MAP_FIXED at a misaligned address is EINVAL",
        map(0x200000010l, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED), -EINVAL);
    if (s_on_osprey) // pages are allocated at map time; Linux overcommits
        check_equal("mmap of 2^46 bytes is ENOMEM", map(0, 1l << 46, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS), -ENOMEM);
    check_equal("mmap of 2^47 bytes is ENOMEM", map(0, 1l << 47, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS), -ENOMEM);
    check_equal("munmap at a misaligned address is EINVAL", syscall2(SYS_munmap, 0x200000010l, PAGE), -EINVAL);
    check_equal("munmap of length 0 is EINVAL", syscall2(SYS_munmap, 0x200000000l, 0), -EINVAL);
    check_equal(
        "mprotect of an unmapped range is ENOMEM", syscall3(SYS_mprotect, 0x300000000l, PAGE, PROT_READ), -ENOMEM);

    // Code written to a page runs once the page is executable: mov $42, %eax; ret
    long code = map(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    unsigned char* bytes = (unsigned char*)code;
    bytes[0] = 0xb8;
    bytes[1] = 42;
    bytes[2] = bytes[3] = bytes[4] = 0;
    bytes[5] = 0xc3;
    check_equal("mprotect to read-execute", syscall3(SYS_mprotect, code, PAGE, PROT_READ | PROT_EXEC), 0);
    int (*function)(void) = (int (*)(void))(void*)code;
    check_equal("code in an executable mapping runs", function(), 42);
    check_equal("PROT_NONE then read-write gives a zeroed page",
        syscall3(SYS_mprotect, fixed, PAGE, PROT_NONE) | syscall3(SYS_mprotect, fixed, PAGE, PROT_READ | PROT_WRITE),
        0);
    check("the page is usable again", (*(volatile long*)fixed = 5) == 5);
}

static void test_arch_prctl(void)
{
    static uint64_t thread_block[4] = { 0x1234 };
    thread_block[0] = (uint64_t)thread_block; // the TLS ABI: %fs:0 points at itself
    check_equal("ARCH_SET_FS returns 0", syscall2(SYS_arch_prctl, ARCH_SET_FS, thread_block), 0);
    uint64_t through_fs;
    __asm__ volatile("movq %%fs:0, %0" : "=r"(through_fs));
    check("%fs:0 reads the thread block", through_fs == (uint64_t)thread_block);
    uint64_t base = 0;
    check_equal("ARCH_GET_FS returns 0", syscall2(SYS_arch_prctl, ARCH_GET_FS, &base), 0);
    check("ARCH_GET_FS gives the base back", base == (uint64_t)thread_block);
    check_equal(
        "ARCH_SET_FS to a kernel address is EPERM", syscall2(SYS_arch_prctl, ARCH_SET_FS, KERNEL_ADDRESS), -EPERM);
    check_equal("ARCH_SET_FS non-canonical is EPERM", syscall2(SYS_arch_prctl, ARCH_SET_FS, NON_CANONICAL), -EPERM);
    check_equal(
        "ARCH_GET_FS into a kernel address is EFAULT", syscall2(SYS_arch_prctl, ARCH_GET_FS, KERNEL_ADDRESS), -EFAULT);
    check_equal("arch_prctl with an unknown code is EINVAL", syscall2(SYS_arch_prctl, 0x9999, 0), -EINVAL);
}

static void test_getrandom(void)
{
    unsigned char first[64], second[64];
    memset(first, 0, sizeof(first));
    memset(second, 0, sizeof(second));
    check_equal("getrandom fills 64 bytes", syscall3(SYS_getrandom, first, sizeof(first), 0), 64);
    check_equal("getrandom with GRND_NONBLOCK", syscall3(SYS_getrandom, second, sizeof(second), GRND_NONBLOCK), 64);
    check("two draws differ", memcmp(first, second, sizeof(first)) != 0);
    check_equal("getrandom with unknown flags is EINVAL", syscall3(SYS_getrandom, first, 8, 0x80), -EINVAL);
    check_equal("getrandom into a kernel address is EFAULT", syscall3(SYS_getrandom, KERNEL_ADDRESS, 8, 0), -EFAULT);
    check_equal("getrandom of 0 bytes returns 0", syscall3(SYS_getrandom, first, 0, 0), 0);
}

int main(int argc, char** argv)
{
    (void)argc;
    (void)argv;
    struct utsname_k name;
    s_on_osprey = syscall1(SYS_uname, &name) == 0 && string_equal(name.sysname, "Osprey");
    out("syscalls: running on %s\n", s_on_osprey ? "Osprey" : "another kernel");
    test_identity();
    test_write();
    test_uname();
    test_clocks();
    test_brk();
    test_mmap();
    test_arch_prctl();
    test_getrandom();
    return finish("syscalls");
}
