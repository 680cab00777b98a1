// AF_UNIX benchmarks, each run for about one second (argv[1] seconds):
//   unix_stream_pingpong   1-byte round trips over a stream socketpair (µs)
//   pipe_pingpong          the same over two pipes, for comparison (µs)
//   unix_stream_throughput 64 KiB writes to a reading child (MB/s)
//   unix_dgram_rate        64-byte datagrams received by a child (msgs/s)
// Prints `BENCH <name> <value> <unit>` lines. The same binary runs on the
// host Linux and on Osprey (docs/performance.md has both columns).
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

// Ping-pong: the parent sends 'p', the child answers; 'q' ends it.
static double pingpong(int to_child, int from_child, int child_in, int child_out, double seconds)
{
    pid_t child = fork();
    if (child == 0) {
        char c;
        while (read(child_in, &c, 1) == 1 && c != 'q')
            write(child_out, &c, 1);
        _exit(0);
    }
    char c = 'p';
    long rounds = 0;
    double start = now(), elapsed = 0;
    do {
        for (int i = 0; i < 64; ++i) {
            write(to_child, &c, 1);
            read(from_child, &c, 1);
        }
        rounds += 64;
        elapsed = now() - start;
    } while (elapsed < seconds);
    c = 'q';
    write(to_child, &c, 1);
    waitpid(child, NULL, 0);
    return elapsed * 1e6 / (double)rounds;
}

static double stream_throughput(double seconds)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        static char sink[65536];
        long total = 0, got;
        while ((got = read(sv[1], sink, sizeof(sink))) > 0)
            total += got;
        write(sv[1], &total, sizeof(total));
        _exit(0);
    }
    close(sv[1]);
    static char chunk[65536];
    memset(chunk, 'x', sizeof(chunk));
    long sent = 0;
    double start = now(), elapsed;
    do {
        for (int i = 0; i < 16; ++i)
            sent += write(sv[0], chunk, sizeof(chunk));
        elapsed = now() - start;
    } while (elapsed < seconds);
    shutdown(sv[0], SHUT_WR);
    long received = 0;
    read(sv[0], &received, sizeof(received));
    elapsed = now() - start;
    close(sv[0]);
    waitpid(child, NULL, 0);
    if (received != sent)
        fprintf(stderr, "throughput: sent %ld, received %ld\n", sent, received);
    return (double)received / elapsed / 1e6;
}

static double datagram_rate(double seconds)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        char message[64];
        long count = 0;
        while (recv(sv[1], message, sizeof(message), 0) == sizeof(message) && message[0] != 'q')
            ++count;
        send(sv[1], &count, sizeof(count), 0);
        _exit(0);
    }
    close(sv[1]);
    char message[64];
    memset(message, 'd', sizeof(message));
    long sent = 0;
    double start = now(), elapsed;
    do {
        for (int i = 0; i < 64; ++i) {
            if (send(sv[0], message, sizeof(message), 0) == sizeof(message))
                ++sent;
        }
        elapsed = now() - start;
    } while (elapsed < seconds);
    message[0] = 'q';
    send(sv[0], message, sizeof(message), 0);
    long received = 0;
    recv(sv[0], &received, sizeof(received), 0);
    elapsed = now() - start;
    close(sv[0]);
    waitpid(child, NULL, 0);
    if (received != sent)
        fprintf(stderr, "datagrams: sent %ld, received %ld\n", sent, received);
    return (double)received / elapsed;
}

int main(int argc, char** argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    double seconds = argc > 1 ? (double)strtol(argv[1], NULL, 10) : 1.0;
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    printf("BENCH unix_stream_pingpong %.2f us\n", pingpong(sv[0], sv[0], sv[1], sv[1], seconds));
    close(sv[0]);
    close(sv[1]);
    int down[2], up[2];
    pipe(down);
    pipe(up);
    printf("BENCH pipe_pingpong %.2f us\n", pingpong(down[1], up[0], down[0], up[1], seconds));
    close(down[0]);
    close(down[1]);
    close(up[0]);
    close(up[1]);
    printf("BENCH unix_stream_throughput %.1f MB/s\n", stream_throughput(seconds));
    printf("BENCH unix_dgram_rate %.0f msgs/s\n", datagram_rate(seconds));
    return 0;
}
