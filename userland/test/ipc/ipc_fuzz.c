// A ring-3 fuzzer for capability IPC: several processes issue random IPC
// calls (random handles, rights, flags, sizes, capability lists, timeouts
// and pointers, valid or not) for a bounded time, sharing ports inherited
// at fork; one worker is killed mid-way with SIGKILL so that a process dies
// with capabilities in flight and calls in progress, and the workers now
// and then fork short-lived children that inherit their handles. Afterwards the kernel
// must answer, and the kernel heap (/proc/meminfo KernelHeapObjects and
// KernelHeap) must return to the baseline taken before the workers started.
//
//   ipc_fuzz [seconds] [workers] [seed]      defaults: 6 4 1
// Prints per-call error tallies and "ipc_fuzz: PASS ..." or "ipc_fuzz: FAIL ...".
#include <errno.h>
#include <fcntl.h>
#include <osprey/ipc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SHARED_PORTS 4
#define KNOWN_MAX    64

static uint64_t s_state;

static uint64_t next_random(void)
{
    // xorshift64*: fast, reproducible from the seed.
    s_state ^= s_state >> 12;
    s_state ^= s_state << 25;
    s_state ^= s_state >> 27;
    return s_state * 2685821657736338717ull;
}

static uint32_t below(uint32_t bound)
{
    return (uint32_t)(next_random() % bound);
}

static uint64_t now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}

static int s_known[KNOWN_MAX];
static int s_known_count;
// Big enough that every size the kernel accepts fits from any offset used.
static char s_buffer[3 * IPC_MAX_PAYLOAD];

static void remember(int handle)
{
    if (handle < 0)
        return;
    if (s_known_count < KNOWN_MAX)
        s_known[s_known_count++] = handle;
    else
        s_known[below(KNOWN_MAX)] = handle;
}

// A handle: usually one this process has (or had), sometimes garbage.
static int random_handle(void)
{
    switch (below(8)) {
    case 0:
        return (int)next_random();
    case 1:
        return (int)below(4096);
    case 2:
        return -1;
    default:
        return s_known_count ? s_known[below((uint32_t)s_known_count)] : 0;
    }
}

// A pointer: usually a good buffer, sometimes null, unmapped, kernel or misaligned.
static void* random_pointer(void)
{
    switch (below(10)) {
    case 0:
        return 0;
    case 1:
        return (void*)0x1000;
    case 2:
        return (void*)0xffff800000000000ull;
    case 3:
        return (void*)(0x00007ffffffff000ull + below(4096));
    case 4:
        return s_buffer + (size_t)2 * IPC_MAX_PAYLOAD - 3; // misaligned
    default:
        return s_buffer + below(8);
    }
}

static uint32_t random_size(void)
{
    switch (below(6)) {
    case 0:
        return below(IPC_MAX_PAYLOAD + 200);
    case 1:
        return IPC_MAX_PAYLOAD;
    case 2:
        return (uint32_t)next_random();
    default:
        return below(128);
    }
}

static uint64_t random_timeout(void)
{
    switch (below(4)) {
    case 0:
        return 1000000ull * below(3); // 0..2 ms
    case 1:
        return 100000ull;
    default:
        return 0;
    }
}

static void random_message(struct osprey_ipc_message* message)
{
    memset(message, 0, sizeof *message);
    message->type = below(10) == 0 ? (uint32_t)next_random() : below(4);
    message->payload_length = random_size();
    message->payload_capacity = random_size();
    message->payload = random_pointer();
    message->cap_count = below(10) == 0 ? below(20) : below(3);
    for (unsigned i = 0; i < IPC_MAX_CAPS; ++i)
        message->caps[i] = random_handle();
}

static const char* const NAMES[]
    = { "fuzz.a", "fuzz.b", "fuzz.c", "", "bad name", "fuzz.long.name.that.is.too.long.for.it" };

static unsigned long s_calls;

static void one_call(void)
{
    struct osprey_ipc_message message;
    struct osprey_ipc_message reply;
    struct osprey_cap_info info;
    struct osprey_ipc_wait_item items[4];
    struct osprey_service_entry entries[8];
    int result = 0;
    s_calls++;
    switch (below(16)) {
    case 0:
        remember(port_create(below(4) == 0 ? (unsigned)next_random() : below(2)));
        break;
    case 1:
        remember(cap_duplicate(random_handle(), below(2)));
        break;
    case 2:
        remember(cap_diminish(random_handle(), below(4) ? below(256) : (uint32_t)next_random(),
            below(3) ? 0 : 1000000ull * below(5), below(2)));
        break;
    case 3:
        cap_close(random_handle());
        break;
    case 4:
        cap_info(random_handle(), below(3) ? (void*)&info : random_pointer());
        break;
    case 5:
    case 6:
        random_message(&message);
        port_send(random_handle(), below(8) ? &message : random_pointer(), random_timeout());
        break;
    case 7:
    case 8:
        random_message(&message);
        result = port_receive(random_handle(), below(8) ? &message : random_pointer(), random_timeout());
        if (result == 0 && message.cap_count <= IPC_MAX_CAPS) {
            for (unsigned i = 0; i < message.cap_count; ++i)
                remember(message.caps[i]);
            remember(message.reply_handle);
        }
        break;
    case 9:
        random_message(&message);
        random_message(&reply);
        if (port_call(random_handle(), &message, &reply, random_timeout()) == 0) {
            for (unsigned i = 0; i < reply.cap_count && i < IPC_MAX_CAPS; ++i)
                remember(reply.caps[i]);
        }
        break;
    case 10:
        random_message(&message);
        port_reply(random_handle(), &message);
        break;
    case 11:
        for (unsigned i = 0; i < 4; ++i) {
            items[i].handle = random_handle();
            items[i].events = (uint16_t)below(5);
            items[i].revents = 0;
        }
        port_wait(below(8) ? items : random_pointer(), below(6), random_timeout());
        break;
    case 12:
        service_register(random_handle(), below(8) ? NAMES[below(6)] : random_pointer());
        break;
    case 13:
        remember(service_lookup(below(8) ? NAMES[below(6)] : random_pointer(), below(2)));
        break;
    case 14:
        service_withdraw(below(8) ? NAMES[below(6)] : random_pointer());
        break;
    case 15:
        if (below(256) == 0) {
            // Now and then a short-lived child inherits the handles (those
            // with DUPLICATE), makes a few calls with them, and exits or is
            // killed by its own signal with whatever it holds.
            pid_t child = fork();
            if (child == 0) {
                for (int i = 0; i < 200; ++i)
                    one_call();
                if (below(2))
                    kill(getpid(), SIGKILL);
                _exit(0);
            }
            if (child > 0)
                waitpid(child, 0, 0);
            break;
        }
        service_list(below(4) ? entries : random_pointer(), below(10));
        break;
    }
}

static void work(uint64_t seed, uint64_t seconds, const int* shared)
{
    s_state = seed * 0x9e3779b97f4a7c15ull + 1;
    for (int i = 0; i < SHARED_PORTS; ++i)
        remember(shared[i]);
    uint64_t end = now_ns() + seconds * 1000000000ull;
    while (now_ns() < end) {
        for (int i = 0; i < 64; ++i)
            one_call();
    }
    printf("ipc_fuzz: worker %d made %lu calls\n", getpid(), s_calls);
    _exit(0);
}

// KernelHeapObjects and KernelHeap (kB) from /proc/meminfo; 0 on success.
static int heap_figures(long* objects, long* kilobytes)
{
    int fd = open("/proc/meminfo", O_RDONLY);
    if (fd < 0)
        return -1;
    char text[2048];
    ssize_t length = read(fd, text, sizeof text - 1);
    close(fd);
    if (length <= 0)
        return -1;
    text[length] = '\0';
    char* heap = strstr(text, "KernelHeap:");
    char* count = strstr(text, "KernelHeapObjects:");
    if (!heap || !count)
        return -1;
    *kilobytes = strtol(heap + strlen("KernelHeap:"), 0, 10);
    *objects = strtol(count + strlen("KernelHeapObjects:"), 0, 10);
    return 0;
}

static void sleep_ms(long ms)
{
    struct timespec duration = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&duration, 0);
}

int main(int argc, char** argv)
{
    uint64_t seconds = argc > 1 ? strtoul(argv[1], 0, 10) : 6;
    int workers = argc > 2 ? atoi(argv[2]) : 4;
    uint64_t seed = argc > 3 ? strtoul(argv[3], 0, 10) : 1;
    if (workers < 2)
        workers = 2;
    if (workers > 16)
        workers = 16;
    setvbuf(stdout, 0, _IOLBF, 0);

    // This process's own handle table stays allocated while it lives: make
    // it before the baseline.
    cap_close(port_create(0));
    sleep_ms(200);
    long base_objects = 0, base_kb = 0;
    if (heap_figures(&base_objects, &base_kb) != 0) {
        printf("ipc_fuzz: FAIL no KernelHeap lines in /proc/meminfo\n");
        return 1;
    }
    printf("ipc_fuzz: baseline %ld heap objects, %ld kB; %d workers for %llu s, seed %llu\n", base_objects, base_kb,
        workers, (unsigned long long)seconds, (unsigned long long)seed);

    int shared[SHARED_PORTS];
    for (int i = 0; i < SHARED_PORTS; ++i)
        shared[i] = port_create(0);
    service_register(shared[0], "fuzz.shared");
    pid_t pids[16];
    for (int i = 0; i < workers; ++i) {
        pids[i] = fork();
        if (pids[i] == 0)
            work(seed + (uint64_t)i, seconds, shared);
    }
    // The parent lets go of everything; the workers now own the ports.
    service_withdraw("fuzz.shared");
    for (int i = 0; i < SHARED_PORTS; ++i)
        cap_close(shared[i]);

    sleep_ms((long)seconds * 500);
    kill(pids[0], SIGKILL);
    int killed = 0, exited = 0;
    for (int i = 0; i < workers; ++i) {
        int status = 0;
        if (waitpid(pids[i], &status, 0) != pids[i])
            continue;
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
            killed++;
        else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            exited++;
        else
            printf("ipc_fuzz: worker %d ended with status %#x\n", pids[i], status);
    }

    // The kernel still answers and is consistent.
    int port = port_create(0);
    struct osprey_ipc_message message;
    memset(&message, 0, sizeof message);
    message.payload = "alive";
    message.payload_length = 5;
    int alive = port >= 0 && port_send(port, &message, 0) == 0;
    char buffer[16];
    memset(&message, 0, sizeof message);
    message.payload = buffer;
    message.payload_capacity = sizeof buffer;
    alive = alive && port_receive(port, &message, 0) == 0 && message.payload_length == 5;
    cap_close(port);
    struct osprey_service_entry entries[IPC_SERVICE_LIMIT];
    int leftover_names = 0;
    int count = service_list(entries, IPC_SERVICE_LIMIT);
    for (int i = 0; i < count && i < (int)IPC_SERVICE_LIMIT; ++i)
        leftover_names += strncmp(entries[i].name, "fuzz.", 5) == 0;

    // Freed memory may trail the reaping by a little (dead threads are
    // reaped by a kernel thread): poll for up to 5 s.
    long objects = 0, kilobytes = 0;
    for (int attempt = 0; attempt < 50; ++attempt) {
        heap_figures(&objects, &kilobytes);
        if (objects <= base_objects && kilobytes <= base_kb)
            break;
        sleep_ms(100);
    }
    printf("ipc_fuzz: after: %ld heap objects, %ld kB (baseline %ld, %ld kB)\n", objects, kilobytes, base_objects,
        base_kb);
    int ok = alive && killed == 1 && exited == workers - 1 && leftover_names == 0 && objects <= base_objects
        && kilobytes <= base_kb;
    printf("ipc_fuzz: %s kernel %s, %d exited, %d killed, %d fuzz names left, heap %s baseline\n", ok ? "PASS" : "FAIL",
        alive ? "answers" : "does not answer", exited, killed, leftover_names,
        objects <= base_objects && kilobytes <= base_kb ? "back at" : "above");
    return ok ? 0 : 1;
}
