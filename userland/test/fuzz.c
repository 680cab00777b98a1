// fuzz [seed] [calls]: thousands of system calls with random numbers and
// random arguments, many of them hostile (kernel addresses, unmapped and
// non-canonical addresses, addresses that wrap, huge lengths). The kernel
// must answer every one with a result or -errno and survive; then a few
// deterministic checks (ENOSYS, EFAULT) must still hold.
//
// Calls that would end or cripple the fuzzer itself are tamed, not skipped:
// exit and exit_group become getpid; signals are only checked (kill with
// signal 0, rt_sigaction without a new action), rt_sigreturn is getpid,
// rt_sigtimedwait only polls;
// ioctl never reaches the terminal; pipes get a hostile fd array; writes go to a descriptor that does not
// exist (random bytes on the console would only confuse the test); munmap,
// mprotect and brk get hostile addresses only (never the fuzzer's own
// memory); mmap loses MAP_FIXED; poll, select and epoll_wait and their
// variants get a zero timeout; sockets (socket, socketpair, accept) are made
// non-blocking; clock_settime and settimeofday never get a readable time.
// Valid buffers come from a scratch mapping
// followed by an inaccessible page, so no call scribbles on the stack or code.
#include "runtime.h"

#define DEFAULT_CALLS       5000
#define SCRATCH_PAGES       16
#define PAGE                4096ul
#define MAP_FIXED           0x10
#define MAP_FIXED_NOREPLACE 0x100000
#define SOCK_NONBLOCK_FLAG  0x800
#define SOCK_CLOEXEC_FLAG   0x80000
#define S_IFMT_BITS         0170000
#define S_IFSOCK_BITS       0140000

static uint64_t s_state;

// xorshift64* (Vigna, "An experimental exploration of Marsaglia's xorshift generators").
static uint64_t next_random(void)
{
    s_state ^= s_state >> 12;
    s_state ^= s_state << 25;
    s_state ^= s_state >> 27;
    return s_state * 0x2545f4914f6cdd1dull;
}

static uint64_t parse_number(const char* text)
{
    uint64_t value = 0;
    int base = 10;
    if (text[0] == '0' && text[1] == 'x') {
        base = 16;
        text += 2;
    }
    for (; *text; ++text) {
        int digit = *text >= '0' && *text <= '9' ? *text - '0' : *text >= 'a' && *text <= 'f' ? *text - 'a' + 10 : -1;
        if (digit < 0 || digit >= base)
            break;
        value = value * (uint64_t)base + (uint64_t)digit;
    }
    return value;
}

static uint64_t s_scratch;

static uint64_t hostile_address(void)
{
    switch (next_random() % 10) {
    case 0:
        return 0xffffffff80000000ul + (next_random() % 0x1000000); // kernel image
    case 1:
        return 0xffff800000000000ul + (next_random() % 0x100000000ul); // direct map
    case 2:
        return 0x0000800000000000ul + (next_random() % 0x1000); // first non-canonical
    case 3:
        return next_random() | 0x8000000000000000ul; // anywhere in the upper half
    case 4:
        return 0x00007ffffffff000ul + (next_random() % 0x1000); // end of user space
    case 5:
        return (uint64_t)0 - (next_random() % 64); // wraps around
    case 6:
        return 0x1000 + (next_random() % 0xf000); // below any mapping
    case 7:
        return 0xdead0000ul; // unmapped user page
    case 8:
        return 0x0000555555554000ul - PAGE; // just below the PIE base
    default:
        return 0x0000123400000000ul; // unmapped user space
    }
}

static uint64_t random_argument(void)
{
    switch (next_random() % 8) {
    case 0:
        return 0;
    case 1:
        return next_random() % 4096; // small: lengths, descriptors, flags
    case 2:
        return next_random(); // anything
    case 3:
        return (uint64_t)-1;
    case 4:
        return 1ul << (next_random() % 64); // huge lengths
    case 5:
        return s_scratch + next_random() % (SCRATCH_PAGES * PAGE); // valid memory
    default:
        return hostile_address();
    }
}

// Every call in the kernel's table (kernel/api/syscalls.h).
static const uint16_t s_table_numbers[] = {
#define FUZZ_TABLE_NUMBER(name, number) number,
    OSPREY_ENUMERATE_SYSCALLS(FUZZ_TABLE_NUMBER)
#undef FUZZ_TABLE_NUMBER
};

static uint64_t random_number(void)
{
    switch (next_random() % 8) {
    case 0:
        return next_random(); // any 64-bit value
    case 1:
        return next_random() % 1100; // Linux's numbers, Osprey's future ones
    case 2:
        return next_random() % 340;
    default:
        return s_table_numbers[next_random() % (sizeof(s_table_numbers) / sizeof(s_table_numbers[0]))];
    }
}

static long s_pid;
// A zero timeout (timespec and timeval alike) for the calls that could wait.
// Writable, since select and its variants write the time left back, and
// reset before each use for the same reason.
static uint64_t s_zero_timeout[2];

// Keeps the fuzzer alive and quiet; see the file comment.
static void tame(uint64_t* number, uint64_t* args)
{
    switch ((uint32_t)*number) { // the kernel looks at the low 32 bits
    case SYS_exit:
    case SYS_exit_group:
    case SYS_fork:
    case SYS_vfork:
    case SYS_execve:
    case SYS_wait4:
    case SYS_rt_sigreturn:
    case SYS_rt_sigsuspend:
    case SYS_pause:
        *number = SYS_getpid;
        break;
    case SYS_rt_sigtimedwait:
        // Never a wait without end: the timeout is zero (a poll).
        s_zero_timeout[0] = s_zero_timeout[1] = 0;
        args[2] = (uint64_t)s_zero_timeout;
        break;
    case SYS_kill:
    case SYS_tkill:
        // Signal 0: the checks without the signal (kill(-1, ...) would end
        // every process).
        args[1] = 0;
        break;
    case SYS_tgkill:
        args[2] = 0;
        break;
    case SYS_pipe:
    case SYS_pipe2:
        // A hostile array: the pipe is made and closed again (EFAULT).
        // Live pipes would grow the kernel heap (64 KiB rings), which the
        // memory check after the run would count as lost.
        args[0] = hostile_address();
        break;
    case SYS_poll:
    case SYS_epoll_wait:
    case SYS_epoll_pwait:
        // Never wait: nothing would ever wake the fuzzer.
        args[(uint32_t)*number == SYS_poll ? 2 : 3] = 0;
        break;
    case SYS_ppoll:
        s_zero_timeout[0] = s_zero_timeout[1] = 0;
        args[2] = (uint64_t)s_zero_timeout;
        break;
    case SYS_select:
    case SYS_pselect6:
        s_zero_timeout[0] = s_zero_timeout[1] = 0;
        args[4] = (uint64_t)s_zero_timeout;
        break;
    case SYS_socket:
    case SYS_socketpair:
        // Real sockets most of the time (random arguments would almost never
        // name AF_UNIX and a type), but non-blocking, so no later call on
        // them (recv, accept, connect to a full backlog, send to a full
        // peer) waits.
        if (next_random() % 4 != 0) {
            static const uint64_t types[] = { 1, 2, 5 }; // stream, datagram, seqpacket
            args[0] = 1;                                 // AF_UNIX
            args[1] = types[next_random() % 3] | (args[1] & SOCK_CLOEXEC_FLAG);
            args[2] = 0;
        }
        args[1] |= SOCK_NONBLOCK_FLAG;
        break;
    case SYS_accept:
        // accept4 with SOCK_NONBLOCK: accepted sockets never block either.
        *number = SYS_accept4;
        args[3] = SOCK_NONBLOCK_FLAG;
        break;
    case SYS_accept4:
        args[3] |= SOCK_NONBLOCK_FLAG;
        break;
    case SYS_rt_sigaction:
        // Only queries: a random handler would run at the next signal.
        args[1] = 0;
        break;
    case SYS_clock_settime:
        // Hostile times (EFAULT): the fuzzer runs as root, and a wall clock
        // set to a random date would confuse what runs after it.
        args[1] = hostile_address();
        break;
    case SYS_settimeofday:
        args[0] = hostile_address();
        args[1] = 0;
        break;
    case SYS_write:
    case SYS_writev:
    case SYS_pwrite64:
    case SYS_read:
    case SYS_readv:
    case SYS_pread64:
    case SYS_close:
    case SYS_fcntl:
    case SYS_fchdir:
    case SYS_ioctl:
        // Never the console (fds 0-2): reading it would wait for input,
        // closing it would silence the fuzzer.
        args[0] = 1000 + (args[0] % 1000);
        break;
    case SYS_dup2:
    case SYS_dup3:
        // No console copies at fds the fuzzer may read.
        args[0] = 1000 + (args[0] % 1000);
        break;
    case SYS_munmap:
    case SYS_mprotect:
    case SYS_brk:
        // Hostile addresses and at most 64 KiB: nowhere near the fuzzer's image,
        // stack or scratch memory.
        args[0] = hostile_address();
        args[1] %= 0x10000;
        break;
    case SYS_mmap:
        // No placement: new mappings go top down under the stack, away from
        // every hostile address. Big requests become impossible ones, so
        // memory is never used up.
        args[0] = 0;
        args[3] &= ~(uint64_t)(MAP_FIXED | MAP_FIXED_NOREPLACE);
        if (args[1] > (1ul << 20))
            args[1] = 1ul << 46;
        break;
    default:
        break;
    }
}

int main(int argc, char** argv)
{
    s_pid = syscall0(SYS_getpid);
    s_state = argc > 1 ? parse_number(argv[1]) : 0x05eed05eedull;
    uint64_t calls = argc > 2 ? parse_number(argv[2]) : DEFAULT_CALLS;
    if (s_state == 0)
        s_state = 1;
    out("fuzz: seed %lx, %lu calls\n", s_state, calls);

    long scratch = syscall6(SYS_mmap, 0, (SCRATCH_PAGES + 1) * PAGE, 3, 0x22, -1, 0);
    if (scratch < 0) {
        out("fuzz: no scratch memory (%ld)\n", scratch);
        return 2;
    }
    s_scratch = (uint64_t)scratch;
    syscall3(SYS_mprotect, s_scratch + SCRATCH_PAGES * PAGE, PAGE, 0);

    uint64_t errors = 0, successes = 0, enosys = 0, efault = 0, out_of_range = 0;
    for (uint64_t i = 0; i < calls; ++i) {
        uint64_t number = random_number();
        uint64_t args[6];
        for (int a = 0; a < 6; ++a)
            args[a] = random_argument();
        tame(&number, args);
        long result = raw_syscall(
            (long)number, (long)args[0], (long)args[1], (long)args[2], (long)args[3], (long)args[4], (long)args[5]);
        if (result < 0 && result >= -4095) {
            ++errors;
            enosys += result == -ENOSYS;
            efault += result == -EFAULT;
        } else if (result < 0) {
            ++out_of_range;
            out("fuzz: call %lu: syscall %lx returned %lx, neither a result nor -errno\n", i, number, (uint64_t)result);
        } else {
            ++successes;
        }
    }
    out("fuzz: %lu calls: %lu succeeded, %lu failed (%lu ENOSYS, %lu EFAULT)\n", calls, successes, errors, enosys,
        efault);
    check_equal("every result is a value or -errno", (long)out_of_range, 0);

    // The sockets the storm left open (closed by the exit); the test wants
    // some, or the fuzzer would not have exercised them.
    uint64_t sockets = 0;
    for (int fd = 0; fd < 1024; ++fd) {
        uint64_t status[18];
        if (syscall2(SYS_fstat, fd, (uint64_t)status) == 0 && ((status[3] & S_IFMT_BITS) == S_IFSOCK_BITS))
            ++sockets;
    }
    out("fuzz: %lu sockets open\n", sockets);

    // The kernel still answers correctly after the storm.
    check_equal("getpid unchanged", syscall0(SYS_getpid), s_pid);
    check_equal("number 400 is ENOSYS", syscall0(400), -ENOSYS);
    check_equal("number 0x7fffffff is ENOSYS", syscall0(0x7fffffff), -ENOSYS);
    check_equal("number 2^40 + 1000 is ENOSYS", syscall0((1l << 40) + 1000), -ENOSYS);
    for (int i = 0; i < 200; ++i) {
        uint64_t bad = hostile_address();
        long write_result = syscall3(SYS_write, 1, bad, 1 + next_random() % 64);
        long uname_result = syscall1(SYS_uname, bad);
        long clock_result = syscall2(SYS_clock_gettime, 1, bad);
        if (write_result != -EFAULT || uname_result != -EFAULT || clock_result != -EFAULT) {
            out("fuzz: address %lx: write %ld, uname %ld, clock_gettime %ld\n", bad, write_result, uname_result,
                clock_result);
            check("bad pointers give EFAULT", 0);
            return finish("fuzz");
        }
    }
    check("200 bad pointers give EFAULT in write, uname and clock_gettime", 1);
    check_equal("write still works", syscall3(SYS_write, 1, "fuzz: still writing\n", 20), 20);
    return finish("fuzz");
}
