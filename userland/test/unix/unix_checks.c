// AF_UNIX checks only Osprey can answer: AF_INET is refused (the host
// Linux has it), and the live-socket counter of /proc/sockstat returns to
// its baseline after sockets of every kind were made, connected, passed in
// cycles, held by exiting and killed processes, and closed. Leaves a socket
// inode at /tmp/osprey-socket for the system test's `ls -l` and `stat`.
// Prints PASS/FAIL lines; exits 1 on any failure.
#include "unix_common.h"

#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int g_failures;

static void check(int condition, const char* what)
{
    printf("%s %s\n", condition ? "PASS" : "FAIL", what);
    if (!condition)
        ++g_failures;
}

// "sockets: used N" and "inflight M" from /proc/sockstat; -1 if unreadable.
static long sockstat(const char* key)
{
    int fd = open("/proc/sockstat", O_RDONLY);
    if (fd < 0)
        return -1;
    char text[256];
    long length = read(fd, text, sizeof(text) - 1);
    close(fd);
    if (length <= 0)
        return -1;
    text[length] = 0;
    char* found = strstr(text, key);
    if (!found)
        return -1;
    return strtol(found + strlen(key), NULL, 10);
}

static void pass_fd(int socket, int fd)
{
    char control[CMSG_SPACE(sizeof(int))];
    memset(control, 0, sizeof(control));
    struct iovec vector = { "f", 1 };
    struct msghdr message = { 0 };
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof(control);
    struct cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(header), &fd, sizeof(int));
    sendmsg(socket, &message, 0);
}

// Random socket calls on a small set of non-blocking sockets: random flags,
// lengths, addresses (abstract names from a small set, so some exist) and
// control messages. Nothing may block, crash or leak.
static unsigned g_seed = 20261121;
static unsigned random_below(unsigned limit)
{
    g_seed = g_seed * 1103515245u + 12345u;
    return (g_seed >> 8) % limit;
}

static socklen_t random_address(struct sockaddr_un* address)
{
    memset(address, 0, sizeof(*address));
    address->sun_family = random_below(8) ? AF_UNIX : (sa_family_t)random_below(4);
    snprintf(address->sun_path + 1, sizeof(address->sun_path) - 1, "fz%u", random_below(4));
    switch (random_below(4)) {
    case 0:
        return (socklen_t)random_below(sizeof(*address) + 8);
    case 1:
        return sizeof(sa_family_t);
    default:
        return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 4);
    }
}

static void fuzz_sockets(void)
{
    enum { SLOTS = 12, ROUNDS = 20000 };
    static const int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
    int fds[SLOTS];
    for (int i = 0; i < SLOTS; ++i)
        fds[i] = -1;
    static char buffer[8192];
    static char control[512];
    signal(SIGPIPE, SIG_IGN);
    for (int round = 0; round < ROUNDS; ++round) {
        int slot = (int)random_below(SLOTS);
        int fd = fds[slot];
        int other = fds[random_below(SLOTS)];
        struct sockaddr_un address;
        socklen_t length = random_address(&address);
        size_t size = random_below(4) ? random_below(200) : random_below(sizeof(buffer));
        int flags = MSG_DONTWAIT
            | (int)(random_below(2) ? 0
                                    : (MSG_PEEK | MSG_TRUNC | MSG_WAITALL | MSG_NOSIGNAL) & (random_below(0x10000)));
        switch (random_below(14)) {
        case 0:
            if (fd >= 0)
                close(fd);
            fds[slot] = socket(AF_UNIX, types[random_below(3)] | SOCK_NONBLOCK, 0);
            break;
        case 1: {
            int pair[2];
            if (fd >= 0)
                close(fd);
            fds[slot] = -1;
            if (socketpair(AF_UNIX, types[random_below(3)] | SOCK_NONBLOCK, 0, pair) == 0) {
                fds[slot] = pair[0];
                int second = (int)random_below(SLOTS);
                if (fds[second] >= 0 && second != slot)
                    close(fds[second]);
                if (second != slot)
                    fds[second] = pair[1];
                else
                    close(pair[1]);
            }
            break;
        }
        case 2:
            (void)bind(fd, (struct sockaddr*)&address, length);
            break;
        case 3:
            listen(fd, (int)random_below(4) - 1);
            break;
        case 4:
            (void)connect(fd, (struct sockaddr*)&address, length);
            break;
        case 5: {
            int accepted = accept4(fd, NULL, NULL, SOCK_NONBLOCK);
            if (accepted >= 0) {
                if (fds[slot] >= 0)
                    close(fds[slot]);
                fds[slot] = accepted;
            }
            break;
        }
        case 6:
            sendto(fd, buffer, size, flags, random_below(2) ? (struct sockaddr*)&address : NULL, length);
            break;
        case 7:
            recvfrom(fd, buffer, size, flags, (struct sockaddr*)&address, &length);
            break;
        case 8: {
            struct iovec vector = { buffer, size };
            struct msghdr message = { 0 };
            message.msg_iov = &vector;
            message.msg_iovlen = 1;
            message.msg_control = control;
            message.msg_controllen = CMSG_SPACE(sizeof(int) * 2);
            struct cmsghdr* header = CMSG_FIRSTHDR(&message);
            header->cmsg_level = SOL_SOCKET;
            header->cmsg_type = random_below(5) ? SCM_RIGHTS : SCM_CREDENTIALS;
            header->cmsg_len = CMSG_LEN(sizeof(int) * (1 + random_below(2)));
            int passed[2] = { other, fds[random_below(SLOTS)] };
            memcpy(CMSG_DATA(header), passed, sizeof(passed));
            sendmsg(fd, &message, flags);
            break;
        }
        case 9: {
            struct iovec vector = { buffer, size };
            struct msghdr message = { 0 };
            message.msg_iov = &vector;
            message.msg_iovlen = 1;
            message.msg_control = control;
            message.msg_controllen = random_below(sizeof(control));
            message.msg_name = &address;
            message.msg_namelen = sizeof(address);
            if (recvmsg(fd, &message, flags | (random_below(2) ? MSG_CMSG_CLOEXEC : 0)) >= 0) {
                for (struct cmsghdr* header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
                    if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) {
                        int count = (int)((header->cmsg_len - CMSG_LEN(0)) / sizeof(int));
                        int* received = (int*)CMSG_DATA(header);
                        for (int i = 0; i < count; ++i)
                            close(received[i]);
                    }
                }
            }
            break;
        }
        case 10:
            shutdown(fd, (int)random_below(4));
            break;
        case 11: {
            int value = (int)random_below(300000);
            setsockopt(fd, SOL_SOCKET, (int)random_below(45), &value, (socklen_t)random_below(20));
            break;
        }
        case 12: {
            char value[32];
            socklen_t value_length = random_below(40);
            getsockopt(fd, SOL_SOCKET, (int)random_below(45), value, &value_length);
            break;
        }
        default:
            if (random_below(2))
                write(fd, buffer, size);
            else
                read(fd, buffer, size);
            break;
        }
    }
    for (int i = 0; i < SLOTS; ++i) {
        if (fds[i] >= 0)
            close(fds[i]);
    }
    signal(SIGPIPE, SIG_DFL);
}

static void churn(void)
{
    static const int types[] = { SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM };
    for (int round = 0; round < 20; ++round) {
        int sv[2];
        socketpair(AF_UNIX, types[round % 3], 0, sv);
        send(sv[0], "data", 4, 0);
        pass_fd(sv[0], sv[0]);
        pass_fd(sv[1], sv[1]); // each in its own peer's queue, and itself
        close(sv[0]);
        close(sv[1]);
    }
    // A listener with connections never accepted, one accepted.
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    memcpy(address.sun_path, "\0osprey-checks", 14);
    socklen_t length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 14);
    int server = socket(AF_UNIX, SOCK_STREAM, 0);
    (void)bind(server, (struct sockaddr*)&address, length);
    listen(server, 8);
    int clients[4];
    for (int i = 0; i < 4; ++i) {
        clients[i] = socket(AF_UNIX, SOCK_STREAM, 0);
        (void)connect(clients[i], (struct sockaddr*)&address, length);
        send(clients[i], "early", 5, 0);
    }
    int accepted = accept(server, NULL, NULL);
    pass_fd(clients[1], server); // the listener queued on one of its own connections
    close(server);
    close(accepted);
    for (int i = 0; i < 4; ++i)
        close(clients[i]);
    // Processes that exit or are killed holding sockets.
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t exiting = fork();
    if (exiting == 0) {
        int mine[2];
        socketpair(AF_UNIX, SOCK_DGRAM, 0, mine);
        pass_fd(mine[0], mine[1]);
        _exit(0);
    }
    pid_t blocked = fork();
    if (blocked == 0) {
        int mine[2];
        socketpair(AF_UNIX, SOCK_SEQPACKET, 0, mine);
        recv(sv[1], (char[4]) { 0 }, 4, 0);
        _exit(0);
    }
    struct timespec pause = { 0, 50000000 };
    nanosleep(&pause, NULL);
    kill(blocked, SIGKILL);
    int status;
    waitpid(exiting, &status, 0);
    waitpid(blocked, &status, 0);
    close(sv[0]);
    close(sv[1]);
}

// kshell's `exec` runs without init, so /proc may not be mounted yet.
static void mount_proc(void)
{
    if (access("/proc/sockstat", R_OK) == 0)
        return;
    mkdir("/proc", 0555);
    mount("proc", "/proc", "proc", 0, NULL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    mount_proc();
    errno = 0;
    int inet = socket(AF_INET, SOCK_STREAM, 0);
    check(inet < 0 && errno == EAFNOSUPPORT, "AF_INET is EAFNOSUPPORT");
    errno = 0;
    int pair[2];
    check(
        socketpair(AF_INET, SOCK_STREAM, 0, pair) < 0 && errno == EAFNOSUPPORT, "socketpair(AF_INET) is EAFNOSUPPORT");

    long baseline = sockstat("sockets: used ");
    check(baseline >= 0, "/proc/sockstat is readable");
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    check(sockstat("sockets: used ") == baseline + 2, "a socketpair counts two sockets");
    close(sv[0]);
    close(sv[1]);
    check(sockstat("sockets: used ") == baseline, "closing both ends frees them");

    churn();
    fuzz_sockets();
    check(1, "20000 random socket calls answered");
    // One more socket closed: the collector runs at every socket close.
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    close(sv[0]);
    close(sv[1]);
    long after = sockstat("sockets: used ");
    printf("sockets: baseline %ld, after %ld, in flight %ld\n", baseline, after, sockstat("inflight "));
    check(after == baseline, "every socket freed after churn, exits, kills and cycles");
    check(sockstat("inflight ") == 0, "nothing left in flight");

    // A named socket left behind: the name outlives the socket, as on Linux.
    unlink("/tmp/osprey-socket");
    mkdir("/tmp", 0777);
    int named = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    strcpy(address.sun_path, "/tmp/osprey-socket");
    check(bind(named, (struct sockaddr*)&address, sizeof(address)) == 0, "bind /tmp/osprey-socket");
    close(named);
    int late = socket(AF_UNIX, SOCK_STREAM, 0);
    errno = 0;
    check(connect(late, (struct sockaddr*)&address, sizeof(address)) < 0 && errno == ECONNREFUSED,
        "connect to the name of a closed socket is ECONNREFUSED");
    close(late);
    return g_failures ? 1 : 0;
}
