// Readiness of AF_UNIX sockets, observed: poll, ppoll, select and epoll
// (level-triggered, EPOLLET, EPOLLONESHOT) on stream, seqpacket and datagram
// sockets and listeners, blocked waits woken from another process, and
// signals interrupting blocked socket calls with and without SA_RESTART and
// SO_RCVTIMEO/SO_SNDTIMEO. As unix_transcript: the same binary runs on the
// host Linux (host.unix_poll_transcript holds it to poll_expected.txt) and
// on Osprey (system.unix_sockets holds Osprey's to the same file).
#include "unix_common.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef POLLRDHUP
#    define POLLRDHUP 0x2000
#endif

#define ALL_EVENTS (POLLIN | POLLPRI | POLLOUT | POLLRDNORM | POLLRDBAND | POLLWRNORM | POLLWRBAND | POLLRDHUP)

static const int TYPES[] = { SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM };
static const char* const TYPE_NAMES[] = { "stream", "seqpacket", "dgram" };

static char g_directory[64];
static volatile int g_signals;

static void count_signal(int signal)
{
    (void)signal;
    ++g_signals;
}

static void section(const char* name)
{
    printf("== %s\n", name);
}

static void sleep_ms(long ms)
{
    struct timespec duration = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&duration, NULL);
}

static const char* mask_name(unsigned mask)
{
    static char text[160];
    static const struct {
        unsigned bit;
        const char* name;
    } names[] = {
        { POLLIN, "IN" },
        { POLLPRI, "PRI" },
        { POLLOUT, "OUT" },
        { POLLERR, "ERR" },
        { POLLHUP, "HUP" },
        { POLLNVAL, "NVAL" },
        { POLLRDNORM, "RDNORM" },
        { POLLRDBAND, "RDBAND" },
        { POLLWRNORM, "WRNORM" },
        { POLLWRBAND, "WRBAND" },
        { 0x400, "MSG" },
        { POLLRDHUP, "RDHUP" },
    };
    text[0] = 0;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); ++i) {
        if (mask & names[i].bit) {
            if (text[0])
                strcat(text, "|");
            strcat(text, names[i].name);
            mask &= ~names[i].bit;
        }
    }
    if (mask) {
        char rest[24];
        snprintf(rest, sizeof(rest), "%s0x%x", text[0] ? "|" : "", mask);
        strcat(text, rest);
    }
    if (!text[0])
        strcpy(text, "0");
    return text;
}

// Prints "label: poll = N revents = MASK" for one fd and `events`.
static void show_poll_for(const char* label, int fd, short events, int timeout_ms)
{
    struct pollfd entry = { fd, events, 0 };
    errno = 0;
    int count = poll(&entry, 1, timeout_ms);
    if (count < 0)
        printf("%s: poll = -1 %s\n", label, errno_name(errno));
    else
        printf("%s: poll = %d revents = %s\n", label, count, mask_name((unsigned short)entry.revents));
}

static void show_poll(const char* label, int fd, int timeout_ms)
{
    show_poll_for(label, fd, ALL_EVENTS, timeout_ms);
}

// Prints what select says of one fd in all three sets.
static void show_select(const char* label, int fd)
{
    fd_set readable, writable, exceptional;
    FD_ZERO(&readable);
    FD_ZERO(&writable);
    FD_ZERO(&exceptional);
    FD_SET(fd, &readable);
    FD_SET(fd, &writable);
    FD_SET(fd, &exceptional);
    struct timeval zero = { 0, 0 };
    errno = 0;
    int count = select(fd + 1, &readable, &writable, &exceptional, &zero);
    if (count < 0)
        printf("%s: select = -1 %s\n", label, errno_name(errno));
    else
        printf("%s: select = %d r=%d w=%d x=%d\n", label, count, FD_ISSET(fd, &readable) != 0,
            FD_ISSET(fd, &writable) != 0, FD_ISSET(fd, &exceptional) != 0);
}

// Prints what epoll_wait returns (timeout in ms).
static void show_epoll(const char* label, int epoll, int timeout_ms)
{
    struct epoll_event events[4];
    errno = 0;
    int count = epoll_wait(epoll, events, 4, timeout_ms);
    if (count < 0) {
        printf("%s: epoll_wait = -1 %s\n", label, errno_name(errno));
        return;
    }
    printf("%s: epoll_wait = %d", label, count);
    for (int i = 0; i < count; ++i)
        printf(" {%s data=%llu}", mask_name(events[i].events), (unsigned long long)events[i].data.u64);
    printf("\n");
}

static void fill(int fd)
{
    static char chunk[4096];
    while (send(fd, chunk, sizeof(chunk), MSG_DONTWAIT) > 0) { }
}

static socklen_t path_address(struct sockaddr_un* address, const char* name)
{
    memset(address, 0, sizeof(*address));
    address->sun_family = AF_UNIX;
    snprintf(address->sun_path, sizeof(address->sun_path), "%s/%s", g_directory, name);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(address->sun_path) + 1);
}

// ---- connected pairs: data, room, shutdown, close ----
static void test_pairs(void)
{
    section("pairs");
    char label[96];
    char buffer[8];
    for (int i = 0; i < 3; ++i) {
        const char* name = TYPE_NAMES[i];
        int sv[2];
        socketpair(AF_UNIX, TYPES[i], 0, sv);
        snprintf(label, sizeof(label), "%s: fresh", name);
        show_poll(label, sv[0], 0);
        send(sv[1], "abc", 3, 0);
        snprintf(label, sizeof(label), "%s: data queued", name);
        show_poll(label, sv[0], 0);
        show_select(label, sv[0]);
        recv(sv[0], buffer, sizeof(buffer), 0);
        snprintf(label, sizeof(label), "%s: drained", name);
        show_poll(label, sv[0], 0);

        fill(sv[1]);
        snprintf(label, sizeof(label), "%s: writer, peer full", name);
        show_poll(label, sv[1], 0);
        show_select(label, sv[1]);
        while (recv(sv[0], buffer, sizeof(buffer), MSG_DONTWAIT) > 0) { }
        snprintf(label, sizeof(label), "%s: writer, peer drained", name);
        show_poll(label, sv[1], 0);

        shutdown(sv[1], SHUT_WR);
        snprintf(label, sizeof(label), "%s: peer SHUT_WR", name);
        show_poll(label, sv[0], 0);
        snprintf(label, sizeof(label), "%s: after own SHUT_WR", name);
        show_poll(label, sv[1], 0);
        shutdown(sv[0], SHUT_RD);
        snprintf(label, sizeof(label), "%s: peer SHUT_WR, own SHUT_RD", name);
        show_poll(label, sv[0], 0);
        close(sv[0]);
        close(sv[1]);

        socketpair(AF_UNIX, TYPES[i], 0, sv);
        shutdown(sv[0], SHUT_RDWR);
        snprintf(label, sizeof(label), "%s: own SHUT_RDWR", name);
        show_poll(label, sv[0], 0);
        snprintf(label, sizeof(label), "%s: peer SHUT_RDWR", name);
        show_poll(label, sv[1], 0);
        close(sv[0]);
        close(sv[1]);

        socketpair(AF_UNIX, TYPES[i], 0, sv);
        close(sv[1]);
        snprintf(label, sizeof(label), "%s: peer closed", name);
        show_poll(label, sv[0], 0);
        show_select(label, sv[0]);
        close(sv[0]);

        // Closed with unread data: the survivor sees the reset (POLLERR
        // where Linux sets sk_err).
        socketpair(AF_UNIX, TYPES[i], 0, sv);
        send(sv[0], "x", 1, 0);
        close(sv[1]);
        snprintf(label, sizeof(label), "%s: peer closed with unread data", name);
        show_poll(label, sv[0], 0);
        int error = -1;
        socklen_t length = sizeof(error);
        getsockopt(sv[0], SOL_SOCKET, SO_ERROR, &error, &length);
        printf("%s: SO_ERROR = %s\n", name, errno_name(error));
        snprintf(label, sizeof(label), "%s: after SO_ERROR", name);
        show_poll(label, sv[0], 0);
        close(sv[0]);

        int fd = socket(AF_UNIX, TYPES[i], 0);
        snprintf(label, sizeof(label), "%s: new unconnected", name);
        show_poll(label, fd, 0);
        show_select(label, fd);
        close(fd);
        snprintf(label, sizeof(label), "%s: closed fd", name);
        show_poll(label, fd, 0);
        show_select(label, fd);
    }
}

// ---- listeners and named sockets ----
static void test_listeners(void)
{
    section("listeners");
    char label[96];
    for (int i = 0; i < 2; ++i) {
        const char* name = TYPE_NAMES[i];
        struct sockaddr_un address;
        socklen_t length = path_address(&address, name);
        int listener = socket(AF_UNIX, TYPES[i], 0);
        (void)bind(listener, (struct sockaddr*)&address, length);
        snprintf(label, sizeof(label), "%s: bound, not listening", name);
        show_poll(label, listener, 0);
        listen(listener, 1);
        snprintf(label, sizeof(label), "%s: listening, nobody", name);
        show_poll(label, listener, 0);
        show_select(label, listener);
        int client = socket(AF_UNIX, TYPES[i] | SOCK_NONBLOCK, 0);
        SHOW("connect", connect(client, (struct sockaddr*)&address, length));
        snprintf(label, sizeof(label), "%s: listening, one pending", name);
        show_poll(label, listener, 0);
        show_select(label, listener);
        snprintf(label, sizeof(label), "%s: client before accept", name);
        show_poll(label, client, 0);
        int second = socket(AF_UNIX, TYPES[i] | SOCK_NONBLOCK, 0);
        int third = socket(AF_UNIX, TYPES[i] | SOCK_NONBLOCK, 0);
        SHOW("second connect", connect(second, (struct sockaddr*)&address, length));
        SHOW("third connect, backlog full, non-blocking", connect(third, (struct sockaddr*)&address, length));
        snprintf(label, sizeof(label), "%s: refused client", name);
        show_poll(label, third, 0);
        int accepted = accept(listener, NULL, NULL);
        snprintf(label, sizeof(label), "%s: accepted end", name);
        show_poll(label, accepted, 0);
        close(accepted);
        accepted = accept(listener, NULL, NULL);
        close(accepted);
        snprintf(label, sizeof(label), "%s: listening, all accepted", name);
        show_poll(label, listener, 0);
        snprintf(label, sizeof(label), "%s: client, accepted end closed", name);
        show_poll(label, client, 0);
        close(client);
        close(second);
        close(third);

        // A pending connection whose listener goes away.
        client = socket(AF_UNIX, TYPES[i], 0);
        (void)connect(client, (struct sockaddr*)&address, length);
        close(listener);
        snprintf(label, sizeof(label), "%s: client, listener closed before accept", name);
        show_poll(label, client, 0);
        close(client);
        unlink(address.sun_path);
    }

    // Datagrams to a receiver that is not connected back: the sender is
    // writable only while the receiver's queue has room.
    struct sockaddr_un address;
    socklen_t length = path_address(&address, "dgram");
    int receiver = socket(AF_UNIX, SOCK_DGRAM, 0);
    (void)bind(receiver, (struct sockaddr*)&address, length);
    int sender = socket(AF_UNIX, SOCK_DGRAM, 0);
    SHOW("dgram connect", connect(sender, (struct sockaddr*)&address, length));
    show_poll("dgram: sender, receiver empty", sender, 0);
    show_poll("dgram: receiver empty", receiver, 0);
    int sent = 0;
    while (send(sender, "m", 1, MSG_DONTWAIT) == 1)
        ++sent;
    printf("dgram: sent before EAGAIN = %d (%s)\n", sent, errno_name(errno));
    show_poll("dgram: sender, receiver full", sender, 0);
    show_select("dgram: sender, receiver full", sender);
    show_poll("dgram: receiver full", receiver, 0);
    int epoll = epoll_create1(0);
    struct epoll_event event = { EPOLLOUT, { .u64 = 9 } };
    epoll_ctl(epoll, EPOLL_CTL_ADD, sender, &event);
    show_epoll("dgram: epoll on sender, receiver full", epoll, 0);
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(100);
        char byte;
        recv(receiver, &byte, 1, 0);
        _exit(0);
    }
    show_poll("dgram: sender, blocked poll until one is read", sender, 5000);
    int status;
    waitpid(child, &status, 0);
    show_epoll("dgram: epoll on sender, one read", epoll, 0);
    close(epoll);
    close(receiver);
    show_poll("dgram: sender, receiver closed", sender, 0);
    SHOW("dgram: send, receiver closed", send(sender, "m", 1, MSG_DONTWAIT));
    show_poll("dgram: sender, after the failed send", sender, 0);
    close(sender);
    unlink(address.sun_path);
}

// ---- epoll: level, edge, one-shot ----
static void test_epoll(void)
{
    section("epoll");
    char label[96];
    char buffer[16];
    for (int i = 0; i < 3; ++i) {
        const char* name = TYPE_NAMES[i];
        int sv[2];
        socketpair(AF_UNIX, TYPES[i], 0, sv);
        int level = epoll_create1(0);
        int edge = epoll_create1(0);
        int once = epoll_create1(0);
        struct epoll_event event = { EPOLLIN | EPOLLRDHUP, { .u64 = 1 } };
        epoll_ctl(level, EPOLL_CTL_ADD, sv[0], &event);
        event.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
        epoll_ctl(edge, EPOLL_CTL_ADD, sv[0], &event);
        event.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
        epoll_ctl(once, EPOLL_CTL_ADD, sv[0], &event);
        snprintf(label, sizeof(label), "%s: LT empty", name);
        show_epoll(label, level, 0);
        send(sv[1], "one", 3, 0);
        snprintf(label, sizeof(label), "%s: LT data", name);
        show_epoll(label, level, 0);
        snprintf(label, sizeof(label), "%s: LT data again", name);
        show_epoll(label, level, 0);
        snprintf(label, sizeof(label), "%s: ET data", name);
        show_epoll(label, edge, 0);
        snprintf(label, sizeof(label), "%s: ET no new data", name);
        show_epoll(label, edge, 0);
        snprintf(label, sizeof(label), "%s: ONESHOT data", name);
        show_epoll(label, once, 0);
        send(sv[1], "two", 3, 0);
        snprintf(label, sizeof(label), "%s: ET more data", name);
        show_epoll(label, edge, 0);
        snprintf(label, sizeof(label), "%s: ONESHOT more data, disarmed", name);
        show_epoll(label, once, 0);
        event.events = EPOLLIN | EPOLLONESHOT;
        SHOW("EPOLL_CTL_MOD rearm", epoll_ctl(once, EPOLL_CTL_MOD, sv[0], &event));
        snprintf(label, sizeof(label), "%s: ONESHOT rearmed", name);
        show_epoll(label, once, 0);
        while (recv(sv[0], buffer, sizeof(buffer), MSG_DONTWAIT) > 0) { }
        snprintf(label, sizeof(label), "%s: LT drained", name);
        show_epoll(label, level, 0);

        // Room to write, edge-triggered: reported once, again after the
        // peer drains a full buffer.
        int writer = epoll_create1(0);
        event.events = EPOLLOUT | EPOLLET;
        event.data.u64 = 2;
        epoll_ctl(writer, EPOLL_CTL_ADD, sv[1], &event);
        snprintf(label, sizeof(label), "%s: ET OUT", name);
        show_epoll(label, writer, 0);
        snprintf(label, sizeof(label), "%s: ET OUT again", name);
        show_epoll(label, writer, 0);
        fill(sv[1]);
        snprintf(label, sizeof(label), "%s: ET OUT, peer full", name);
        show_epoll(label, writer, 0);
        while (recv(sv[0], buffer, sizeof(buffer), MSG_DONTWAIT) > 0) { }
        snprintf(label, sizeof(label), "%s: ET OUT, peer drained", name);
        show_epoll(label, writer, 0);

        shutdown(sv[1], SHUT_WR);
        snprintf(label, sizeof(label), "%s: LT peer SHUT_WR", name);
        show_epoll(label, level, 0);
        snprintf(label, sizeof(label), "%s: ET peer SHUT_WR", name);
        show_epoll(label, edge, 0);
        close(sv[1]);
        snprintf(label, sizeof(label), "%s: LT peer closed", name);
        show_epoll(label, level, 0);
        snprintf(label, sizeof(label), "%s: ET peer closed", name);
        show_epoll(label, edge, 0);
        close(sv[0]);
        snprintf(label, sizeof(label), "%s: LT socket closed", name);
        show_epoll(label, level, 0);
        close(level);
        close(edge);
        close(once);
        close(writer);
    }

    // A listener in epoll: IN per pending connection.
    struct sockaddr_un address;
    socklen_t length = path_address(&address, "epoll-listener");
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    (void)bind(listener, (struct sockaddr*)&address, length);
    listen(listener, 4);
    int epoll = epoll_create1(0);
    struct epoll_event event = { EPOLLIN | EPOLLET, { .u64 = 7 } };
    epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event);
    show_epoll("listener: ET nobody", epoll, 0);
    int first = socket(AF_UNIX, SOCK_STREAM, 0);
    (void)connect(first, (struct sockaddr*)&address, length);
    show_epoll("listener: ET one pending", epoll, 0);
    show_epoll("listener: ET no new", epoll, 0);
    int second = socket(AF_UNIX, SOCK_STREAM, 0);
    (void)connect(second, (struct sockaddr*)&address, length);
    show_epoll("listener: ET second pending", epoll, 0);
    close(accept(listener, NULL, NULL));
    close(accept(listener, NULL, NULL));
    close(first);
    close(second);
    close(epoll);
    close(listener);
    unlink(address.sun_path);
}

// ---- blocked waits woken from another process ----
static void test_wakeups(void)
{
    section("wake-ups");
    int status;
    for (int i = 0; i < 3; ++i) {
        char label[96];
        int sv[2];
        socketpair(AF_UNIX, TYPES[i], 0, sv);
        pid_t child = fork();
        if (child == 0) {
            sleep_ms(100);
            send(sv[1], "wake", 4, 0);
            sleep_ms(100);
            send(sv[1], "wake", 4, 0);
            sleep_ms(100);
            send(sv[1], "wake", 4, 0);
            _exit(0);
        }
        snprintf(label, sizeof(label), "%s: blocked poll", TYPE_NAMES[i]);
        show_poll_for(label, sv[0], POLLIN | POLLRDHUP, 5000);
        char buffer[8];
        recv(sv[0], buffer, sizeof(buffer), 0);

        int epoll = epoll_create1(0);
        struct epoll_event event = { EPOLLIN, { .u64 = 3 } };
        epoll_ctl(epoll, EPOLL_CTL_ADD, sv[0], &event);
        snprintf(label, sizeof(label), "%s: blocked epoll_wait", TYPE_NAMES[i]);
        show_epoll(label, epoll, 5000);
        recv(sv[0], buffer, sizeof(buffer), 0);
        close(epoll);

        fd_set readable;
        FD_ZERO(&readable);
        FD_SET(sv[0], &readable);
        struct timeval five = { 5, 0 };
        int count = select(sv[0] + 1, &readable, NULL, NULL, &five);
        printf("%s: blocked select = %d r=%d\n", TYPE_NAMES[i], count, FD_ISSET(sv[0], &readable) != 0);
        waitpid(child, &status, 0);
        close(sv[0]);
        close(sv[1]);
    }

    // A listener woken by a connect, a writer by the peer draining.
    struct sockaddr_un address;
    socklen_t length = path_address(&address, "wake-listener");
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    (void)bind(listener, (struct sockaddr*)&address, length);
    listen(listener, 4);
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(100);
        int client = socket(AF_UNIX, SOCK_STREAM, 0);
        (void)connect(client, (struct sockaddr*)&address, length);
        _exit(0);
    }
    struct pollfd entry = { listener, POLLIN, 0 };
    struct timespec five = { 5, 0 };
    int count = ppoll(&entry, 1, &five, NULL);
    printf("listener: blocked ppoll = %d revents = %s\n", count, mask_name((unsigned short)entry.revents));
    waitpid(child, &status, 0);
    close(accept(listener, NULL, NULL));
    close(listener);
    unlink(address.sun_path);

    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    fill(sv[0]);
    child = fork();
    if (child == 0) {
        sleep_ms(100);
        char buffer[4096];
        while (recv(sv[1], buffer, sizeof(buffer), MSG_DONTWAIT) > 0) { }
        _exit(0);
    }
    entry = (struct pollfd) { sv[0], POLLOUT, 0 };
    count = poll(&entry, 1, 5000);
    printf("writer: blocked poll until drained = %d revents = %s\n", count, mask_name((unsigned short)entry.revents));
    waitpid(child, &status, 0);
    close(sv[0]);
    close(sv[1]);

    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    child = fork();
    if (child == 0) {
        sleep_ms(100);
        _exit(0); // closes the child's copy of sv[1]
    }
    close(sv[1]);
    entry = (struct pollfd) { sv[0], POLLIN, 0 };
    count = poll(&entry, 1, 5000);
    printf("reader: blocked poll until the peer's last close = %d revents = %s\n", count,
        mask_name((unsigned short)entry.revents));
    waitpid(child, &status, 0);
    close(sv[0]);
}

// ---- signals interrupting blocked socket calls ----

// A child that sends SIGUSR1 to this process every 50 ms until stopped.
static int g_stop_signaller = -1;

static pid_t start_signaller(void)
{
    int stop[2];
    pipe2(stop, O_NONBLOCK);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        close(stop[1]);
        char byte;
        for (;;) {
            sleep_ms(50);
            if (read(stop[0], &byte, 1) == 0)
                _exit(0);
            kill(parent, SIGUSR1);
        }
    }
    close(stop[0]);
    g_stop_signaller = stop[1];
    return child;
}

static void stop_signaller(pid_t child)
{
    close(g_stop_signaller);
    int status;
    waitpid(child, &status, 0);
}

static void set_handler(int flags)
{
    struct sigaction action = { 0 };
    action.sa_handler = count_signal;
    action.sa_flags = flags;
    sigaction(SIGUSR1, &action, NULL);
}

// A helper process that does `what` to the far end after 400 ms (while the
// signaller has interrupted the caller several times).
enum Late { LATE_SEND, LATE_CONNECT, LATE_DRAIN };

static pid_t act_late(enum Late what, int fd, const struct sockaddr_un* address, socklen_t length)
{
    pid_t child = fork();
    if (child == 0) {
        signal(SIGUSR1, SIG_IGN);
        sleep_ms(400);
        if (what == LATE_SEND) {
            send(fd, "late", 4, 0);
        } else if (what == LATE_CONNECT) {
            int client = socket(AF_UNIX, SOCK_STREAM, 0);
            (void)connect(client, (const struct sockaddr*)address, length);
            sleep_ms(100);
        } else {
            char buffer[4096];
            while (recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT) > 0) { }
        }
        _exit(0);
    }
    return child;
}

static void interrupted_calls(const char* mode, int restart, int timeout_ms)
{
    char label[128];
    int status;
    set_handler(restart ? SA_RESTART : 0);
    struct timeval timeout = { timeout_ms / 1000, (timeout_ms % 1000) * 1000L };

    // recv on each type.
    for (int i = 0; i < 3; ++i) {
        int sv[2];
        socketpair(AF_UNIX, TYPES[i], 0, sv);
        if (timeout_ms)
            setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
        pid_t helper = act_late(LATE_SEND, sv[1], NULL, 0);
        g_signals = 0;
        pid_t signaller = start_signaller();
        char buffer[8] = { 0 };
        snprintf(label, sizeof(label), "%s: %s blocked recv", mode, TYPE_NAMES[i]);
        SHOW(label, recv(sv[0], buffer, sizeof(buffer), 0));
        stop_signaller(signaller);
        printf("%s: %s handler ran = %d\n", mode, TYPE_NAMES[i], g_signals > 0);
        waitpid(helper, &status, 0);
        close(sv[0]);
        close(sv[1]);
    }

    // accept.
    struct sockaddr_un address;
    socklen_t length = path_address(&address, "interrupted-listener");
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    (void)bind(listener, (struct sockaddr*)&address, length);
    listen(listener, 4);
    if (timeout_ms)
        setsockopt(listener, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    pid_t helper = act_late(LATE_CONNECT, -1, &address, length);
    g_signals = 0;
    pid_t signaller = start_signaller();
    int accepted = accept(listener, NULL, NULL);
    int error = errno;
    stop_signaller(signaller);
    if (accepted >= 0)
        printf("%s: blocked accept = ok\n", mode);
    else
        printf("%s: blocked accept = -1 %s\n", mode, errno_name(error));
    printf("%s: accept handler ran = %d\n", mode, g_signals > 0);
    waitpid(helper, &status, 0);
    if (accepted >= 0)
        close(accepted);
    close(listener);
    unlink(address.sun_path);

    // send on a full stream.
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    fill(sv[0]);
    if (timeout_ms)
        setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    helper = act_late(LATE_DRAIN, sv[1], NULL, 0);
    g_signals = 0;
    signaller = start_signaller();
    snprintf(label, sizeof(label), "%s: blocked send on a full stream", mode);
    SHOW(label, send(sv[0], "x", 1, 0));
    stop_signaller(signaller);
    printf("%s: send handler ran = %d\n", mode, g_signals > 0);
    waitpid(helper, &status, 0);
    close(sv[0]);
    close(sv[1]);
}

// A stop and SIGCONT (no handler) while blocked: poll runs again, epoll_wait
// fails with EINTR (signal(7)).
static void stopped_and_continued(const char* name, int use_epoll)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int report[2];
    pipe(report);
    // Everything made before the fork: the child goes straight to its wait.
    int epoll = epoll_create1(0);
    struct epoll_event event = { EPOLLIN, { .u64 = 0 } };
    epoll_ctl(epoll, EPOLL_CTL_ADD, sv[0], &event);
    pid_t child = fork();
    if (child == 0) {
        long result;
        int error;
        if (use_epoll) {
            errno = 0;
            result = epoll_wait(epoll, &event, 1, 5000);
        } else {
            struct pollfd entry = { sv[0], POLLIN, 0 };
            errno = 0;
            result = poll(&entry, 1, 5000);
        }
        error = errno;
        char line[64];
        int length = result < 0 ? snprintf(line, sizeof(line), "-1 %s", errno_name(error))
                                : snprintf(line, sizeof(line), "%ld", result);
        write(report[1], line, (size_t)length);
        _exit(0);
    }
    close(report[1]);
    sleep_ms(300);
    kill(child, SIGSTOP);
    int status;
    waitpid(child, &status, WUNTRACED);
    printf("%s: child stopped = %d\n", name, WIFSTOPPED(status));
    kill(child, SIGCONT);
    sleep_ms(200);
    send(sv[1], "x", 1, 0);
    char line[64] = { 0 };
    read(report[0], line, sizeof(line) - 1);
    printf("%s: after stop and SIGCONT = %s\n", name, line);
    waitpid(child, &status, 0);
    close(report[0]);
    close(epoll);
    close(sv[0]);
    close(sv[1]);
}

static void test_signals(void)
{
    section("signals");
    interrupted_calls("no SA_RESTART", 0, 0);
    interrupted_calls("SA_RESTART", 1, 0);
    interrupted_calls("SA_RESTART with timeouts", 1, 5000);
    interrupted_calls("no SA_RESTART with timeouts", 0, 5000);

    // poll and epoll_wait on a socket are not restarted after a handler,
    // SA_RESTART or not.
    set_handler(SA_RESTART);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t signaller = start_signaller();
    struct pollfd entry = { sv[0], POLLIN, 0 };
    SHOW("SA_RESTART: blocked poll", poll(&entry, 1, 5000));
    int epoll = epoll_create1(0);
    struct epoll_event event = { EPOLLIN, { .u64 = 0 } };
    epoll_ctl(epoll, EPOLL_CTL_ADD, sv[0], &event);
    SHOW("SA_RESTART: blocked epoll_wait", epoll_wait(epoll, &event, 1, 5000));
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(sv[0], &readable);
    SHOW("SA_RESTART: blocked select", select(sv[0] + 1, &readable, NULL, NULL, NULL));
    stop_signaller(signaller);
    close(epoll);
    close(sv[0]);
    close(sv[1]);
    signal(SIGUSR1, SIG_DFL);

    stopped_and_continued("blocked poll", 0);
    stopped_and_continued("blocked epoll_wait", 1);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    snprintf(g_directory, sizeof(g_directory), "/tmp/osprey-upoll-%08d", (int)getpid());
    mkdir("/tmp", 0777);
    if (mkdir(g_directory, 0777) < 0) {
        printf("FAIL: mkdir %s: %s\n", g_directory, errno_name(errno));
        return 1;
    }
    test_pairs();
    test_listeners();
    test_epoll();
    test_wakeups();
    test_signals();
    rmdir(g_directory);
    printf("== done\n");
    return 0;
}
