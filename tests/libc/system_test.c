// The rest of the system interface: time and calendar conversions,
// sleeping, memory mappings, thread-local storage, poll and select, socket
// pairs with SCM_RIGHTS, address conversions, terminals and uname.

#include "check.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static long long nanoseconds(const struct timespec* time)
{
    return time->tv_sec * 1000000000LL + time->tv_nsec;
}

static void test_clocks(void)
{
    check_section("clocks");
    struct timespec before, after;
    CHECK(clock_gettime(CLOCK_MONOTONIC, &before) == 0);
    struct timespec duration = { .tv_sec = 0, .tv_nsec = 20000000L };
    CHECK(nanosleep(&duration, NULL) == 0);
    CHECK(clock_gettime(CLOCK_MONOTONIC, &after) == 0);
    CHECK(nanoseconds(&after) - nanoseconds(&before) >= 20000000LL);
    CHECK(usleep(1000) == 0);
    time_t now = time(NULL);
    struct timeval tv;
    CHECK(gettimeofday(&tv, NULL) == 0 && tv.tv_sec >= now && tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    CHECK(now > 1600000000); // after September 2020
    duration.tv_nsec = 2000000000;
    CHECK(nanosleep(&duration, NULL) == -1 && errno == EINVAL);
}

static void test_calendar(void)
{
    check_section("calendar");
    time_t epoch = 0;
    struct tm broken_down;
    CHECK(gmtime_r(&epoch, &broken_down) == &broken_down);
    CHECK(broken_down.tm_year == 70 && broken_down.tm_mon == 0 && broken_down.tm_mday == 1 && broken_down.tm_wday == 4);
    time_t leap_day = 951782400; // 2000-02-29 00:00:00
    gmtime_r(&leap_day, &broken_down);
    CHECK(broken_down.tm_mon == 1 && broken_down.tm_mday == 29 && broken_down.tm_yday == 59);
    CHECK(timegm(&broken_down) == leap_day);
    struct tm denormal = { .tm_year = 99, .tm_mon = 13, .tm_mday = 0, .tm_hour = 25 };
    CHECK(timegm(&denormal) == 949366800 && denormal.tm_mon == 1 && denormal.tm_mday == 1 && denormal.tm_hour == 1);

    // strftime over a spread of dates, printed: the transcript is compared
    // with glibc's.
    static const char* const formats[] = {
        "%Y-%m-%d %H:%M:%S %Z",
        "%a %A %b %B %h",
        "%c",
        "%D %F %T %R %r",
        "%x %X",
        "%j %U %W %u %w",
        "%G-W%V-%u %g",
        "%e %C %y %I %p %%",
        "%t|%n|",
    };
    uint64_t state = 12345;
    for (int i = 0; i < 60; ++i) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        time_t when = i < 8
            ? (time_t[]) { 0, 86399, 951782400, 946684799, 1230768000, 1609459199, 1704067200, 4102444799 }[i]
            : (time_t)(state >> 33) % 5000000000LL - 1000000000LL;
        gmtime_r(&when, &broken_down);
        printf("   %lld:", (long long)when);
        for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); ++f) {
            char text[128];
            size_t length = strftime(text, sizeof(text), formats[f], &broken_down);
            printf(" [%zu %s]", length, text);
        }
        printf("\n");
    }
    char tiny[4];
    CHECK(strftime(tiny, sizeof(tiny), "%Y-%m", &broken_down) == 0);
}

static _Thread_local int s_thread_counter = 41;
static _Thread_local char s_thread_buffer[100];

static void test_memory(void)
{
    check_section("memory");
    size_t length = 1 << 20;
    unsigned char* region = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(region != MAP_FAILED);
    int zero = 1;
    for (size_t i = 0; i < length; i += 4096)
        zero &= region[i] == 0;
    CHECK(zero);
    memset(region, 0x5a, length);
    CHECK(region[length - 1] == 0x5a);
    CHECK(mprotect(region, 4096, PROT_READ) == 0);
    CHECK(munmap(region, length) == 0);
    CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
    CHECK(getpagesize() == 4096 && sysconf(_SC_PAGESIZE) == 4096);

    void* start = sbrk(0);
    CHECK(start != (void*)-1 && sbrk(8192) == start && sbrk(0) == (char*)start + 8192);
    memset(start, 1, 8192);
    CHECK(sbrk(-8192) == (char*)start + 8192 && sbrk(0) == start);

    // The thread pointer: %fs:0 points to itself (TLS ABI variant II) and the
    // stack-protector canary at %fs:0x28 is random with a zero low byte.
    uintptr_t self;
    uintptr_t canary;
    __asm__("mov %%fs:0, %0" : "=r"(self));
    __asm__("mov %%fs:0x28, %0" : "=r"(canary));
    // The program's TLS block ends just below the thread pointer.
    uintptr_t variable_end = (uintptr_t)&s_thread_counter + sizeof(int);
    CHECK(self != 0 && self >= variable_end && self - variable_end < 4096);
    CHECK(canary != 0 && (canary & 0xff) == 0);
    CHECK(++s_thread_counter == 42);
    strcpy(s_thread_buffer, "thread-local");
    CHECK_STRING(s_thread_buffer, "thread-local");
}

static void test_polling(void)
{
    check_section("poll and select");
    int fds[2];
    pipe(fds);
    struct pollfd entries[2] = { { .fd = fds[0], .events = POLLIN }, { .fd = fds[1], .events = POLLOUT } };
    CHECK(poll(entries, 2, 0) == 1 && entries[0].revents == 0 && entries[1].revents == POLLOUT);
    write(fds[1], "x", 1);
    CHECK(poll(entries, 1, 1000) == 1 && entries[0].revents == POLLIN);
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(fds[0], &readable);
    struct timeval timeout = { 0, 0 };
    CHECK(select(fds[0] + 1, &readable, NULL, NULL, &timeout) == 1 && FD_ISSET(fds[0], &readable));
    char byte;
    read(fds[0], &byte, 1);
    FD_SET(fds[0], &readable);
    timeout.tv_usec = 10000;
    CHECK(select(fds[0] + 1, &readable, NULL, NULL, &timeout) == 0 && !FD_ISSET(fds[0], &readable));
    close(fds[1]);
    CHECK(poll(entries, 1, 0) == 1 && (entries[0].revents & POLLHUP));
    close(fds[0]);
    struct iovec pieces[2] = { { "vec", 3 }, { "tor", 3 } };
    pipe(fds);
    CHECK(writev(fds[1], pieces, 2) == 6);
    char joined[7] = "";
    CHECK(read(fds[0], joined, 6) == 6 && strcmp(joined, "vector") == 0);
    close(fds[0]);
    close(fds[1]);
}

static void test_sockets(void)
{
    check_section("sockets");
    int pair[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
    CHECK(send(pair[0], "hello", 5, 0) == 5);
    char buffer[16] = "";
    CHECK(recv(pair[1], buffer, sizeof(buffer), 0) == 5 && memcmp(buffer, "hello", 5) == 0);

    // Pass a pipe's read end across the socket with SCM_RIGHTS.
    int pipe_fds[2];
    pipe(pipe_fds);
    write(pipe_fds[1], "through", 7);
    char payload = 'F';
    struct iovec vector = { &payload, 1 };
    union {
        struct cmsghdr header;
        char space[CMSG_SPACE(sizeof(int))];
    } control;
    memset(&control, 0, sizeof(control));
    struct msghdr message
        = { .msg_iov = &vector, .msg_iovlen = 1, .msg_control = &control, .msg_controllen = sizeof(control) };
    struct cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(header), &pipe_fds[0], sizeof(int));
    CHECK(sendmsg(pair[0], &message, 0) == 1);
    close(pipe_fds[0]);

    char received = 0;
    struct iovec in_vector = { &received, 1 };
    union {
        struct cmsghdr header;
        char space[CMSG_SPACE(sizeof(int))];
    } in_control;
    struct msghdr in_message
        = { .msg_iov = &in_vector, .msg_iovlen = 1, .msg_control = &in_control, .msg_controllen = sizeof(in_control) };
    CHECK(recvmsg(pair[1], &in_message, 0) == 1 && received == 'F');
    struct cmsghdr* in_header = CMSG_FIRSTHDR(&in_message);
    CHECK(in_header && in_header->cmsg_level == SOL_SOCKET && in_header->cmsg_type == SCM_RIGHTS);
    int passed_fd = -1;
    if (in_header)
        memcpy(&passed_fd, CMSG_DATA(in_header), sizeof(int));
    CHECK(CMSG_NXTHDR(&in_message, in_header) == NULL);
    char text[8] = "";
    CHECK(passed_fd >= 0 && read(passed_fd, text, 7) == 7 && strcmp(text, "through") == 0);
    close(passed_fd);
    close(pipe_fds[1]);

    struct ucred credentials;
    socklen_t length = sizeof(credentials);
    CHECK(getsockopt(pair[0], SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 && credentials.pid == getpid());
    int type = 0;
    length = sizeof(type);
    CHECK(getsockopt(pair[0], SOL_SOCKET, SO_TYPE, &type, &length) == 0 && type == SOCK_STREAM);
    CHECK(shutdown(pair[0], SHUT_WR) == 0 && recv(pair[1], buffer, sizeof(buffer), 0) == 0);
    close(pair[0]);
    close(pair[1]);

    // A bound AF_UNIX datagram socket, named in the temporary directory.
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    snprintf(address.sun_path, sizeof(address.sun_path), "%s/socket", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    unlink(address.sun_path);
    int server = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    CHECK(server >= 0 && bind(server, (struct sockaddr*)&address, sizeof(address)) == 0);
    int client = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK(sendto(client, "dgram", 5, 0, (struct sockaddr*)&address, sizeof(address)) == 5);
    CHECK(recvfrom(server, buffer, sizeof(buffer), 0, NULL, NULL) == 5 && memcmp(buffer, "dgram", 5) == 0);
    struct sockaddr_un bound;
    length = sizeof(bound);
    CHECK(getsockname(server, (struct sockaddr*)&bound, &length) == 0 && strcmp(bound.sun_path, address.sun_path) == 0);
    close(client);
    close(server);
    unlink(address.sun_path);
    CHECK(socket(12345, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT);
}

static void test_addresses(void)
{
    check_section("addresses");
    CHECK(htons(0x1234) == 0x3412 && ntohl(htonl(0x01020304)) == 0x01020304 && htonl(1) == 0x01000000);
    struct in_addr v4;
    CHECK(inet_pton(AF_INET, "192.168.1.20", &v4) == 1 && v4.s_addr == htonl(0xc0a80114));
    static const char* const bad_v4[] = { "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4 ", "", "a.b.c.d" };
    int rejected = 0;
    for (size_t i = 0; i < sizeof(bad_v4) / sizeof(bad_v4[0]); ++i)
        rejected += inet_pton(AF_INET, bad_v4[i], &v4) == 0;
    CHECK(rejected == 7);
    char text[INET6_ADDRSTRLEN];
    v4.s_addr = htonl(0x0a00020f);
    CHECK_STRING(inet_ntop(AF_INET, &v4, text, sizeof(text)), "10.0.2.15");
    CHECK_STRING(inet_ntoa(v4), "10.0.2.15");
    CHECK(inet_addr("127.0.0.1") == htonl(INADDR_LOOPBACK) && inet_addr("1.2.3.300") == INADDR_NONE);
    CHECK(inet_aton("0x7f.1", &v4) == 1 && v4.s_addr == htonl(0x7f000001));
    CHECK(inet_ntop(AF_INET, &v4, text, 5) == NULL && errno == ENOSPC);

    static const char* const v6_round_trips[][2] = {
        { "::", "::" },
        { "::1", "::1" },
        { "1::", "1::" },
        { "2001:db8::1", "2001:db8::1" },
        { "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1" },
        { "1:0:0:2:0:0:0:3", "1:0:0:2::3" },
        { "1:0:0:2:0:0:3:4", "1::2:0:0:3:4" },
        { "::ffff:10.0.2.15", "::ffff:10.0.2.15" },
        { "::10.0.2.15", "::10.0.2.15" },
        { "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8" },
        { "FE80::ABCD", "fe80::abcd" },
        { "1:2:3:4:5:6:0:0", "1:2:3:4:5:6::" },
        { "0:1:0:0:0:0:0:0", "0:1::" },
        { "1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7" },
    };
    for (size_t i = 0; i < sizeof(v6_round_trips) / sizeof(v6_round_trips[0]); ++i) {
        struct in6_addr v6;
        int parsed = inet_pton(AF_INET6, v6_round_trips[i][0], &v6);
        printf("   %s\n", v6_round_trips[i][0]);
        CHECK(parsed == 1);
        CHECK_STRING(inet_ntop(AF_INET6, &v6, text, sizeof(text)), v6_round_trips[i][1]);
    }
    static const char* const bad_v6[] = { ":::", "1:::2", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
        ":1:2", "1:", "::1.2.3", "g::" };
    rejected = 0;
    for (size_t i = 0; i < sizeof(bad_v6) / sizeof(bad_v6[0]); ++i) {
        struct in6_addr v6;
        rejected += inet_pton(AF_INET6, bad_v6[i], &v6) == 0;
    }
    CHECK(rejected == 10);
    CHECK(inet_pton(12345, "1.2.3.4", &v4) == -1 && errno == EAFNOSUPPORT);
}

static void test_terminal_and_names(void)
{
    check_section("terminal and names");
    int fds[2];
    pipe(fds);
    struct termios attributes;
    CHECK(tcgetattr(fds[0], &attributes) == -1 && errno == ENOTTY);
    CHECK(!isatty(fds[0]) && errno == ENOTTY);
    close(fds[0]);
    close(fds[1]);
    memset(&attributes, 0xff, sizeof(attributes));
    cfmakeraw(&attributes);
    CHECK(!(attributes.c_lflag & (ICANON | ECHO | ISIG | IEXTEN)) && !(attributes.c_iflag & (ICRNL | IXON)));
    CHECK(!(attributes.c_oflag & OPOST) && (attributes.c_cflag & CSIZE) == CS8 && !(attributes.c_cflag & PARENB));
    CHECK(attributes.c_cc[VMIN] == 1 && attributes.c_cc[VTIME] == 0);
    CHECK(cfsetospeed(&attributes, B38400) == 0 && cfgetospeed(&attributes) == B38400);

    struct utsname names;
    CHECK(uname(&names) == 0 && names.sysname[0] && names.machine[0]);
    char host[256];
    CHECK(gethostname(host, sizeof(host)) == 0 && strcmp(host, names.nodename) == 0);
    CHECK(getuid() == geteuid() && getgid() == getegid());
    // getsid is 0 under Linux when the session leader lives outside our pid
    // namespace (a container), so only its consistency is checked.
    CHECK(getpgrp() == getpgid(0) && getsid(0) >= 0 && getsid(0) == getsid(getpid()));
    CHECK(access("/", R_OK | X_OK) == 0 && access("/nonexistent", F_OK) == -1 && errno == ENOENT);
    mode_t previous = umask(022);
    CHECK(umask(previous) == 022);
}

int main(void)
{
    test_clocks();
    test_calendar();
    test_memory();
    test_polling();
    test_sockets();
    test_addresses();
    test_terminal_and_names();
    return check_summary();
}
