// AF_UNIX stress: PAIRS writer/reader process pairs, each over one stream
// and one seqpacket socketpair, for a bounded time (argv[1] seconds,
// default 6). Writers send framed messages of random size with a CRC-32 of
// the payload; every few messages carry SCM_RIGHTS: a pipe read end holding
// a token, or a socket with a message queued on it. Readers check every
// CRC, every token and the EOF behind it, and report their counts to the
// parent through a pipe. The parent then checks that the live-socket count
// (/proc/sockstat) is back at its baseline. Prints PASS/FAIL lines.
#include "unix_common.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { PAIRS = 4, MAX_PAYLOAD = 6000 };

struct frame_header {
    uint32_t magic;
    uint32_t sequence;
    uint32_t length;
    uint32_t crc;
    uint32_t kind; // 0 plain, 1 pipe attached, 2 socket attached, 3 end
};

struct report {
    long messages;
    long fds;
    long errors;
};

static uint32_t g_crc_table[256];

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        g_crc_table[i] = c;
    }
}

static uint32_t crc32(const unsigned char* data, size_t length)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < length; ++i)
        c = g_crc_table[(c ^ data[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

static uint32_t g_random = 12345;
static uint32_t next_random(void)
{
    g_random = g_random * 1103515245u + 12345u;
    return g_random >> 8;
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long sockstat_used(void)
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
    char* found = strstr(text, "sockets: used ");
    return found ? strtol(found + 14, NULL, 10) : -1;
}

static int write_all(int fd, const void* data, size_t length)
{
    const char* p = data;
    while (length > 0) {
        long n = write(fd, p, length);
        if (n <= 0)
            return -1;
        p += n;
        length -= (size_t)n;
    }
    return 0;
}

static int read_all(int fd, void* data, size_t length)
{
    char* p = data;
    while (length > 0) {
        long n = read(fd, p, length);
        if (n <= 0)
            return -1;
        p += n;
        length -= (size_t)n;
    }
    return 0;
}

// Sends header + payload as one sendmsg, with `fd` attached if >= 0.
static int send_frame(int socket, struct frame_header* header, const unsigned char* payload, int fd)
{
    struct iovec vectors[2] = { { header, sizeof(*header) }, { (void*)payload, header->length } };
    char control[CMSG_SPACE(sizeof(int))];
    struct msghdr message = { 0 };
    message.msg_iov = vectors;
    message.msg_iovlen = 2;
    if (fd >= 0) {
        memset(control, 0, sizeof(control));
        message.msg_control = control;
        message.msg_controllen = sizeof(control);
        struct cmsghdr* cmsg = CMSG_FIRSTHDR(&message);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    }
    size_t total = sizeof(*header) + header->length;
    size_t sent = 0;
    while (sent < total) {
        long n = sendmsg(socket, &message, 0);
        if (n <= 0)
            return -1;
        sent += (size_t)n;
        // A stream may take part: go on from where it stopped, without the fd.
        message.msg_control = NULL;
        message.msg_controllen = 0;
        size_t skip = (size_t)n;
        while (skip > 0 && message.msg_iovlen > 0) {
            if (skip >= message.msg_iov[0].iov_len) {
                skip -= message.msg_iov[0].iov_len;
                ++message.msg_iov;
                --message.msg_iovlen;
            } else {
                message.msg_iov[0].iov_base = (char*)message.msg_iov[0].iov_base + skip;
                message.msg_iov[0].iov_len -= skip;
                skip = 0;
            }
        }
    }
    return 0;
}

static void writer(int stream, int seqpacket, double seconds, uint32_t seed)
{
    g_random = seed;
    static unsigned char payload[MAX_PAYLOAD];
    double end = now_seconds() + seconds;
    uint32_t sequence = 0;
    while (now_seconds() < end) {
        int on_stream = sequence % 2 == 0; // the reader alternates in the same order
        struct frame_header header = { 0x5eed1e55u, sequence, next_random() % MAX_PAYLOAD, 0, 0 };
        for (uint32_t i = 0; i < header.length; ++i)
            payload[i] = (unsigned char)next_random();
        header.crc = crc32(payload, header.length);
        int attached = -1;
        int keep = -1;
        if (sequence % 4 == 1) {
            int p[2];
            pipe(p);
            write(p[1], &sequence, sizeof(sequence));
            close(p[1]);
            attached = p[0];
            header.kind = 1;
        } else if (sequence % 4 == 3) {
            int sv[2];
            socketpair(AF_UNIX, (sequence & 4) ? SOCK_SEQPACKET : SOCK_STREAM, 0, sv);
            send(sv[1], &sequence, sizeof(sequence), 0);
            attached = sv[0];
            keep = sv[1];
            header.kind = 2;
        }
        int result = send_frame(on_stream ? stream : seqpacket, &header, payload, attached);
        if (attached >= 0)
            close(attached);
        if (keep >= 0)
            close(keep);
        if (result < 0) {
            printf("FAIL writer: send %s\n", errno_name(errno));
            _exit(1);
        }
        ++sequence;
    }
    struct frame_header last = { 0x5eed1e55u, sequence, 0, crc32(payload, 0), 3 };
    if (sequence % 2 == 0) {
        send_frame(stream, &last, payload, -1);
        send_frame(seqpacket, &last, payload, -1);
    } else {
        send_frame(seqpacket, &last, payload, -1);
        send_frame(stream, &last, payload, -1);
    }
    _exit(0);
}

// Receives one frame; returns its kind (3 at the end), or -1 on an error.
static int receive_frame(int socket, int is_stream, struct report* report)
{
    static unsigned char buffer[sizeof(struct frame_header) + MAX_PAYLOAD];
    char control[CMSG_SPACE(sizeof(int) * 4)];
    struct iovec vector = { buffer, is_stream ? sizeof(struct frame_header) : sizeof(buffer) };
    struct msghdr message = { 0 };
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof(control);
    long got = recvmsg(socket, &message, is_stream ? MSG_WAITALL : 0);
    if (got <= 0) {
        printf("FAIL reader: recvmsg %ld %s\n", got, errno_name(errno));
        return -1;
    }
    int fd = -1;
    for (struct cmsghdr* cmsg = CMSG_FIRSTHDR(&message); cmsg; cmsg = CMSG_NXTHDR(&message, cmsg)) {
        if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS)
            memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
    }
    struct frame_header header;
    memcpy(&header, buffer, sizeof(header));
    if (header.magic != 0x5eed1e55u) {
        printf("FAIL reader: bad magic\n");
        return -1;
    }
    if (is_stream) {
        if (header.length > MAX_PAYLOAD || read_all(socket, buffer + sizeof(header), header.length) < 0) {
            printf("FAIL reader: short stream payload\n");
            return -1;
        }
    } else if ((size_t)got != sizeof(header) + header.length) {
        printf("FAIL reader: record of %ld bytes, header says %u\n", got, (unsigned)header.length);
        return -1;
    }
    if (crc32(buffer + sizeof(header), header.length) != header.crc) {
        printf("FAIL reader: CRC mismatch at %u\n", (unsigned)header.sequence);
        ++report->errors;
    }
    if (header.kind == 1 || header.kind == 2) {
        uint32_t token = 0;
        if (fd < 0) {
            printf("FAIL reader: fd missing at %u\n", (unsigned)header.sequence);
            return -1;
        }
        long n = header.kind == 1 ? read(fd, &token, sizeof(token)) : recv(fd, &token, sizeof(token), 0);
        if (n != sizeof(token) || token != header.sequence) {
            printf("FAIL reader: token %u at %u\n", (unsigned)token, (unsigned)header.sequence);
            ++report->errors;
        }
        char extra;
        if (read(fd, &extra, 1) != 0) {
            printf("FAIL reader: no EOF behind the token\n");
            ++report->errors;
        }
        close(fd);
        ++report->fds;
    } else if (fd >= 0) {
        printf("FAIL reader: unexpected fd\n");
        close(fd);
        ++report->errors;
    }
    ++report->messages;
    return (int)header.kind;
}

static void reader(int stream, int seqpacket, int results)
{
    struct report report = { 0, 0, 0 };
    int stream_done = 0, seqpacket_done = 0;
    int next_is_stream = 1; // the writer's order: even sequence numbers on the stream
    while (!stream_done || !seqpacket_done) {
        if (next_is_stream && !stream_done) {
            int kind = receive_frame(stream, 1, &report);
            if (kind < 0)
                _exit(1);
            stream_done = kind == 3;
        } else if (!next_is_stream && !seqpacket_done) {
            int kind = receive_frame(seqpacket, 0, &report);
            if (kind < 0)
                _exit(1);
            seqpacket_done = kind == 3;
        }
        next_is_stream = !next_is_stream;
    }
    write_all(results, &report, sizeof(report));
    _exit(report.errors ? 1 : 0);
}

// kshell's `exec` runs without init, so /proc may not be mounted yet.
static void mount_proc(void)
{
    if (access("/proc/sockstat", R_OK) == 0)
        return;
    mkdir("/proc", 0555);
    mount("proc", "/proc", "proc", 0, NULL);
}

int main(int argc, char** argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    mount_proc();
    crc_init();
    double seconds = argc > 1 ? (double)strtol(argv[1], NULL, 10) : 6.0;
    long baseline = sockstat_used();
    int results[2];
    pipe(results);
    pid_t children[PAIRS * 2];
    for (int pair = 0; pair < PAIRS; ++pair) {
        int stream[2], seqpacket[2];
        socketpair(AF_UNIX, SOCK_STREAM, 0, stream);
        socketpair(AF_UNIX, SOCK_SEQPACKET, 0, seqpacket);
        pid_t w = fork();
        if (w == 0) {
            close(stream[1]);
            close(seqpacket[1]);
            close(results[0]);
            close(results[1]);
            writer(stream[0], seqpacket[0], seconds, 1000u + (uint32_t)pair);
        }
        pid_t r = fork();
        if (r == 0) {
            close(stream[0]);
            close(seqpacket[0]);
            close(results[0]);
            reader(stream[1], seqpacket[1], results[1]);
        }
        children[2 * (size_t)pair] = w;
        children[2 * (size_t)pair + 1] = r;
        close(stream[0]);
        close(stream[1]);
        close(seqpacket[0]);
        close(seqpacket[1]);
    }
    close(results[1]);
    int failed = 0;
    for (int i = 0; i < PAIRS * 2; ++i) {
        int status = 0;
        waitpid(children[i], &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            printf("FAIL child %d status %#x\n", i, status);
            failed = 1;
        }
    }
    struct report total = { 0, 0, 0 }, one;
    int reports = 0;
    while (read_all(results[0], &one, sizeof(one)) == 0) {
        total.messages += one.messages;
        total.fds += one.fds;
        total.errors += one.errors;
        ++reports;
    }
    close(results[0]);
    if (reports != PAIRS || total.errors || failed)
        printf("FAIL stress: %d reports, %ld errors\n", reports, total.errors);
    else
        printf("PASS stress: %ld messages, %ld fds passed and checked\n", total.messages, total.fds);
    long after = sockstat_used();
    if (baseline >= 0 && after == baseline)
        printf("PASS sockets back to baseline (%ld)\n", after);
    else
        printf("FAIL sockets: baseline %ld, after %ld\n", baseline, after);
    return 0;
}
