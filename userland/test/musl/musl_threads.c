// pthreads under musl, built with musl-gcc -static and run unchanged on
// Osprey and on the host Linux; tests/system/threads.py compares the two
// outputs line by line, so every line must be deterministic.
//
//   musl_threads            the pthread checks, one line each
//   musl_threads errors     raw futex and clone calls: their errno
//   musl_threads exec-target  (run by the execve-from-a-thread check)
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

// include/uapi/linux/futex.h (musl-gcc has no kernel headers).
#define FUTEX_WAIT                0
#define FUTEX_WAKE                1
#define FUTEX_CMP_REQUEUE         4
#define FUTEX_WAIT_BITSET         9
#define FUTEX_WAKE_BITSET         10
#define FUTEX_PRIVATE_FLAG        128
#define FUTEX_CLOCK_REALTIME      256
#define FUTEX_WAIT_PRIVATE        (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE        (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_CMP_REQUEUE_PRIVATE (FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG)

#define THREADS                   8
#define INCREMENTS                20000

static pid_t gettid_raw(void)
{
    return (pid_t)syscall(SYS_gettid);
}

static void check(int ok, const char* what)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAIL");
}

// N threads increment one counter under a mutex.
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void* increment(void* argument)
{
    (void)argument;
    for (int i = 0; i < INCREMENTS; ++i) {
        pthread_mutex_lock(&counter_lock);
        ++counter;
        pthread_mutex_unlock(&counter_lock);
    }
    return NULL;
}

static void mutex_counter(void)
{
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; ++i)
        pthread_create(&threads[i], NULL, increment, NULL);
    for (int i = 0; i < THREADS; ++i)
        pthread_join(threads[i], NULL);
    printf("mutex counter: %ld (expected %d)\n", counter, THREADS * INCREMENTS);
}

// Return values through pthread_join, thread-local variables, and ids.
static __thread long thread_local_value = 1000;
static pid_t thread_ids[THREADS];

static void* identify(void* argument)
{
    long index = (long)(intptr_t)argument;
    thread_local_value += index;
    thread_ids[index] = gettid_raw();
    sched_yield();
    usleep(1000);
    long ok = thread_local_value == 1000 + index && getpid() == (pid_t)(intptr_t)0 + getpid();
    return (void*)(intptr_t)(ok ? index * 3 : -1);
}

static void join_values_and_ids(void)
{
    pthread_t threads[THREADS];
    for (long i = 0; i < THREADS; ++i)
        pthread_create(&threads[i], NULL, identify, (void*)(intptr_t)i);
    long sum = 0;
    int all_ok = 1;
    for (int i = 0; i < THREADS; ++i) {
        void* result = NULL;
        pthread_join(threads[i], &result);
        if ((intptr_t)result != i * 3)
            all_ok = 0;
        sum += (intptr_t)result;
    }
    printf("join values: sum %ld, each right: %s\n", sum, all_ok ? "yes" : "no");
    check(thread_local_value == 1000, "main's __thread value untouched");
    pid_t main_tid = gettid_raw();
    int distinct = main_tid == getpid();
    for (int i = 0; i < THREADS; ++i) {
        if (thread_ids[i] == main_tid || thread_ids[i] <= 0)
            distinct = 0;
        for (int j = 0; j < i; ++j) {
            if (thread_ids[i] == thread_ids[j])
                distinct = 0;
        }
    }
    check(distinct, "gettid distinct per thread, main's is the pid");
    check(!pthread_equal(pthread_self(), threads[0]), "pthread_self distinct");
}

// One-slot producer/consumer with two condition variables.
#define ITEMS 2000
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t queue_not_full = PTHREAD_COND_INITIALIZER;
static int slot;
static int slot_full;

static void* produce(void* argument)
{
    (void)argument;
    for (int i = 1; i <= ITEMS; ++i) {
        pthread_mutex_lock(&queue_lock);
        while (slot_full)
            pthread_cond_wait(&queue_not_full, &queue_lock);
        slot = i;
        slot_full = 1;
        pthread_cond_signal(&queue_not_empty);
        pthread_mutex_unlock(&queue_lock);
    }
    return NULL;
}

static void* consume(void* argument)
{
    long* sum = argument;
    for (int i = 1; i <= ITEMS; ++i) {
        pthread_mutex_lock(&queue_lock);
        while (!slot_full)
            pthread_cond_wait(&queue_not_empty, &queue_lock);
        *sum += slot;
        slot_full = 0;
        pthread_cond_signal(&queue_not_full);
        pthread_mutex_unlock(&queue_lock);
    }
    return NULL;
}

static void producer_consumer(void)
{
    long sum = 0;
    pthread_t producer;
    pthread_t consumer;
    pthread_create(&consumer, NULL, consume, &sum);
    pthread_create(&producer, NULL, produce, NULL);
    pthread_join(producer, NULL);
    pthread_join(consumer, NULL);
    printf("producer/consumer: sum %ld (expected %d)\n", sum, ITEMS * (ITEMS + 1) / 2);
}

// A broadcast wakes every waiter (musl requeues them onto the mutex).
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int go_flag;
static int woken_count;

static void* wait_for_go(void* argument)
{
    (void)argument;
    pthread_mutex_lock(&queue_lock);
    while (!go_flag)
        pthread_cond_wait(&go, &queue_lock);
    ++woken_count;
    pthread_mutex_unlock(&queue_lock);
    return NULL;
}

static void broadcast(void)
{
    pthread_t threads[4];
    for (int i = 0; i < 4; ++i)
        pthread_create(&threads[i], NULL, wait_for_go, NULL);
    usleep(20000);
    pthread_mutex_lock(&queue_lock);
    go_flag = 1;
    pthread_cond_broadcast(&go);
    pthread_mutex_unlock(&queue_lock);
    for (int i = 0; i < 4; ++i)
        pthread_join(threads[i], NULL);
    printf("broadcast woke: %d\n", woken_count);
}

static void timed_wait(void)
{
    pthread_cond_t never = PTHREAD_COND_INITIALIZER;
    struct timespec before;
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &before);
    deadline = before;
    deadline.tv_nsec += 50 * 1000 * 1000;
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec += 1;
        deadline.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&queue_lock);
    int result = pthread_cond_timedwait(&never, &queue_lock, &deadline);
    pthread_mutex_unlock(&queue_lock);
    struct timespec after;
    clock_gettime(CLOCK_REALTIME, &after);
    long waited_ms = (after.tv_sec - before.tv_sec) * 1000 + (after.tv_nsec - before.tv_nsec) / 1000000;
    printf("cond_timedwait: %s\n", result == ETIMEDOUT ? "ETIMEDOUT" : strerror(result));
    check(waited_ms >= 49, "cond_timedwait waited until the deadline");
}

// pthread_kill reaches the chosen thread: its handler sees that thread's tid.
static volatile pid_t handler_tid;
static volatile int target_ready;

static void record_tid(int signal)
{
    (void)signal;
    handler_tid = gettid_raw();
}

static void* signal_target(void* argument)
{
    pid_t* tid = argument;
    *tid = gettid_raw();
    __atomic_store_n(&target_ready, 1, __ATOMIC_RELEASE);
    while (!handler_tid)
        sched_yield();
    return NULL;
}

static void thread_signal(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = record_tid;
    sigaction(SIGUSR1, &action, NULL);
    pid_t target_tid = 0;
    pthread_t target;
    pthread_create(&target, NULL, signal_target, &target_tid);
    while (!__atomic_load_n(&target_ready, __ATOMIC_ACQUIRE))
        sched_yield();
    pthread_kill(target, SIGUSR1);
    pthread_join(target, NULL);
    check(
        handler_tid == target_tid && handler_tid != gettid_raw(), "pthread_kill ran the handler in the target thread");
}

// sigprocmask is per thread: a signal blocked in main but not in a helper
// thread, sent to the process, is taken by the helper.
static volatile pid_t process_signal_tid;

static void record_process_signal(int signal)
{
    (void)signal;
    process_signal_tid = gettid_raw();
}

static void* unblocked_helper(void* argument)
{
    pid_t* tid = argument;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    *tid = gettid_raw();
    while (!process_signal_tid)
        sched_yield();
    return NULL;
}

static void process_signal(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = record_process_signal;
    sigaction(SIGUSR2, &action, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    pid_t helper_tid = 0;
    pthread_t helper;
    pthread_create(&helper, NULL, unblocked_helper, &helper_tid);
    while (!__atomic_load_n(&helper_tid, __ATOMIC_ACQUIRE))
        sched_yield();
    kill(getpid(), SIGUSR2);
    pthread_join(helper, NULL);
    check(process_signal_tid == helper_tid, "a process signal goes to the thread not blocking it");
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

// In a child process: a second thread ends the whole process.
static void* exit_from_thread(void* argument)
{
    (void)argument;
    usleep(10000);
    exit(42);
}

static void exit_group_from_thread(void)
{
    pid_t child = fork();
    if (child == 0) {
        pthread_t thread;
        pthread_create(&thread, NULL, exit_from_thread, NULL);
        pthread_join(thread, NULL);
        _exit(1); // not reached: the thread's exit ends the process
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("exit from a thread: exited %d, status %d\n", WIFEXITED(status), WEXITSTATUS(status));
}

// In children: a fault in a second thread, and SIGKILL from outside, end
// every thread (the blocked ones too) with the signal's status.
static void* fault(void* argument)
{
    (void)argument;
    usleep(10000);
    static int* volatile bad_pointer = (int*)8;
    *bad_pointer = 1;
    return NULL;
}

static void* block_forever(void* argument)
{
    pthread_mutex_t* never = argument;
    pthread_mutex_lock(never);
    return NULL;
}

static void* sleeper(void* argument);

static void fatal_signals(void)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        pthread_t threads[2];
        pthread_create(&threads[0], NULL, sleeper, NULL);
        pthread_create(&threads[1], NULL, fault, NULL);
        pthread_join(threads[0], NULL);
        _exit(1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("fault in a thread: signaled %d, signal %d\n", WIFSIGNALED(status), WTERMSIG(status));
    int pipe_ends[2];
    pipe(pipe_ends);
    child = fork();
    if (child == 0) {
        static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
        pthread_mutex_lock(&held);
        pthread_t threads[3];
        for (int i = 0; i < 3; ++i)
            pthread_create(&threads[i], NULL, block_forever, &held);
        write(pipe_ends[1], "r", 1);
        pthread_join(threads[0], NULL);
        _exit(1);
    }
    char ready;
    read(pipe_ends[0], &ready, 1);
    usleep(20000);
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    printf("SIGKILL with threads blocked on futexes: signaled %d, signal %d\n", WIFSIGNALED(status), WTERMSIG(status));
    close(pipe_ends[0]);
    close(pipe_ends[1]);
}

// In a child: a second thread calls execve; the other threads go first.
static const char* self_path;

static void* exec_from_thread(void* argument)
{
    (void)argument;
    char* arguments[] = { (char*)self_path, "exec-target", NULL };
    execv(self_path, arguments);
    _exit(99);
}

static void* sleeper(void* argument)
{
    (void)argument;
    for (;;)
        pause();
    return NULL;
}

static void execve_from_thread(void)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        pthread_t threads[3];
        pthread_create(&threads[0], NULL, sleeper, NULL);
        pthread_create(&threads[1], NULL, sleeper, NULL);
        pthread_create(&threads[2], NULL, exec_from_thread, NULL);
        for (;;)
            pause();
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("execve from a thread: exited %d, status %d\n", WIFEXITED(status), WEXITSTATUS(status));
}

// musl's posix_spawn: clone(CLONE_VM | CLONE_VFORK | SIGCHLD) on a stack of
// its own, then execve in the child.
static void spawn(void)
{
    fflush(stdout);
    char* arguments[] = { (char*)self_path, "exec-target", NULL };
    pid_t child = 0;
    int error = posix_spawn(&child, self_path, NULL, NULL, arguments, NULL);
    int status = 0;
    if (error == 0)
        waitpid(child, &status, 0);
    printf("posix_spawn: error %d, exited %d, status %d\n", error, WIFEXITED(status), WEXITSTATUS(status));
    char* missing[] = { "/nonexistent/program", NULL };
    error = posix_spawn(&child, missing[0], NULL, NULL, missing, NULL);
    if (error == 0)
        waitpid(child, &status, 0);
    printf("posix_spawn of a missing program: %s\n", strerror(error));
}

static int exec_target(void)
{
    // After execve the caller is the only thread and its tid is the pid.
    printf("exec target: tid is pid: %s\n", gettid_raw() == getpid() ? "yes" : "no");
    return 7;
}

// /proc/self/status counts the threads, as Linux's "Threads:" line.
static pthread_barrier_t barrier;

static void* wait_at_barrier(void* argument)
{
    (void)argument;
    pthread_barrier_wait(&barrier);
    pthread_barrier_wait(&barrier);
    return NULL;
}

static void proc_thread_count(void)
{
    pthread_barrier_init(&barrier, NULL, 4);
    pthread_t threads[3];
    for (int i = 0; i < 3; ++i)
        pthread_create(&threads[i], NULL, wait_at_barrier, NULL);
    pthread_barrier_wait(&barrier);
    char line[256];
    FILE* status = fopen("/proc/self/status", "r");
    if (!status) {
        // Under Osprey's kshell nothing has mounted /proc yet.
        mkdir("/proc", 0555);
        mount("proc", "/proc", "proc", 0, NULL);
        status = fopen("/proc/self/status", "r");
    }
    while (status && fgets(line, sizeof(line), status)) {
        if (strncmp(line, "Threads:", 8) == 0)
            printf("/proc/self/status with 4 threads: Threads %ld\n", strtol(line + 8, NULL, 10));
    }
    if (status)
        fclose(status);
    // /proc/self/task has a directory per thread, with its own status.
    int entries = 0;
    int own_status = 1;
    DIR* task = opendir("/proc/self/task");
    struct dirent* entry;
    while (task && (entry = readdir(task))) {
        if (entry->d_name[0] == '.')
            continue;
        ++entries;
        char path[300];
        snprintf(path, sizeof(path), "/proc/self/task/%s/status", entry->d_name);
        FILE* file = fopen(path, "r");
        long pid = -1;
        long tgid = -1;
        while (file && fgets(line, sizeof(line), file)) {
            if (strncmp(line, "Pid:", 4) == 0)
                pid = strtol(line + 4, NULL, 10);
            if (strncmp(line, "Tgid:", 5) == 0)
                tgid = strtol(line + 5, NULL, 10);
        }
        if (file)
            fclose(file);
        if (pid != strtol(entry->d_name, NULL, 10) || tgid != getpid())
            own_status = 0;
    }
    if (task)
        closedir(task);
    printf(
        "/proc/self/task entries: %d, each status has its tid and the tgid: %s\n", entries, own_status ? "yes" : "no");
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < 3; ++i)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&barrier);
}

// Many short detached threads: creation and teardown do not run out.
static void* nothing(void* argument)
{
    return argument;
}

static void many_threads(void)
{
    int failures = 0;
    for (int round = 0; round < 50; ++round) {
        pthread_t threads[4];
        for (int i = 0; i < 4; ++i)
            failures += pthread_create(&threads[i], NULL, nothing, NULL) != 0;
        for (int i = 0; i < 4; ++i)
            pthread_join(threads[i], NULL);
        pthread_t detached;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        failures += pthread_create(&detached, &attributes, nothing, NULL) != 0;
        pthread_attr_destroy(&attributes);
    }
    printf("250 threads created and ended, failures: %d\n", failures);
}

// The cwd and the fd table are shared: one thread changes directory while
// others read the cwd, open files relative to it and open and close fds.
#define TABLE_ROUNDS 3000
static char cwd_paths[2][64];
static volatile int chdir_done;

static void* change_directories(void* argument)
{
    (void)argument;
    long failures = 0;
    for (int round = 0; round < TABLE_ROUNDS; ++round)
        failures += chdir(cwd_paths[round % 2]) != 0;
    chdir_done = 1;
    return (void*)failures;
}

static void* use_cwd_and_fds(void* argument)
{
    (void)argument;
    long failures = 0;
    char path[64];
    for (int round = 0; !chdir_done || round < 100; ++round) {
        if (!getcwd(path, sizeof(path)) || (strcmp(path, cwd_paths[0]) != 0 && strcmp(path, cwd_paths[1]) != 0))
            ++failures;
        int fd = open(".", O_RDONLY | O_DIRECTORY);
        struct stat status;
        if (fd < 0 || fstat(fd, &status) != 0 || !S_ISDIR(status.st_mode))
            ++failures;
        int copy = fd >= 0 ? dup(fd) : -1;
        if (copy < 0)
            ++failures;
        close(copy);
        close(fd);
    }
    return (void*)failures;
}

static void shared_cwd_and_fds(void)
{
    char start[256];
    if (!getcwd(start, sizeof(start)))
        start[0] = '\0';
    for (int i = 0; i < 2; ++i) {
        snprintf(cwd_paths[i], sizeof(cwd_paths[i]), "/tmp/musl-threads-%d-%c", (int)getpid(), 'a' + i);
        mkdir(cwd_paths[i], 0755);
    }
    chdir(cwd_paths[0]);
    pthread_t changer;
    pthread_t users[3];
    pthread_create(&changer, NULL, change_directories, NULL);
    for (int i = 0; i < 3; ++i)
        pthread_create(&users[i], NULL, use_cwd_and_fds, NULL);
    long failures = 0;
    void* result;
    pthread_join(changer, &result);
    failures += (long)result;
    for (int i = 0; i < 3; ++i) {
        pthread_join(users[i], &result);
        failures += (long)result;
    }
    printf("cwd and fd table shared by 4 threads, one changing directory %d times: failures %ld\n", TABLE_ROUNDS,
        failures);
    if (start[0])
        chdir(start);
    for (int i = 0; i < 2; ++i)
        rmdir(cwd_paths[i]);
}

// A stop signal stops every thread of the group, not only the one that
// takes it: two spinning threads' counters stay still until SIGCONT.
static volatile unsigned long* spin_counters;

static void* spin(void* argument)
{
    volatile unsigned long* counter = &spin_counters[(long)argument];
    for (;;)
        ++*counter;
    return NULL;
}

static void sleep_ms(long milliseconds)
{
    struct timespec pause = { milliseconds / 1000, (milliseconds % 1000) * 1000000L };
    nanosleep(&pause, NULL);
}

static int counters_moved(const unsigned long before[2])
{
    return spin_counters[0] != before[0] && spin_counters[1] != before[1];
}

static void group_stop(void)
{
    spin_counters = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (spin_counters == MAP_FAILED) {
        printf("group stop: mmap failed\n");
        return;
    }
    pid_t child = fork();
    if (child == 0) {
        pthread_t other;
        pthread_create(&other, NULL, spin, (void*)1L);
        spin((void*)0L);
    }
    unsigned long before[2] = { 0, 0 };
    for (int i = 0; i < 500 && !counters_moved(before); ++i)
        sleep_ms(10);
    int running = counters_moved(before);
    kill(child, SIGSTOP);
    int status = 0;
    pid_t reported = waitpid(child, &status, WUNTRACED);
    int stopped = reported == child && WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP;
    sleep_ms(50);
    unsigned long frozen[2] = { spin_counters[0], spin_counters[1] };
    sleep_ms(200);
    int still = spin_counters[0] == frozen[0] && spin_counters[1] == frozen[1];
    kill(child, SIGCONT);
    int resumed = 0;
    for (int i = 0; i < 500 && !resumed; ++i) {
        sleep_ms(10);
        resumed = counters_moved(frozen);
    }
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    printf("group stop: both threads ran %s, stopped %s, both still while stopped %s, both ran after SIGCONT %s\n",
        running ? "yes" : "no", stopped ? "yes" : "no", still ? "yes" : "no", resumed ? "yes" : "no");
    munmap((void*)spin_counters, 4096);
}

// Raw calls: errno values, compared with the host.
static void show(const char* what, long result)
{
    if (result < 0)
        printf("%s: %ld %s\n", what, result, strerror(errno));
    else
        printf("%s: %ld\n", what, result);
}

static long futex(void* address, int op, int value, const void* timeout, void* address2, int value3)
{
    return syscall(SYS_futex, address, op, value, timeout, address2, value3);
}

static volatile int interrupted;

static void note_interrupt(int signal)
{
    (void)signal;
    interrupted = 1;
}

static void* interrupt_main(void* argument)
{
    pthread_t main_thread = *(pthread_t*)argument;
    usleep(30000);
    pthread_kill(main_thread, SIGUSR1);
    return NULL;
}

static void errors(void)
{
    int word = 5;
    struct timespec short_wait = { 0, 20 * 1000 * 1000 };
    show("futex WAIT value differs", futex(&word, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0));
    show("futex WAIT times out", futex(&word, FUTEX_WAIT_PRIVATE, 5, &short_wait, NULL, 0));
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    show("futex WAIT_BITSET absolute past", futex(&word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 5, &now, NULL, -1));
    clock_gettime(CLOCK_REALTIME, &now);
    now.tv_nsec = 0;
    show("futex WAIT_BITSET realtime past",
        futex(&word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME, 5, &now, NULL, -1));
    show("futex WAIT bad address", futex((void*)16, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
    show("futex WAIT misaligned", futex((char*)&word + 1, FUTEX_WAIT_PRIVATE, 5, NULL, NULL, 0));
    show("futex WAIT bad timeout pointer", futex(&word, FUTEX_WAIT_PRIVATE, 5, (void*)16, NULL, 0));
    struct timespec bad = { 0, 1000000000 };
    show("futex WAIT bad timespec", futex(&word, FUTEX_WAIT_PRIVATE, 5, &bad, NULL, 0));
    show("futex WAIT_BITSET zero bitset", futex(&word, FUTEX_WAIT_BITSET, 5, NULL, NULL, 0));
    show("futex WAKE_BITSET zero bitset", futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0));
    show("futex WAKE nobody", futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
    show("futex WAKE shared bad address", futex((void*)16, FUTEX_WAKE, 1, NULL, NULL, 0));
    show("futex WAIT with CLOCK_REALTIME", futex(&word, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 5, &short_wait, NULL, 0));
    show("futex CMP_REQUEUE differs", futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void*)1L, &word, 4));
    show("futex CMP_REQUEUE negative", futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, -1, (void*)1L, &word, 5));
    show("futex unknown op", futex(&word, 99, 0, NULL, NULL, 0));

    // A handler without SA_RESTART ends a futex wait with EINTR.
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = note_interrupt;
    sigaction(SIGUSR1, &action, NULL);
    pthread_t self = pthread_self();
    pthread_t interrupter;
    pthread_create(&interrupter, NULL, interrupt_main, &self);
    show("futex WAIT interrupted", futex(&word, FUTEX_WAIT_PRIVATE, 5, NULL, NULL, 0));
    pthread_join(interrupter, NULL);
    printf("handler ran: %d\n", interrupted);

    show("clone THREAD without SIGHAND", syscall(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0));
    show("clone SIGHAND without VM", syscall(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0));
    show("clone NEWNS with FS", syscall(SYS_clone, CLONE_NEWNS | CLONE_FS, 0, 0, 0, 0));
    show("clone THREAD with NEWPID",
        syscall(SYS_clone, CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_NEWPID, 0, 0, 0, 0));
    show("set_tid_address returns the tid", syscall(SYS_set_tid_address, NULL) == gettid_raw());
    show("tgkill to a tid of another group", syscall(SYS_tgkill, getpid() + 100000, gettid_raw(), 0));
    show("tgkill own thread signal 0", syscall(SYS_tgkill, getpid(), gettid_raw(), 0));
}

int main(int argc, char** argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    self_path = argv[0];
    if (argc > 1 && strcmp(argv[1], "exec-target") == 0)
        return exec_target();
    if (argc > 1 && strcmp(argv[1], "errors") == 0) {
        errors();
        return 0;
    }
    proc_thread_count();
    mutex_counter();
    join_values_and_ids();
    producer_consumer();
    broadcast();
    timed_wait();
    thread_signal();
    process_signal();
    exit_group_from_thread();
    execve_from_thread();
    fatal_signals();
    spawn();
    many_threads();
    shared_cwd_and_fds();
    group_stop();
    printf("done\n");
    return 0;
}
