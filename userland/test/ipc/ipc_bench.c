// Capability IPC benchmarks (docs/performance.md), ring 3, printing
// `BENCH <name> <value> <unit>` lines; figures, never pass/fail:
//   ipc_call_round_trip     port_call/port_reply between two processes, ns
//   ipc_throughput_64b      one-way port_send -> port_receive between two
//   ipc_throughput_4k       processes, messages/s (64-byte, 4 KiB payloads)
//   ipc_cap_transfer        extra cost of one capability in a message, ns
//   ipc_ping_pong_round_trip  1-byte port_send/port_receive ping-pong over
//                           two ports between two processes, ns
//   ipc_port_create_close   port_create + cap_close, ns
//   ipc_pipe_round_trip     a 1-byte pipe ping-pong in the same boot, ns,
//                           for comparison
//   ipc_bench [iterations]  default 2000
#include <errno.h>
#include <osprey/ipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}

static char s_payload[IPC_MAX_PAYLOAD];
static char s_buffer[IPC_MAX_PAYLOAD];

static struct osprey_ipc_message outgoing(uint32_t length)
{
    struct osprey_ipc_message message;
    memset(&message, 0, sizeof message);
    message.type = IPC_MSG_DATA;
    message.payload = s_payload;
    message.payload_length = length;
    return message;
}

static struct osprey_ipc_message incoming(void)
{
    struct osprey_ipc_message message;
    memset(&message, 0, sizeof message);
    message.payload = s_buffer;
    message.payload_capacity = sizeof s_buffer;
    return message;
}

static void bench_round_trip(int iterations)
{
    int port = port_create(0);
    pid_t server = fork();
    if (server == 0) {
        for (int i = 0; i < iterations; ++i) {
            struct osprey_ipc_message request = incoming();
            if (port_receive(port, &request, IPC_NO_TIMEOUT) != 0)
                _exit(1);
            struct osprey_ipc_message reply = outgoing(request.payload_length);
            port_reply(request.reply_handle, &reply);
        }
        _exit(0);
    }
    struct osprey_ipc_message request = outgoing(64);
    uint64_t start = now_ns();
    int failures = 0;
    for (int i = 0; i < iterations; ++i) {
        struct osprey_ipc_message reply = incoming();
        failures += port_call(port, &request, &reply, IPC_NO_TIMEOUT) != 0;
    }
    uint64_t elapsed = now_ns() - start;
    waitpid(server, 0, 0);
    cap_close(port);
    if (failures)
        printf("ipc_bench: %d calls failed\n", failures);
    printf("BENCH ipc_call_round_trip %llu ns\n", (unsigned long long)(elapsed / (uint64_t)iterations));
}

// A ping-pong over two ports with plain port_send/port_receive: the
// message path alone, without port_call's one-shot reply port.
static void bench_ping_pong(int iterations)
{
    int there = port_create(0);
    int back = port_create(0);
    pid_t child = fork();
    if (child == 0) {
        for (int i = 0; i < iterations; ++i) {
            struct osprey_ipc_message message = incoming();
            if (port_receive(there, &message, IPC_NO_TIMEOUT) != 0)
                _exit(1);
            struct osprey_ipc_message answer = outgoing(message.payload_length);
            port_send(back, &answer, IPC_NO_TIMEOUT);
        }
        _exit(0);
    }
    struct osprey_ipc_message message = outgoing(1);
    uint64_t start = now_ns();
    for (int i = 0; i < iterations; ++i) {
        port_send(there, &message, IPC_NO_TIMEOUT);
        struct osprey_ipc_message answer = incoming();
        port_receive(back, &answer, IPC_NO_TIMEOUT);
    }
    uint64_t elapsed = now_ns() - start;
    waitpid(child, 0, 0);
    cap_close(there);
    cap_close(back);
    printf("BENCH ipc_ping_pong_round_trip %llu ns\n", (unsigned long long)(elapsed / (uint64_t)iterations));
}

static void bench_throughput(const char* name, uint32_t size, int count)
{
    int port = port_create(0);
    pid_t receiver = fork();
    if (receiver == 0) {
        for (int i = 0; i < count; ++i) {
            struct osprey_ipc_message message = incoming();
            if (port_receive(port, &message, IPC_NO_TIMEOUT) != 0)
                _exit(1);
        }
        _exit(0);
    }
    struct osprey_ipc_message message = outgoing(size);
    uint64_t start = now_ns();
    for (int i = 0; i < count; ++i)
        port_send(port, &message, IPC_NO_TIMEOUT);
    waitpid(receiver, 0, 0);
    uint64_t elapsed = now_ns() - start;
    cap_close(port);
    printf("BENCH %s %llu msgs/s\n", name, (unsigned long long)((uint64_t)count * 1000000000ull / elapsed));
}

// Send-and-receive to itself with and without one capability; the
// difference is what moving one handle out of a table and into another costs.
static void bench_cap_transfer(int iterations)
{
    int port = port_create(0);
    int cap = cap_diminish(port, IPC_RIGHT_SEND | IPC_RIGHT_TRANSFER, 0, 0);
    struct osprey_ipc_message message = outgoing(16);
    uint64_t start = now_ns();
    for (int i = 0; i < iterations; ++i) {
        port_send(port, &message, 0);
        struct osprey_ipc_message in = incoming();
        port_receive(port, &in, 0);
    }
    uint64_t plain = now_ns() - start;
    start = now_ns();
    for (int i = 0; i < iterations; ++i) {
        message.cap_count = 1;
        message.caps[0] = cap;
        port_send(port, &message, 0);
        struct osprey_ipc_message in = incoming();
        port_receive(port, &in, 0);
        cap = in.caps[0];
    }
    uint64_t with_cap = now_ns() - start;
    cap_close(cap);
    cap_close(port);
    uint64_t extra = with_cap > plain ? (with_cap - plain) / (uint64_t)iterations : 0;
    printf("BENCH ipc_send_receive_self %llu ns\n", (unsigned long long)(plain / (uint64_t)iterations));
    printf("BENCH ipc_cap_transfer %llu ns\n", (unsigned long long)extra);
}

// What port_call adds to a message pair: a port made and destroyed.
static void bench_port_create_close(int iterations)
{
    uint64_t start = now_ns();
    for (int i = 0; i < iterations; ++i)
        cap_close(port_create(0));
    uint64_t elapsed = now_ns() - start;
    printf("BENCH ipc_port_create_close %llu ns\n", (unsigned long long)(elapsed / (uint64_t)iterations));
}

static void bench_pipe_round_trip(int iterations)
{
    int there[2], back[2];
    if (pipe(there) != 0 || pipe(back) != 0)
        return;
    pid_t child = fork();
    if (child == 0) {
        char byte;
        for (int i = 0; i < iterations; ++i) {
            if (read(there[0], &byte, 1) != 1)
                _exit(1);
            write(back[1], &byte, 1);
        }
        _exit(0);
    }
    char byte = 'x';
    uint64_t start = now_ns();
    for (int i = 0; i < iterations; ++i) {
        write(there[1], &byte, 1);
        read(back[0], &byte, 1);
    }
    uint64_t elapsed = now_ns() - start;
    waitpid(child, 0, 0);
    close(there[0]);
    close(there[1]);
    close(back[0]);
    close(back[1]);
    printf("BENCH ipc_pipe_round_trip %llu ns\n", (unsigned long long)(elapsed / (uint64_t)iterations));
}

int main(int argc, char** argv)
{
    int iterations = argc > 1 ? atoi(argv[1]) : 2000;
    if (iterations < 10)
        iterations = 10;
    setvbuf(stdout, 0, _IOLBF, 0);
    memset(s_payload, 'p', sizeof s_payload);
    bench_round_trip(iterations);
    bench_pipe_round_trip(iterations);
    bench_ping_pong(iterations);
    bench_throughput("ipc_throughput_64b", 64, iterations * 5);
    bench_throughput("ipc_throughput_4k", IPC_MAX_PAYLOAD, iterations * 5);
    bench_cap_transfer(iterations);
    bench_port_create_close(iterations);
    printf("ipc_bench: done\n");
    return 0;
}
