// AF_UNIX sockets, observed: every call's result and errno name, bytes and
// flags received, printed as a transcript. The same binary runs on the host
// Linux (host.unix_transcript compares it with expected.txt) and on Osprey
// (system.unix_sockets compares Osprey's with the same file), so each line
// is Linux's behaviour and Osprey must match it.
#include "unix_common.h"

#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SO_PROTOCOL
#    define SO_PROTOCOL 38
#endif
#ifndef SO_DOMAIN
#    define SO_DOMAIN 39
#endif

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

// A child that sends SIGUSR1 to this process every 50 ms until
// stop_signaller(): a blocking call made after start_signaller() is
// interrupted however late the scheduler lets it block.
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

static socklen_t path_address(struct sockaddr_un* address, const char* name)
{
    memset(address, 0, sizeof(*address));
    address->sun_family = AF_UNIX;
    snprintf(address->sun_path, sizeof(address->sun_path), "%s/%s", g_directory, name);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(address->sun_path) + 1);
}

static socklen_t abstract_address(struct sockaddr_un* address, const char* name)
{
    memset(address, 0, sizeof(*address));
    address->sun_family = AF_UNIX;
    size_t length = strlen(name);
    memcpy(address->sun_path + 1, name, length);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + length);
}

static void print_bytes(const char* label, const char* data, long count)
{
    printf("%s = \"", label);
    for (long i = 0; i < count; ++i) {
        unsigned char c = (unsigned char)data[i];
        if (c >= 32 && c < 127)
            putchar(c);
        else
            printf("\\x%02x", c);
    }
    printf("\" (%ld)\n", count);
}

static void read_show(const char* label, int fd, size_t size, int flags)
{
    char buffer[256];
    errno = 0;
    long got = recv(fd, buffer, size, flags);
    if (got < 0)
        printf("%s = -1 %s\n", label, errno_name(errno));
    else
        print_bytes(label, buffer, got < (long)size ? got : (long)size);
}

// ---- socket() arguments ----
static void test_socket_arguments(void)
{
    section("socket arguments");
    int fd;
    SHOW_OK("socket(AF_UNIX, SOCK_STREAM)", fd = socket(AF_UNIX, SOCK_STREAM, 0));
    close(fd);
    SHOW_OK("socket(AF_LOCAL, SOCK_DGRAM)", fd = socket(AF_LOCAL, SOCK_DGRAM, 0));
    close(fd);
    SHOW_OK("socket(AF_UNIX, SOCK_SEQPACKET)", fd = socket(AF_UNIX, SOCK_SEQPACKET, 0));
    close(fd);
    SHOW_OK("socket(AF_UNIX, SOCK_STREAM, PF_UNIX)", fd = socket(AF_UNIX, SOCK_STREAM, PF_UNIX));
    close(fd);
    SHOW("socket(9999, SOCK_STREAM)", socket(9999, SOCK_STREAM, 0));
    SHOW("socket(-1, SOCK_STREAM)", socket(-1, SOCK_STREAM, 0));
    SHOW("socket(AF_UNIX, 0)", socket(AF_UNIX, 0, 0));
    SHOW("socket(AF_UNIX, 4 /* RDM */)", socket(AF_UNIX, 4, 0));
    SHOW("socket(AF_UNIX, 6)", socket(AF_UNIX, 6, 0));
    SHOW("socket(AF_UNIX, 12)", socket(AF_UNIX, 12, 0));
    SHOW("socket(AF_UNIX, STREAM | 0x100)", socket(AF_UNIX, SOCK_STREAM | 0x100, 0));
    SHOW("socket(AF_UNIX, STREAM, 7)", socket(AF_UNIX, SOCK_STREAM, 7));
    SHOW("socket(AF_UNIX, 6, 7)", socket(AF_UNIX, 6, 7));
    SHOW("socket(AF_UNIX, 12 | bad flag)", socket(AF_UNIX, 12 | 0x100, 0));
    SHOW_OK("socket(AF_UNIX, SOCK_RAW)", fd = socket(AF_UNIX, SOCK_RAW, 0));
    int type = 0;
    socklen_t length = sizeof(type);
    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length);
    printf("SOCK_RAW unix socket type = %d\n", type);
    close(fd);
    SHOW("socketpair(9999)", socketpair(9999, SOCK_STREAM, 0, (int[2]) { 0, 0 }));
    SHOW("socketpair(AF_UNIX, 6)", socketpair(AF_UNIX, 6, 0, (int[2]) { 0, 0 }));
    SHOW("socket on a pipe: getsockname", ({
        int p[2];
        pipe(p);
        struct sockaddr_un a;
        socklen_t l = sizeof(a);
        long r = getsockname(p[0], (struct sockaddr*)&a, &l);
        int e = errno;
        close(p[0]);
        close(p[1]);
        errno = e;
        r;
    }));
    SHOW("send on a bad fd", send(999, "x", 1, 0));
}

// ---- the seed's three tests and its checklist ----
static void test_seed(void)
{
    section("seed");
    int sv[2];
    SHOW("socketpair(AF_UNIX, SOCK_STREAM)", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    printf("fds valid = %d\n", sv[0] >= 0 && sv[1] >= 0);
    SHOW("write(sv[0], hello)", write(sv[0], "hello", 5));
    char buffer[10];
    long got = read(sv[1], buffer, 10);
    print_bytes("read(sv[1])", buffer, got);
    SHOW("write(sv[0], A)", write(sv[0], "A", 1));
    SHOW("write(sv[1], B)", write(sv[1], "B", 1));
    got = read(sv[0], buffer, 1);
    print_bytes("read(sv[0])", buffer, got);
    got = read(sv[1], buffer, 1);
    print_bytes("read(sv[1])", buffer, got);
    SHOW("close(sv[0])", close(sv[0]));
    SHOW("read(sv[1]) after close", read(sv[1], buffer, 10));
    close(sv[1]);

    SHOW("socketpair(STREAM | NONBLOCK)", socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv));
    printf("O_NONBLOCK set = %d\n", (fcntl(sv[0], F_GETFL) & O_NONBLOCK) != 0);
    SHOW("read empty nonblocking", read(sv[0], buffer, 10));
    printf("FD_CLOEXEC set = %d\n", (fcntl(sv[0], F_GETFD) & FD_CLOEXEC) != 0);
    close(sv[0]);
    close(sv[1]);
    SHOW("socketpair(STREAM | CLOEXEC)", socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
    printf("FD_CLOEXEC set = %d\n", (fcntl(sv[0], F_GETFD) & FD_CLOEXEC) != 0);
    printf("O_NONBLOCK set = %d\n", (fcntl(sv[1], F_GETFL) & O_NONBLOCK) != 0);
    close(sv[0]);
    close(sv[1]);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    printf("socket NONBLOCK|CLOEXEC flags = %d %d\n", (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0,
        (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    printf("O_RDWR = %d\n", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
    struct stat status;
    SHOW("fstat(socket)", fstat(fd, &status));
    printf("S_ISSOCK = %d\n", S_ISSOCK(status.st_mode));
    close(fd);
}

// ---- close: EOF, EPIPE and SIGPIPE for each type ----
static void test_close_effects(void)
{
    section("close effects");
    static const int types[] = { SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM };
    static const char* names[] = { "stream", "seqpacket", "dgram" };
    signal(SIGPIPE, count_signal);
    for (int i = 0; i < 3; ++i) {
        int sv[2];
        char label[96];
        socketpair(AF_UNIX, types[i] | SOCK_NONBLOCK, 0, sv);
        write(sv[0], "xy", 2);
        close(sv[0]);
        g_signals = 0;
        snprintf(label, sizeof(label), "%s: read after peer close", names[i]);
        read_show(label, sv[1], 10, 0);
        snprintf(label, sizeof(label), "%s: read again", names[i]);
        read_show(label, sv[1], 10, 0);
        snprintf(label, sizeof(label), "%s: write after peer close", names[i]);
        SHOW(label, write(sv[1], "z", 1));
        printf("%s: SIGPIPE count = %d\n", names[i], g_signals);
        snprintf(label, sizeof(label), "%s: send MSG_NOSIGNAL", names[i]);
        SHOW(label, send(sv[1], "z", 1, MSG_NOSIGNAL));
        printf("%s: SIGPIPE count = %d\n", names[i], g_signals);
        snprintf(label, sizeof(label), "%s: write again", names[i]);
        SHOW(label, write(sv[1], "z", 1));
        close(sv[1]);
    }
    // Unread data at close: the peer sees a reset first.
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[1], "unread", 6);
    close(sv[0]);
    SHOW("stream: read after close with unread data", read(sv[1], (char[8]) { 0 }, 8));
    SHOW("stream: read again", read(sv[1], (char[8]) { 0 }, 8));
    close(sv[1]);
    signal(SIGPIPE, SIG_IGN);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    close(sv[0]);
    g_signals = 0;
    SHOW("stream: write with SIGPIPE ignored", write(sv[1], "z", 1));
    printf("SIGPIPE count = %d\n", g_signals);
    close(sv[1]);
    signal(SIGPIPE, SIG_DFL);
    // The default action kills.
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    close(sv[0]);
    pid_t child = fork();
    if (child == 0) {
        write(sv[1], "z", 1);
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("child killed by signal = %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    close(sv[1]);
}

// ---- records and streams ----
static void test_boundaries(void)
{
    section("boundaries");
    static const int types[] = { SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM };
    static const char* names[] = { "stream", "seqpacket", "dgram" };
    for (int i = 0; i < 3; ++i) {
        int sv[2];
        char label[96];
        socketpair(AF_UNIX, types[i], 0, sv);
        send(sv[0], "one", 3, 0);
        send(sv[0], "two", 3, 0);
        send(sv[0], "three", 5, 0);
        snprintf(label, sizeof(label), "%s: recv 100", names[i]);
        read_show(label, sv[1], 100, MSG_DONTWAIT);
        snprintf(label, sizeof(label), "%s: recv 2", names[i]);
        read_show(label, sv[1], 2, MSG_DONTWAIT);
        snprintf(label, sizeof(label), "%s: recv rest", names[i]);
        read_show(label, sv[1], 100, MSG_DONTWAIT);
        // MSG_TRUNC as a flag and in msg_flags.
        send(sv[0], "abcdefgh", 8, 0);
        char buffer[16];
        snprintf(label, sizeof(label), "%s: recv 3 MSG_TRUNC", names[i]);
        SHOW(label, recv(sv[1], buffer, 3, MSG_TRUNC | MSG_DONTWAIT));
        send(sv[0], "abcdefgh", 8, 0);
        struct iovec vector = { buffer, 4 };
        struct msghdr message = { 0 };
        message.msg_iov = &vector;
        message.msg_iovlen = 1;
        snprintf(label, sizeof(label), "%s: recvmsg 4", names[i]);
        SHOW(label, recvmsg(sv[1], &message, MSG_DONTWAIT));
        printf("%s: msg_flags = %#x\n", names[i], message.msg_flags);
        recv(sv[1], buffer, sizeof(buffer), MSG_DONTWAIT);
        // Empty records.
        snprintf(label, sizeof(label), "%s: send 0 bytes", names[i]);
        SHOW(label, send(sv[0], "", 0, 0));
        snprintf(label, sizeof(label), "%s: recv after empty send", names[i]);
        SHOW(label, recv(sv[1], buffer, sizeof(buffer), MSG_DONTWAIT));
        // MSG_PEEK leaves the data.
        send(sv[0], "peek", 4, 0);
        snprintf(label, sizeof(label), "%s: peek", names[i]);
        read_show(label, sv[1], 100, MSG_PEEK);
        snprintf(label, sizeof(label), "%s: peek 2", names[i]);
        read_show(label, sv[1], 2, MSG_PEEK);
        snprintf(label, sizeof(label), "%s: read after peek", names[i]);
        read_show(label, sv[1], 100, 0);
        snprintf(label, sizeof(label), "%s: MSG_DONTWAIT empty", names[i]);
        read_show(label, sv[1], 100, MSG_DONTWAIT);
        // readv and writev.
        struct iovec out[3] = { { "ab", 2 }, { "", 0 }, { "cde", 3 } };
        snprintf(label, sizeof(label), "%s: writev", names[i]);
        SHOW(label, writev(sv[0], out, 3));
        char first[2], second[10];
        struct iovec in[2] = { { first, 2 }, { second, 10 } };
        snprintf(label, sizeof(label), "%s: readv", names[i]);
        long got = readv(sv[1], in, 2);
        SHOW(label, got);
        print_bytes("  first", first, got < 2 ? got : 2);
        print_bytes("  second", second, got > 2 ? got - 2 : 0);
        close(sv[0]);
        close(sv[1]);
    }
    // A datagram too big for the send buffer.
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    send(sv[0], "keep", 4, 0);
    SHOW("dgram: read of 0 bytes", read(sv[1], (char[4]) { 0 }, 0));
    read_show("dgram: the record is still there", sv[1], 16, MSG_DONTWAIT);
    int size = 4096 * 16;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
    char* big = calloc(1, 300000);
    SHOW("dgram: send 300000 bytes", send(sv[0], big, 300000, 0));
    SHOW("dgram: send 100000 bytes", send(sv[0], big, 100000, 0));
    SHOW("dgram: recv it", recv(sv[1], big, 300000, 0));
    free(big);
    close(sv[0]);
    close(sv[1]);
}

// ---- a full buffer: partial writes, EAGAIN, blocking until drained ----
static void test_full_buffers(void)
{
    section("full buffers");
    static const int types[] = { SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM };
    static const char* names[] = { "stream", "seqpacket", "dgram" };
    static char chunk[65536];
    for (int i = 0; i < 3; ++i) {
        int sv[2];
        socketpair(AF_UNIX, types[i], 0, sv);
        size_t piece = types[i] == SOCK_STREAM ? sizeof(chunk) : 1000;
        long total = 0, last = 0;
        int rounds = 0;
        for (;;) {
            last = send(sv[0], chunk, piece, MSG_DONTWAIT);
            if (last < 0)
                break;
            total += last;
            if (++rounds > 100000)
                break;
        }
        printf("%s: filled, last = -1 %s, total > 0 = %d\n", names[i], errno_name(errno), total > 0);
        // A blocking writer finishes once a reader drains the buffer.
        pid_t child = fork();
        if (child == 0) {
            sleep_ms(100);
            char sink[65536];
            long drained = 0;
            while (drained < total + (long)piece) {
                long got = recv(sv[1], sink, sizeof(sink), 0);
                if (got <= 0)
                    break;
                drained += got;
            }
            _exit(0);
        }
        long sent = send(sv[0], chunk, piece, 0);
        printf("%s: blocking send after drain = %ld\n", names[i], sent);
        int status;
        waitpid(child, &status, 0);
        close(sv[0]);
        close(sv[1]);
    }
    // A large stream write is taken in parts while the reader keeps up.
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        char sink[4096];
        long drained = 0;
        long got;
        unsigned sum = 0;
        while ((got = read(sv[1], sink, sizeof(sink))) > 0) {
            for (long j = 0; j < got; ++j)
                sum = sum * 31 + (unsigned char)sink[j];
            drained += got;
        }
        printf("reader got %ld bytes, sum %u\n", drained, sum);
        _exit(0);
    }
    close(sv[1]);
    char* big = malloc(1 << 20);
    for (int j = 0; j < (1 << 20); ++j)
        big[j] = (char)(j * 7);
    SHOW("stream: write 1 MiB", write(sv[0], big, 1 << 20));
    free(big);
    close(sv[0]);
    int status;
    waitpid(child, &status, 0);
}

// ---- MSG_WAITALL and interrupted waits ----
static void test_waiting(void)
{
    section("waiting");
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t child = fork();
    if (child == 0) {
        for (int i = 0; i < 4; ++i) {
            sleep_ms(20);
            write(sv[1], "ab", 2);
        }
        _exit(0);
    }
    read_show("recv 8 MSG_WAITALL", sv[0], 8, MSG_WAITALL);
    int status;
    waitpid(child, &status, 0);
    write(sv[1], "xyz", 3);
    shutdown(sv[1], SHUT_WR);
    read_show("recv 8 MSG_WAITALL until EOF", sv[0], 8, MSG_WAITALL);
    close(sv[0]);
    close(sv[1]);

    // A signal interrupts a blocked recv (no SA_RESTART).
    struct sigaction action = { 0 };
    action.sa_handler = count_signal;
    sigaction(SIGUSR1, &action, NULL);
    static const int types[] = { SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM };
    static const char* names[] = { "stream", "seqpacket", "dgram" };
    for (int i = 0; i < 3; ++i) {
        socketpair(AF_UNIX, types[i], 0, sv);
        char label[96];
        g_signals = 0;
        child = start_signaller();
        snprintf(label, sizeof(label), "%s: blocked recv, signal", names[i]);
        SHOW(label, recv(sv[0], (char[4]) { 0 }, 4, 0));
        stop_signaller(child);
        printf("%s: handler ran = %d\n", names[i], g_signals > 0);
        close(sv[0]);
        close(sv[1]);
    }
    // A blocked send on a full buffer, interrupted.
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    static char chunk[65536];
    while (send(sv[0], chunk, sizeof(chunk), MSG_DONTWAIT) > 0) { }
    child = start_signaller();
    SHOW("blocked send, signal", send(sv[0], chunk, 100, 0));
    stop_signaller(child);
    close(sv[0]);
    close(sv[1]);

    // SO_RCVTIMEO and SO_SNDTIMEO.
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct timeval timeout = { 0, 100000 };
    SHOW("setsockopt SO_RCVTIMEO", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)));
    struct timespec before, after;
    clock_gettime(CLOCK_MONOTONIC, &before);
    SHOW("recv with timeout", recv(sv[0], (char[4]) { 0 }, 4, 0));
    clock_gettime(CLOCK_MONOTONIC, &after);
    long elapsed_ms = (after.tv_sec - before.tv_sec) * 1000 + (after.tv_nsec - before.tv_nsec) / 1000000;
    printf("waited at least 90 ms = %d\n", elapsed_ms >= 90);
    while (send(sv[1], chunk, sizeof(chunk), MSG_DONTWAIT) > 0) { }
    SHOW("setsockopt SO_SNDTIMEO", setsockopt(sv[1], SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout)));
    SHOW("send with timeout", send(sv[1], chunk, 100, 0));
    close(sv[0]);
    close(sv[1]);
}

// ---- names: filesystem, abstract, autobind ----
static void test_names(void)
{
    section("names");
    struct sockaddr_un address, got;
    socklen_t length = path_address(&address, "named");
    int server = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW("bind path", bind(server, (struct sockaddr*)&address, length));
    struct stat status;
    SHOW("stat path", stat(address.sun_path, &status));
    printf("S_ISSOCK = %d\n", S_ISSOCK(status.st_mode));
    SHOW("lstat path", lstat(address.sun_path, &status));
    printf("S_ISSOCK (lstat) = %d, size = %ld, nlink = %ld\n", S_ISSOCK(status.st_mode), (long)status.st_size,
        (long)status.st_nlink);
    SHOW("open socket path", open(address.sun_path, O_RDONLY));
    SHOW("bind again", bind(server, (struct sockaddr*)&address, length));
    int other = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW("bind taken path", bind(other, (struct sockaddr*)&address, length));
    socklen_t got_length = sizeof(got);
    SHOW("getsockname", getsockname(server, (struct sockaddr*)&got, &got_length));
    printf("length = %d, matches = %d\n", (int)got_length,
        got_length == length && strcmp(got.sun_path, address.sun_path) == 0);
    got_length = 4;
    SHOW("getsockname short buffer", getsockname(server, (struct sockaddr*)&got, &got_length));
    printf("reported length = %d\n", (int)got_length);
    SHOW("listen", listen(server, 5));
    int client = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW("connect", connect(client, (struct sockaddr*)&address, length));
    SHOW("unlink path", unlink(address.sun_path));
    SHOW("stat after unlink", stat(address.sun_path, &status));
    int accepted = accept(server, NULL, NULL);
    printf("accepted after unlink = %d\n", accepted >= 0);
    SHOW("send on the connection", send(client, "still", 5, 0));
    read_show("recv on the connection", accepted, 10, 0);
    int late = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW("connect after unlink", connect(late, (struct sockaddr*)&address, length));
    SHOW("bind path again after unlink", bind(other, (struct sockaddr*)&address, length));
    unlink(address.sun_path);
    close(late);
    close(accepted);
    close(client);
    close(server);
    close(other);

    // The umask applies to the socket file, and connecting needs write
    // permission on it: a user other than the owner (uid 1000) is refused.
    chmod(g_directory, 0755);
    mode_t previous_mask = umask(027);
    length = path_address(&address, "private");
    server = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW("bind under umask 027", bind(server, (struct sockaddr*)&address, length));
    umask(previous_mask);
    SHOW("stat private", stat(address.sun_path, &status));
    printf("socket file mode = %o\n", (unsigned)(status.st_mode & 07777));
    SHOW("listen private", listen(server, 5));
    fflush(stdout);
    pid_t stranger = fork();
    if (stranger == 0) {
        if (setgid(1000) != 0 || setuid(1000) != 0)
            _exit(2);
        int attempt = socket(AF_UNIX, SOCK_STREAM, 0);
        int connected = connect(attempt, (struct sockaddr*)&address, length);
        _exit(connected == -1 && errno == EACCES ? 0 : 1);
    }
    int stranger_status = 0;
    waitpid(stranger, &stranger_status, 0);
    printf("connect as another user without write permission: %s\n",
        WIFEXITED(stranger_status) && WEXITSTATUS(stranger_status) == 0 ? "EACCES" : "not EACCES");
    unlink(address.sun_path);
    close(server);

    // Bad addresses.
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW("bind length 1", bind(fd, (struct sockaddr*)&address, 1));
    SHOW("bind length 111", bind(fd, (struct sockaddr*)&address, 111));
    SHOW("bind length 200", bind(fd, (struct sockaddr*)&address, 200));
    struct sockaddr_un wrong = address;
    wrong.sun_family = AF_INET;
    SHOW("bind AF_INET family", bind(fd, (struct sockaddr*)&wrong, length));
    struct sockaddr_un missing;
    socklen_t missing_length = path_address(&missing, "no/such/dir");
    SHOW("bind in a missing directory", bind(fd, (struct sockaddr*)&missing, missing_length));
    close(fd);

    // A path without its NUL (the length ends it).
    fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    length = path_address(&address, "nonul");
    SHOW("bind without NUL", bind(fd, (struct sockaddr*)&address, length - 1));
    got_length = sizeof(got);
    getsockname(fd, (struct sockaddr*)&got, &got_length);
    printf("length = %d\n", (int)got_length);
    unlink(address.sun_path);
    close(fd);

    // Abstract names.
    length = abstract_address(&address, "osprey-abstract-test");
    server = socket(AF_UNIX, SOCK_DGRAM, 0);
    SHOW("bind abstract", bind(server, (struct sockaddr*)&address, length));
    other = socket(AF_UNIX, SOCK_DGRAM, 0);
    SHOW("bind same abstract", bind(other, (struct sockaddr*)&address, length));
    got_length = sizeof(got);
    getsockname(server, (struct sockaddr*)&got, &got_length);
    printf("abstract length = %d, leading NUL = %d, same = %d\n", (int)got_length, got.sun_path[0] == 0,
        memcmp(&got, &address, length) == 0);
    SHOW("sendto abstract", sendto(other, "abs", 3, 0, (struct sockaddr*)&address, length));
    char buffer[16];
    struct sockaddr_un from;
    socklen_t from_length = sizeof(from);
    long count = recvfrom(server, buffer, sizeof(buffer), 0, (struct sockaddr*)&from, &from_length);
    print_bytes("recvfrom abstract", buffer, count);
    printf("unnamed sender length = %d\n", (int)from_length);
    close(server);
    SHOW("sendto closed abstract", sendto(other, "abs", 3, 0, (struct sockaddr*)&address, length));
    close(other);

    // Autobind.
    fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    got_length = sizeof(got);
    getsockname(fd, (struct sockaddr*)&got, &got_length);
    printf("unbound getsockname length = %d, family = %d\n", (int)got_length, got.sun_family);
    struct sockaddr_un empty = { .sun_family = AF_UNIX };
    SHOW("bind empty (autobind)", bind(fd, (struct sockaddr*)&empty, sizeof(sa_family_t)));
    got_length = sizeof(got);
    getsockname(fd, (struct sockaddr*)&got, &got_length);
    int hex = 1;
    for (int i = 1; i < 6; ++i)
        hex &= (got.sun_path[i] >= '0' && got.sun_path[i] <= '9') || (got.sun_path[i] >= 'a' && got.sun_path[i] <= 'f');
    printf("autobind length = %d, leading NUL = %d, hex name = %d\n", (int)got_length, got.sun_path[0] == 0, hex);
    SHOW("bind empty again", bind(fd, (struct sockaddr*)&empty, sizeof(sa_family_t)));
    length = abstract_address(&address, "osprey-after-autobind");
    SHOW("bind after autobind", bind(fd, (struct sockaddr*)&address, length));
    close(fd);
}

// ---- listen, connect, accept ----
static void test_connections(void)
{
    section("connections");
    struct sockaddr_un address;
    socklen_t length = path_address(&address, "listener");
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW("listen unbound", listen(fd, 5));
    SHOW("accept unbound", accept(fd, NULL, NULL));
    SHOW("connect missing path", connect(fd, (struct sockaddr*)&address, length));
    int server = socket(AF_UNIX, SOCK_STREAM, 0);
    (void)bind(server, (struct sockaddr*)&address, length);
    SHOW("connect bound, not listening", connect(fd, (struct sockaddr*)&address, length));
    int value = -1;
    socklen_t value_length = sizeof(value);
    getsockopt(server, SOL_SOCKET, SO_ACCEPTCONN, &value, &value_length);
    printf("SO_ACCEPTCONN before listen = %d\n", value);
    SHOW("listen backlog 1", listen(server, 1));
    getsockopt(server, SOL_SOCKET, SO_ACCEPTCONN, &value, &value_length);
    printf("SO_ACCEPTCONN after listen = %d\n", value);
    int dgram = socket(AF_UNIX, SOCK_DGRAM, 0);
    SHOW("connect dgram to stream listener", connect(dgram, (struct sockaddr*)&address, length));
    int seqpacket = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    SHOW("connect seqpacket to stream listener", connect(seqpacket, (struct sockaddr*)&address, length));
    SHOW("listen on dgram", listen(dgram, 1));
    SHOW("accept on dgram", accept(dgram, NULL, NULL));
    close(dgram);
    close(seqpacket);

    // The backlog: backlog + 1 pending, then EAGAIN for non-blocking connects.
    int clients[4];
    for (int i = 0; i < 4; ++i) {
        clients[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        char label[64];
        snprintf(label, sizeof(label), "nonblocking connect %d", i);
        SHOW(label, connect(clients[i], (struct sockaddr*)&address, length));
    }
    SHOW("connect again (connected)", connect(clients[0], (struct sockaddr*)&address, length));
    struct sockaddr_un missing;
    socklen_t missing_length = path_address(&missing, "missing");
    SHOW("connect connected to a missing path", connect(clients[0], (struct sockaddr*)&missing, missing_length));
    SHOW("send before accept", send(clients[0], "early", 5, 0));
    struct sockaddr_un peer;
    socklen_t peer_length = sizeof(peer);
    SHOW("getpeername client", getpeername(clients[0], (struct sockaddr*)&peer, &peer_length));
    printf("peer is the listener path = %d\n", strcmp(peer.sun_path, address.sun_path) == 0);
    peer_length = sizeof(peer);
    int accepted = accept(server, (struct sockaddr*)&peer, &peer_length);
    printf("accept ok = %d, client address length = %d\n", accepted >= 0, (int)peer_length);
    read_show("recv early data", accepted, 16, 0);
    {
        send(accepted, "back", 4, 0);
        struct sockaddr_un from;
        socklen_t from_length = sizeof(from);
        char reply[8];
        SHOW("recvfrom on the client",
            recvfrom(clients[0], reply, sizeof(reply), 0, (struct sockaddr*)&from, &from_length));
        printf("stream sender address length = %d, is the listener path = %d\n", (int)from_length,
            from_length > 2 && strcmp(from.sun_path, address.sun_path) == 0);
        send(clients[0], "more", 4, 0);
        from_length = sizeof(from);
        recvfrom(accepted, reply, sizeof(reply), 0, (struct sockaddr*)&from, &from_length);
        printf("unnamed client as sender: address length = %d\n", (int)from_length);
    }
    peer_length = sizeof(peer);
    getsockname(accepted, (struct sockaddr*)&peer, &peer_length);
    printf("accepted getsockname is the listener path = %d\n", strcmp(peer.sun_path, address.sun_path) == 0);
    peer_length = sizeof(peer);
    SHOW("getpeername accepted", getpeername(accepted, (struct sockaddr*)&peer, &peer_length));
    printf("length = %d\n", (int)peer_length);
    close(accepted);
    accepted = accept4(server, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    printf("accept4 flags = %d %d\n", (fcntl(accepted, F_GETFL) & O_NONBLOCK) != 0,
        (fcntl(accepted, F_GETFD) & FD_CLOEXEC) != 0);
    close(accepted);
    SHOW("accept4 bad flags", accept4(server, NULL, NULL, 0x1));
    fcntl(server, F_SETFL, O_NONBLOCK);
    SHOW("accept nothing pending (nonblocking)", accept(server, NULL, NULL));
    fcntl(server, F_SETFL, 0);
    for (int i = 0; i < 4; ++i)
        close(clients[i]);

    // A blocking accept wakes when a client connects.
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(50);
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        (void)connect(c, (struct sockaddr*)&address, length);
        write(c, "hi", 2);
        close(c);
        _exit(0);
    }
    accepted = accept(server, NULL, NULL);
    read_show("blocking accept, then recv", accepted, 16, 0);
    read_show("then EOF", accepted, 16, 0);
    close(accepted);
    int status;
    waitpid(child, &status, 0);

    // A blocking connect waits for room in the backlog.
    int waiting[2];
    for (int i = 0; i < 2; ++i) {
        waiting[i] = socket(AF_UNIX, SOCK_STREAM, 0);
        (void)connect(waiting[i], (struct sockaddr*)&address, length);
    }
    child = fork();
    if (child == 0) {
        sleep_ms(100);
        int a = accept(server, NULL, NULL);
        close(a);
        _exit(0);
    }
    int third = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW("blocking connect with a full backlog", connect(third, (struct sockaddr*)&address, length));
    waitpid(child, &status, 0);

    // The listener closes with connections pending.
    close(server);
    SHOW("pending client: recv after listener close", recv(waiting[1], (char[4]) { 0 }, 4, 0));
    SHOW("pending client: recv again", recv(waiting[1], (char[4]) { 0 }, 4, 0));
    SHOW("pending client: send", send(waiting[1], "x", 1, MSG_NOSIGNAL));
    SHOW("connect to closed listener", connect(fd, (struct sockaddr*)&address, length));
    for (int i = 0; i < 2; ++i)
        close(waiting[i]);
    close(third);
    unlink(address.sun_path);
    close(fd);

    // A regular file is not a socket.
    length = path_address(&address, "regular");
    close(open(address.sun_path, O_CREAT | O_WRONLY, 0644));
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW("connect to a regular file", connect(fd, (struct sockaddr*)&address, length));
    SHOW("bind over a regular file", bind(fd, (struct sockaddr*)&address, length));
    unlink(address.sun_path);
    SHOW("connect AF_UNSPEC on stream", connect(fd, (struct sockaddr*)&(struct sockaddr) { AF_UNSPEC, { 0 } }, 16));
    SHOW("send unconnected stream", send(fd, "x", 1, MSG_NOSIGNAL));
    SHOW("recv unconnected stream", recv(fd, (char[4]) { 0 }, 4, MSG_DONTWAIT));
    SHOW("getpeername unconnected", getpeername(fd, (struct sockaddr*)&address, &(socklen_t) { sizeof(address) }));
    SHOW("sendto on unconnected stream", sendto(fd, "x", 1, 0, (struct sockaddr*)&address, length));
    close(fd);

    // seqpacket connections.
    length = abstract_address(&address, "osprey-seqpacket");
    server = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    (void)bind(server, (struct sockaddr*)&address, length);
    listen(server, 4);
    int client = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    SHOW("seqpacket recv unconnected", recv(client, (char[4]) { 0 }, 4, MSG_DONTWAIT));
    SHOW("seqpacket send unconnected", send(client, "x", 1, MSG_NOSIGNAL));
    SHOW("seqpacket connect", connect(client, (struct sockaddr*)&address, length));
    accepted = accept(server, NULL, NULL);
    send(client, "rec1", 4, 0);
    send(client, "record2", 7, 0);
    read_show("seqpacket recv 1", accepted, 100, 0);
    read_show("seqpacket recv 2", accepted, 3, 0);
    SHOW("seqpacket sendto with address", sendto(client, "x", 1, 0, (struct sockaddr*)&address, length));
    read_show("seqpacket recv 3", accepted, 100, 0);
    close(client);
    read_show("seqpacket recv after close", accepted, 100, 0);
    close(accepted);
    close(server);
}

// ---- datagrams between named sockets ----
static void test_datagrams(void)
{
    section("datagrams");
    struct sockaddr_un a_address, b_address, from;
    socklen_t a_length = path_address(&a_address, "dgram-a");
    socklen_t b_length = path_address(&b_address, "dgram-b");
    int a = socket(AF_UNIX, SOCK_DGRAM, 0);
    int b = socket(AF_UNIX, SOCK_DGRAM, 0);
    int c = socket(AF_UNIX, SOCK_DGRAM, 0);
    (void)bind(a, (struct sockaddr*)&a_address, a_length);
    (void)bind(b, (struct sockaddr*)&b_address, b_length);
    SHOW("send unconnected, no address", send(a, "x", 1, 0));
    SHOW("sendto b", sendto(a, "to-b", 4, 0, (struct sockaddr*)&b_address, b_length));
    char buffer[32];
    socklen_t from_length = sizeof(from);
    long count = recvfrom(b, buffer, sizeof(buffer), 0, (struct sockaddr*)&from, &from_length);
    print_bytes("recvfrom b", buffer, count);
    printf("from a = %d, length = %d\n", strcmp(from.sun_path, a_address.sun_path) == 0, (int)from_length);
    from_length = 3;
    sendto(a, "again", 5, 0, (struct sockaddr*)&b_address, b_length);
    recvfrom(b, buffer, sizeof(buffer), 0, (struct sockaddr*)&from, &from_length);
    printf("short address buffer: reported length = %d\n", (int)from_length);
    SHOW("connect a to b", connect(a, (struct sockaddr*)&b_address, b_length));
    SHOW("send a (connected)", send(a, "conn", 4, 0));
    read_show("recv b", b, 32, 0);
    struct sockaddr_un peer;
    socklen_t peer_length = sizeof(peer);
    SHOW("getpeername a", getpeername(a, (struct sockaddr*)&peer, &peer_length));
    printf("peer is b = %d\n", strcmp(peer.sun_path, b_address.sun_path) == 0);
    SHOW("connect b to a", connect(b, (struct sockaddr*)&a_address, a_length));
    SHOW("sendto b from c (b connected to a)", sendto(c, "c", 1, 0, (struct sockaddr*)&b_address, b_length));
    SHOW("connect c to b (b connected to a)", connect(c, (struct sockaddr*)&b_address, b_length));
    SHOW("sendto with address while connected", sendto(a, "explicit", 8, 0, (struct sockaddr*)&b_address, b_length));
    read_show("recv b", b, 32, 0);
    SHOW("connect AF_UNSPEC",
        connect(a, (struct sockaddr*)&(struct sockaddr) { AF_UNSPEC, { 0 } }, sizeof(sa_family_t)));
    SHOW("getpeername after disconnect", getpeername(a, (struct sockaddr*)&peer, &peer_length));
    SHOW("send after disconnect", send(a, "x", 1, 0));
    SHOW("connect a to b again", connect(a, (struct sockaddr*)&b_address, b_length));
    close(b);
    SHOW("send to closed peer", send(a, "x", 1, 0));
    SHOW("send again", send(a, "x", 1, 0));
    SHOW("sendto the path of a closed socket", sendto(c, "x", 1, 0, (struct sockaddr*)&b_address, b_length));
    unlink(b_address.sun_path);
    SHOW("sendto a missing path", sendto(c, "x", 1, 0, (struct sockaddr*)&b_address, b_length));
    int stream = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un s_address;
    socklen_t s_length = path_address(&s_address, "stream-for-dgram");
    (void)bind(stream, (struct sockaddr*)&s_address, s_length);
    SHOW("sendto a stream socket", sendto(c, "x", 1, 0, (struct sockaddr*)&s_address, s_length));
    close(stream);
    unlink(s_address.sun_path);
    close(a);
    close(c);
    unlink(a_address.sun_path);

    // The queue limit of a receiver not connected back.
    int receiver = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un r_address;
    socklen_t r_length = path_address(&r_address, "dgram-queue");
    (void)bind(receiver, (struct sockaddr*)&r_address, r_length);
    int sender = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int sent = 0;
    while (sendto(sender, "q", 1, 0, (struct sockaddr*)&r_address, r_length) == 1 && sent < 1000)
        ++sent;
    printf("datagrams queued before EAGAIN = %d (%s)\n", sent, errno_name(errno));
    recv(receiver, buffer, sizeof(buffer), 0);
    SHOW("sendto after one read", sendto(sender, "q", 1, 0, (struct sockaddr*)&r_address, r_length));
    close(sender);
    close(receiver);
    unlink(r_address.sun_path);
}

// ---- SCM_RIGHTS ----
static long send_fds(int socket, const int* fds, int count, const char* data, size_t length)
{
    char control[CMSG_SPACE(sizeof(int) * 16)];
    memset(control, 0, sizeof(control));
    struct iovec vector = { (void*)data, length };
    struct msghdr message = { 0 };
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = CMSG_SPACE(sizeof(int) * count);
    struct cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int) * count);
    memcpy(CMSG_DATA(header), fds, sizeof(int) * count);
    return sendmsg(socket, &message, 0);
}

// Receives up to `capacity` fds; returns the byte count, fills fds and *count.
static long receive_fds(
    int socket, int* fds, int* count, size_t control_space, int flags, char* data, size_t length, int* message_flags)
{
    char control[512];
    memset(control, 0, sizeof(control));
    struct iovec vector = { data, length };
    struct msghdr message = { 0 };
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    message.msg_control = control_space ? control : NULL;
    message.msg_controllen = control_space;
    long got = recvmsg(socket, &message, flags);
    *count = 0;
    if (message_flags)
        *message_flags = message.msg_flags;
    if (got < 0)
        return got;
    for (struct cmsghdr* header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) {
            int n = (int)((header->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            memcpy(fds + *count, CMSG_DATA(header), n * sizeof(int));
            *count += n;
        }
    }
    return got;
}

static void test_rights(void)
{
    section("SCM_RIGHTS");
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int pipe_fds[2];
    pipe(pipe_fds);
    struct sockaddr_un file_address;
    path_address(&file_address, "passed-file");
    int file = open(file_address.sun_path, O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(file, "file contents", 13);
    lseek(file, 5, SEEK_SET);
    int inner[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, inner);
    int passing[4] = { pipe_fds[1], file, inner[1], pipe_fds[0] };
    SHOW("sendmsg 4 fds", send_fds(sv[0], passing, 4, "F", 1));
    close(pipe_fds[1]);
    close(file);
    close(inner[1]);
    close(pipe_fds[0]);
    int fds[16], count = 0, flags = 0;
    char data[16];
    SHOW("recvmsg", receive_fds(sv[1], fds, &count, 512, 0, data, sizeof(data), &flags));
    printf(
        "fds received = %d, msg_flags = %#x, cloexec = %d\n", count, flags, (fcntl(fds[0], F_GETFD) & FD_CLOEXEC) != 0);
    // The passed pipe write end and the local read end still work.
    SHOW("write via passed pipe end", write(fds[0], "pipe", 4));
    char buffer[32];
    long got = read(fds[3], buffer, sizeof(buffer));
    print_bytes("read via passed read end", buffer, got);
    // The passed file shares the offset.
    got = read(fds[1], buffer, sizeof(buffer));
    print_bytes("read via passed file", buffer, got);
    // The passed socket is connected to its pair.
    SHOW("send via passed socket", send(fds[2], "inner", 5, 0));
    read_show("recv on its pair", inner[0], 16, 0);
    // Closing the only write end gives EOF.
    close(fds[0]);
    SHOW("pipe read after closing the passed write end", read(fds[3], buffer, sizeof(buffer)));
    close(fds[1]);
    close(fds[2]);
    close(fds[3]);
    close(inner[0]);

    // MSG_CMSG_CLOEXEC.
    pipe(pipe_fds);
    send_fds(sv[0], pipe_fds, 2, "C", 1);
    receive_fds(sv[1], fds, &count, 512, MSG_CMSG_CLOEXEC, data, sizeof(data), &flags);
    printf("MSG_CMSG_CLOEXEC: count = %d, cloexec = %d %d, msg_flags = %#x\n", count,
        (fcntl(fds[0], F_GETFD) & FD_CLOEXEC) != 0, (fcntl(fds[1], F_GETFD) & FD_CLOEXEC) != 0, flags);
    close(fds[0]);
    close(fds[1]);

    // A control buffer too small: MSG_CTRUNC, and what did not fit is closed.
    send_fds(sv[0], pipe_fds, 2, "T", 1);
    close(pipe_fds[1]);
    got = receive_fds(sv[1], fds, &count, CMSG_LEN(sizeof(int)), 0, data, sizeof(data), &flags);
    printf("small control: bytes = %ld, count = %d, MSG_CTRUNC = %d\n", got, count, (flags & MSG_CTRUNC) != 0);
    SHOW("pipe read (write end dropped)", read(pipe_fds[0], buffer, sizeof(buffer)));
    for (int i = 0; i < count; ++i)
        close(fds[i]);
    close(pipe_fds[0]);
    send_fds(sv[0], sv, 1, "N", 1);
    got = receive_fds(sv[1], fds, &count, 0, 0, data, sizeof(data), &flags);
    printf("no control: bytes = %ld, count = %d, MSG_CTRUNC = %d\n", got, count, (flags & MSG_CTRUNC) != 0);

    // Stream reads stop after the bytes that carried rights.
    pipe(pipe_fds);
    send(sv[0], "before", 6, 0);
    send_fds(sv[0], pipe_fds, 1, "with", 4);
    send(sv[0], "after", 5, 0);
    got = receive_fds(sv[1], fds, &count, 512, 0, buffer, sizeof(buffer), &flags);
    print_bytes("stream read 1", buffer, got);
    printf("count = %d\n", count);
    for (int i = 0; i < count; ++i)
        close(fds[i]);
    got = receive_fds(sv[1], fds, &count, 512, 0, buffer, sizeof(buffer), &flags);
    print_bytes("stream read 2", buffer, got);
    printf("count = %d\n", count);
    // MSG_PEEK duplicates the rights.
    send_fds(sv[0], pipe_fds, 1, "peek", 4);
    got = receive_fds(sv[1], fds, &count, 512, MSG_PEEK, buffer, sizeof(buffer), &flags);
    printf("peek: bytes = %ld, count = %d\n", got, count);
    for (int i = 0; i < count; ++i)
        close(fds[i]);
    got = receive_fds(sv[1], fds, &count, 512, 0, buffer, sizeof(buffer), &flags);
    printf("read: bytes = %ld, count = %d\n", got, count);
    for (int i = 0; i < count; ++i)
        close(fds[i]);

    // The most rights one message may carry (SCM_MAX_FD, 253), and one more.
    {
        static char many_control[CMSG_SPACE(sizeof(int) * 260)];
        int many[254];
        int pipe_ends[2];
        pipe(pipe_ends);
        for (int i = 0; i < 254; ++i)
            many[i] = pipe_ends[1];
        for (int count_sent = 253; count_sent <= 254; ++count_sent) {
            memset(many_control, 0, sizeof(many_control));
            struct iovec many_vector = { "m", 1 };
            struct msghdr many_message = { 0 };
            many_message.msg_iov = &many_vector;
            many_message.msg_iovlen = 1;
            many_message.msg_control = many_control;
            many_message.msg_controllen = CMSG_SPACE(sizeof(int) * count_sent);
            struct cmsghdr* many_header = CMSG_FIRSTHDR(&many_message);
            many_header->cmsg_level = SOL_SOCKET;
            many_header->cmsg_type = SCM_RIGHTS;
            many_header->cmsg_len = CMSG_LEN(sizeof(int) * count_sent);
            memcpy(CMSG_DATA(many_header), many, sizeof(int) * count_sent);
            char label[64];
            snprintf(label, sizeof(label), "sendmsg with %d fds", count_sent);
            SHOW(label, sendmsg(sv[0], &many_message, 0));
        }
        close(pipe_ends[1]);
        memset(many_control, 0, sizeof(many_control));
        struct iovec in_vector = { buffer, sizeof(buffer) };
        struct msghdr in_message = { 0 };
        in_message.msg_iov = &in_vector;
        in_message.msg_iovlen = 1;
        in_message.msg_control = many_control;
        in_message.msg_controllen = sizeof(many_control);
        SHOW("recvmsg 253 fds", recvmsg(sv[1], &in_message, 0));
        struct cmsghdr* in_header = CMSG_FIRSTHDR(&in_message);
        int received_count = in_header ? (int)((in_header->cmsg_len - CMSG_LEN(0)) / sizeof(int)) : 0;
        printf("fds received = %d, MSG_CTRUNC = %d\n", received_count, (in_message.msg_flags & MSG_CTRUNC) != 0);
        int* received_fds = (int*)CMSG_DATA(in_header);
        for (int i = 0; i < received_count; ++i)
            close(received_fds[i]);
        SHOW("pipe read once every passed writer is closed", read(pipe_ends[0], buffer, sizeof(buffer)));
        close(pipe_ends[0]);
    }

    // Errors.
    int bad = 999;
    SHOW("send a bad fd", send_fds(sv[0], &bad, 1, "x", 1));
    char control[CMSG_SPACE(sizeof(int))];
    struct iovec vector = { "x", 1 };
    struct msghdr message = { 0 };
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof(control);
    struct cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = 77;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    SHOW("unknown SOL_SOCKET cmsg type", sendmsg(sv[0], &message, 0));
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = sizeof(control) + 8;
    SHOW("cmsg_len past the buffer", sendmsg(sv[0], &message, 0));
    header->cmsg_level = 12345;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    SHOW("other level cmsg (ignored)", sendmsg(sv[0], &message, 0));
    recv(sv[1], buffer, sizeof(buffer), MSG_DONTWAIT);

    // Rights in messages never read are dropped with the socket.
    int pair[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, pair);
    pipe(pipe_fds);
    send_fds(pair[0], &pipe_fds[1], 1, "u", 1);
    close(pipe_fds[1]);
    close(pair[0]);
    close(pair[1]);
    SHOW("pipe read after the socket holding its writer closed", read(pipe_fds[0], buffer, sizeof(buffer)));
    close(pipe_fds[0]);

    // A socket sent over itself, with a pipe writer beside it: once every
    // fd is closed only the collector can free them.
    socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
    pipe(pipe_fds);
    int cycle[2] = { pair[1], pipe_fds[1] };
    SHOW("send a socket into its own queue", send_fds(pair[0], cycle, 2, "c", 1));
    close(pipe_fds[1]);
    close(pair[0]);
    close(pair[1]);
    int trigger[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, trigger);
    close(trigger[0]);
    close(trigger[1]);
    SHOW("pipe read after the cycle was collected", read(pipe_fds[0], buffer, sizeof(buffer)));
    close(pipe_fds[0]);
    // Two sockets in each other's queue.
    int x[2], y[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, x);
    socketpair(AF_UNIX, SOCK_DGRAM, 0, y);
    pipe(pipe_fds);
    int x_payload[2] = { y[1], pipe_fds[1] };
    send_fds(x[0], x_payload, 2, "x", 1);
    send_fds(y[0], &x[1], 1, "y", 1);
    close(pipe_fds[1]);
    close(x[0]);
    close(x[1]);
    close(y[0]);
    close(y[1]);
    socketpair(AF_UNIX, SOCK_STREAM, 0, trigger);
    close(trigger[0]);
    close(trigger[1]);
    SHOW("pipe read after the two-socket cycle was collected", read(pipe_fds[0], buffer, sizeof(buffer)));
    close(pipe_fds[0]);
    close(sv[0]);
    close(sv[1]);
    unlink(file_address.sun_path);
}

// ---- SCM_CREDENTIALS, SO_PASSCRED, SO_PEERCRED ----
static void test_credentials(void)
{
    section("credentials");
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    struct ucred peer;
    socklen_t length = sizeof(peer);
    SHOW("SO_PEERCRED socketpair", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &peer, &length));
    printf("pid = self %d, uid = self %d, gid = self %d, length = %d\n", peer.pid == getpid(), peer.uid == getuid(),
        peer.gid == getgid(), (int)length);
    int on = 1;
    SHOW("SO_PASSCRED on", setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
    int value = 0;
    length = sizeof(value);
    getsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &value, &length);
    printf("SO_PASSCRED = %d\n", value);
    send(sv[0], "cred", 4, 0);
    char control[CMSG_SPACE(sizeof(struct ucred)) + 64];
    char data[16];
    struct iovec vector = { data, sizeof(data) };
    struct msghdr message = { 0 };
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof(control);
    SHOW("recvmsg with SO_PASSCRED", recvmsg(sv[1], &message, 0));
    struct cmsghdr* header = CMSG_FIRSTHDR(&message);
    printf("cmsg: level %d type %d len %d, controllen %d\n", header ? header->cmsg_level : -1,
        header ? header->cmsg_type : -1, header ? (int)header->cmsg_len : -1, (int)message.msg_controllen);
    if (header) {
        struct ucred credentials;
        memcpy(&credentials, CMSG_DATA(header), sizeof(credentials));
        printf("creds: pid = self %d, uid = self %d, gid = self %d\n", credentials.pid == getpid(),
            credentials.uid == getuid(), credentials.gid == getgid());
    }
    // Explicit credentials (our own).
    struct ucred mine = { getpid(), getuid(), getgid() };
    char out_control[CMSG_SPACE(sizeof(struct ucred))];
    memset(out_control, 0, sizeof(out_control));
    struct iovec out_vector = { "own", 3 };
    struct msghdr out = { 0 };
    out.msg_iov = &out_vector;
    out.msg_iovlen = 1;
    out.msg_control = out_control;
    out.msg_controllen = sizeof(out_control);
    struct cmsghdr* out_header = CMSG_FIRSTHDR(&out);
    out_header->cmsg_level = SOL_SOCKET;
    out_header->cmsg_type = SCM_CREDENTIALS;
    out_header->cmsg_len = CMSG_LEN(sizeof(struct ucred));
    memcpy(CMSG_DATA(out_header), &mine, sizeof(mine));
    SHOW("sendmsg SCM_CREDENTIALS (own)", sendmsg(sv[0], &out, 0));
    out_header->cmsg_len = CMSG_LEN(sizeof(struct ucred) - 4);
    SHOW("sendmsg SCM_CREDENTIALS (short)", sendmsg(sv[0], &out, 0));
    message.msg_controllen = sizeof(control);
    (void)recvmsg(sv[1], &message, 0);
    header = CMSG_FIRSTHDR(&message);
    if (header) {
        struct ucred credentials;
        memcpy(&credentials, CMSG_DATA(header), sizeof(credentials));
        printf("explicit creds: pid = self %d\n", credentials.pid == getpid());
    }
    // Too little control space for the credentials.
    send(sv[0], "small", 5, 0);
    message.msg_controllen = 8;
    SHOW("recvmsg, 8 control bytes", recvmsg(sv[1], &message, 0));
    printf("MSG_CTRUNC = %d, controllen = %d\n", (message.msg_flags & MSG_CTRUNC) != 0, (int)message.msg_controllen);
    close(sv[0]);
    close(sv[1]);

    // SO_PEERCRED over a connection; unconnected sockets have none.
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    length = sizeof(peer);
    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &length);
    printf("unconnected SO_PEERCRED: pid %d uid %d gid %d\n", peer.pid, (int)peer.uid, (int)peer.gid);
    struct sockaddr_un address;
    socklen_t address_length = abstract_address(&address, "osprey-peercred");
    int server = socket(AF_UNIX, SOCK_STREAM, 0);
    (void)bind(server, (struct sockaddr*)&address, address_length);
    listen(server, 1);
    (void)connect(fd, (struct sockaddr*)&address, address_length);
    int accepted = accept(server, NULL, NULL);
    length = sizeof(peer);
    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &length);
    printf("client SO_PEERCRED: pid = self %d\n", peer.pid == getpid());
    length = sizeof(peer);
    getsockopt(accepted, SOL_SOCKET, SO_PEERCRED, &peer, &length);
    printf("server SO_PEERCRED: pid = self %d\n", peer.pid == getpid());
    // Stream recvmsg with SO_PASSCRED and a peer in another process.
    setsockopt(accepted, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on));
    pid_t child = fork();
    if (child == 0) {
        send(fd, "child", 5, 0);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    message.msg_controllen = sizeof(control);
    (void)recvmsg(accepted, &message, 0);
    header = CMSG_FIRSTHDR(&message);
    if (header) {
        struct ucred credentials;
        memcpy(&credentials, CMSG_DATA(header), sizeof(credentials));
        printf("stream creds: pid = child %d\n", credentials.pid == child);
    }
    close(accepted);
    close(server);
    close(fd);
}

// ---- shutdown ----
static void test_shutdown(void)
{
    section("shutdown");
    static const int types[] = { SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM };
    static const char* names[] = { "stream", "seqpacket", "dgram" };
    for (int i = 0; i < 3; ++i) {
        int sv[2];
        char label[96];
        socketpair(AF_UNIX, types[i], 0, sv);
        send(sv[1], "queued", 6, 0);
        snprintf(label, sizeof(label), "%s: shutdown SHUT_WR", names[i]);
        SHOW(label, shutdown(sv[0], SHUT_WR));
        snprintf(label, sizeof(label), "%s: send after SHUT_WR", names[i]);
        SHOW(label, send(sv[0], "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT));
        snprintf(label, sizeof(label), "%s: peer recv after SHUT_WR", names[i]);
        read_show(label, sv[1], 16, MSG_DONTWAIT);
        snprintf(label, sizeof(label), "%s: own recv still works", names[i]);
        read_show(label, sv[0], 16, MSG_DONTWAIT);
        snprintf(label, sizeof(label), "%s: peer send after SHUT_WR", names[i]);
        SHOW(label, send(sv[1], "back", 4, MSG_NOSIGNAL | MSG_DONTWAIT));
        snprintf(label, sizeof(label), "%s: recv it", names[i]);
        read_show(label, sv[0], 16, MSG_DONTWAIT);
        close(sv[0]);
        close(sv[1]);

        socketpair(AF_UNIX, types[i], 0, sv);
        send(sv[1], "before", 6, 0);
        snprintf(label, sizeof(label), "%s: shutdown SHUT_RD", names[i]);
        SHOW(label, shutdown(sv[0], SHUT_RD));
        snprintf(label, sizeof(label), "%s: recv queued after SHUT_RD", names[i]);
        read_show(label, sv[0], 16, MSG_DONTWAIT);
        snprintf(label, sizeof(label), "%s: recv empty after SHUT_RD", names[i]);
        read_show(label, sv[0], 16, MSG_DONTWAIT);
        snprintf(label, sizeof(label), "%s: peer send after SHUT_RD", names[i]);
        SHOW(label, send(sv[1], "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT));
        snprintf(label, sizeof(label), "%s: own send after SHUT_RD", names[i]);
        SHOW(label, send(sv[0], "y", 1, MSG_NOSIGNAL | MSG_DONTWAIT));
        snprintf(label, sizeof(label), "%s: shutdown SHUT_RDWR", names[i]);
        SHOW(label, shutdown(sv[0], SHUT_RDWR));
        snprintf(label, sizeof(label), "%s: peer recv after SHUT_RDWR", names[i]);
        read_show(label, sv[1], 16, MSG_DONTWAIT);
        snprintf(label, sizeof(label), "%s: shutdown bad how", names[i]);
        SHOW(label, shutdown(sv[0], 3));
        close(sv[0]);
        close(sv[1]);
    }
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW("shutdown unconnected stream", shutdown(fd, SHUT_RDWR));
    close(fd);
    SHOW("shutdown a pipe", ({
        int p[2];
        pipe(p);
        long r = shutdown(p[0], SHUT_RD);
        int e = errno;
        close(p[0]);
        close(p[1]);
        errno = e;
        r;
    }));
}

// ---- socket options ----
static void show_int_option(int fd, const char* name, int option)
{
    int value = -12345;
    socklen_t length = sizeof(value);
    errno = 0;
    long result = getsockopt(fd, SOL_SOCKET, option, &value, &length);
    if (result < 0)
        printf("getsockopt %s = -1 %s\n", name, errno_name(errno));
    else
        printf("getsockopt %s = %d (length %d)\n", name, value, (int)length);
}

static void test_options(void)
{
    section("options");
    int sv[2];
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
    show_int_option(sv[0], "SO_TYPE", SO_TYPE);
    show_int_option(sv[0], "SO_DOMAIN", SO_DOMAIN);
    show_int_option(sv[0], "SO_PROTOCOL", SO_PROTOCOL);
    show_int_option(sv[0], "SO_ERROR", SO_ERROR);
    show_int_option(sv[0], "SO_SNDBUF", SO_SNDBUF);
    show_int_option(sv[0], "SO_RCVBUF", SO_RCVBUF);
    show_int_option(sv[0], "SO_PASSCRED", SO_PASSCRED);
    show_int_option(sv[0], "SO_ACCEPTCONN", SO_ACCEPTCONN);
    int value = 65536;
    SHOW("setsockopt SO_SNDBUF 65536", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &value, sizeof(value)));
    show_int_option(sv[0], "SO_SNDBUF", SO_SNDBUF);
    value = 100000;
    SHOW("setsockopt SO_RCVBUF 100000", setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &value, sizeof(value)));
    show_int_option(sv[0], "SO_RCVBUF", SO_RCVBUF);
    SHOW("setsockopt SO_TYPE", setsockopt(sv[0], SOL_SOCKET, SO_TYPE, &value, sizeof(value)));
    SHOW("setsockopt short length", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &value, 2));
    SHOW("setsockopt level 6", setsockopt(sv[0], 6, 1, &value, sizeof(value)));
    SHOW("getsockopt level 6", getsockopt(sv[0], 6, 1, &value, &(socklen_t) { sizeof(value) }));
    SHOW("getsockopt unknown option 9999", getsockopt(sv[0], SOL_SOCKET, 9999, &value, &(socklen_t) { sizeof(value) }));
    SHOW("getsockopt negative length", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &value, &(socklen_t) { (socklen_t)-1 }));
    socklen_t length = 2;
    value = 0;
    SHOW("getsockopt SO_TYPE length 2", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &value, &length));
    printf("length = %d, value = %d\n", (int)length, value);
    struct timeval timeout = { 1, 500000 };
    SHOW("setsockopt SO_RCVTIMEO", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)));
    struct timeval got = { 0, 0 };
    length = sizeof(got);
    SHOW("getsockopt SO_RCVTIMEO", getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &got, &length));
    printf("SO_RCVTIMEO = %ld.%06ld (length %d)\n", (long)got.tv_sec, (long)got.tv_usec, (int)length);
    length = sizeof(got);
    getsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &got, &length);
    printf("SO_SNDTIMEO = %ld.%06ld\n", (long)got.tv_sec, (long)got.tv_usec);
    timeout.tv_usec = 1000000;
    SHOW("setsockopt SO_SNDTIMEO usec 1000000", setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout)));
    SHOW("setsockopt SO_SNDTIMEO short", setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &timeout, 8));
    SHOW("getsockopt on a pipe", ({
        int p[2];
        pipe(p);
        long r = getsockopt(p[0], SOL_SOCKET, SO_TYPE, &value, &(socklen_t) { sizeof(value) });
        int e = errno;
        close(p[0]);
        close(p[1]);
        errno = e;
        r;
    }));
    close(sv[0]);
    close(sv[1]);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    show_int_option(fd, "dgram SO_TYPE", SO_TYPE);
    close(fd);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    show_int_option(fd, "stream SO_TYPE", SO_TYPE);
    close(fd);
    // SO_ERROR after a reset, then cleared.
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    send(sv[1], "unread", 6, 0);
    close(sv[0]);
    show_int_option(sv[1], "SO_ERROR after reset", SO_ERROR);
    show_int_option(sv[1], "SO_ERROR again", SO_ERROR);
    close(sv[1]);
}

// ---- fork and exec: sockets are shared and survive as long as an fd does ----
static void test_processes(void)
{
    section("processes");
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        char buffer[16];
        long got = read(sv[1], buffer, sizeof(buffer));
        write(sv[1], buffer, got);
        _exit(0);
    }
    close(sv[1]);
    write(sv[0], "echo", 4);
    read_show("echo from the child", sv[0], 16, 0);
    int status;
    waitpid(child, &status, 0);
    read_show("EOF once the child exited", sv[0], 16, 0);
    close(sv[0]);
    // A child killed while blocked in recv releases its sockets.
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    child = fork();
    if (child == 0) {
        close(sv[0]);
        recv(sv[1], (char[4]) { 0 }, 4, 0);
        _exit(0);
    }
    close(sv[1]);
    sleep_ms(50);
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    printf("child killed = %d\n", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    SHOW("send after the blocked child was killed", send(sv[0], "x", 1, MSG_NOSIGNAL));
    close(sv[0]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    // Fixed width, so printed address lengths do not depend on the pid.
    snprintf(g_directory, sizeof(g_directory), "/tmp/osprey-unix-%08d", (int)getpid());
    mkdir("/tmp", 0777);
    if (mkdir(g_directory, 0777) < 0) {
        printf("FAIL: mkdir %s: %s\n", g_directory, errno_name(errno));
        return 1;
    }
    test_socket_arguments();
    test_seed();
    test_close_effects();
    test_boundaries();
    test_full_buffers();
    test_waiting();
    test_names();
    test_connections();
    test_datagrams();
    test_rights();
    test_credentials();
    test_shutdown();
    test_options();
    test_processes();
    rmdir(g_directory);
    printf("== done\n");
    return 0;
}
