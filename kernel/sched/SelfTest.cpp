// The scheduler self-test: synchronization primitives, thread lifecycle and
// FPU state (the timing checks are in SelfTestTiming.cpp).
#include <kernel/arch/x86_64/ThreadContext.h>
#include <kernel/sched/ConditionVariable.h>
#include <kernel/sched/Mutex.h>
#include <kernel/sched/SelfTest.h>
#include <kernel/sched/SelfTestSupport.h>
#include <kernel/sched/Semaphore.h>

namespace sched::selftest {

namespace {

// Mutex: threads increment a shared counter with a read, a yield inside the
// critical section (so the others pile up on the mutex), and a write. A lost
// update shows as a short count.
constexpr usize MUTEX_THREADS = 4;
constexpr u64 MUTEX_INCREMENTS = 2000;

struct MutexState {
    Mutex mutex;
    u64 counter { 0 };
};

void mutex_worker(void* argument)
{
    auto& state = *static_cast<MutexState*>(argument);
    for (u64 i = 0; i < MUTEX_INCREMENTS; ++i) {
        MutexLocker locker(state.mutex);
        u64 value = state.counter;
        if (i % 50 == 0)
            yield();
        state.counter = value + 1;
    }
}

// Producer/consumer through a ring of RING_SIZE slots: a semaphore counts
// free slots, another filled ones, a mutex guards the indices.
constexpr usize RING_SIZE = 8;
constexpr u64 ITEMS = 5000;

struct SemaphoreState {
    Semaphore free_slots { RING_SIZE };
    Semaphore filled_slots { 0 };
    Mutex mutex;
    u64 ring[RING_SIZE] {};
    usize head { 0 };
    usize tail { 0 };
    u64 sum { 0 };
    u64 last { 0 };
    bool in_order { true };
};

void semaphore_producer(void* argument)
{
    auto& state = *static_cast<SemaphoreState*>(argument);
    for (u64 value = 1; value <= ITEMS; ++value) {
        state.free_slots.wait();
        {
            MutexLocker locker(state.mutex);
            state.ring[state.tail++ % RING_SIZE] = value;
        }
        state.filled_slots.post();
    }
}

void semaphore_consumer(void* argument)
{
    auto& state = *static_cast<SemaphoreState*>(argument);
    for (u64 i = 0; i < ITEMS; ++i) {
        state.filled_slots.wait();
        u64 value;
        {
            MutexLocker locker(state.mutex);
            value = state.ring[state.head++ % RING_SIZE];
        }
        state.free_slots.post();
        state.in_order &= value == state.last + 1;
        state.last = value;
        state.sum += value;
    }
}

// The same exchange through a 4-entry queue with two condition variables,
// and a broadcast that must wake every waiter.
constexpr usize QUEUE_SIZE = 4;
constexpr usize BROADCAST_WAITERS = 3;

struct ConditionState {
    Mutex mutex;
    ConditionVariable not_empty;
    ConditionVariable not_full;
    u64 queue[QUEUE_SIZE] {};
    usize head { 0 };
    usize count { 0 };
    u64 sum { 0 };
    u64 last { 0 };
    bool in_order { true };
    bool go { false };
    usize woken { 0 };
};

void condition_producer(void* argument)
{
    auto& state = *static_cast<ConditionState*>(argument);
    for (u64 value = 1; value <= ITEMS; ++value) {
        MutexLocker locker(state.mutex);
        while (state.count == QUEUE_SIZE)
            state.not_full.wait(state.mutex);
        state.queue[(state.head + state.count++) % QUEUE_SIZE] = value;
        state.not_empty.signal();
    }
}

void condition_consumer(void* argument)
{
    auto& state = *static_cast<ConditionState*>(argument);
    for (u64 i = 0; i < ITEMS; ++i) {
        MutexLocker locker(state.mutex);
        while (state.count == 0)
            state.not_empty.wait(state.mutex);
        u64 value = state.queue[state.head];
        state.head = (state.head + 1) % QUEUE_SIZE;
        --state.count;
        state.not_full.signal();
        state.in_order &= value == state.last + 1;
        state.last = value;
        state.sum += value;
    }
}

void broadcast_waiter(void* argument)
{
    auto& state = *static_cast<ConditionState*>(argument);
    MutexLocker locker(state.mutex);
    while (!state.go)
        state.not_empty.wait(state.mutex);
    ++state.woken;
}

void exit_at_once(void*) { }

// FPU: each thread keeps its own XMM0 across many switches.
constexpr usize FPU_THREADS = 2;
constexpr u64 FPU_ROUNDS = 500;

struct FpuState {
    bool intact[FPU_THREADS] {};
};

struct FpuArgument {
    FpuState* state;
    usize index;
};

void fpu_worker(void* argument)
{
    auto& work = *static_cast<FpuArgument*>(argument);
    u64 pattern = 0x0123456789abcdefull ^ (work.index * 0x1111111111111111ull);
    x86::fpu_test_write_xmm0(pattern);
    bool intact = true;
    for (u64 round = 0; round < FPU_ROUNDS; ++round) {
        yield();
        intact &= x86::fpu_test_read_xmm0() == pattern;
    }
    work.state->intact[work.index] = intact;
}

constexpr u64 ITEMS_SUM = ITEMS * (ITEMS + 1) / 2;

} // namespace

bool test_mutex(Context& context)
{
    auto* state = new (std::nothrow) MutexState;
    if (!state)
        return context.fail("mutex: out of memory");
    RefPtr<Thread> threads[MUTEX_THREADS];
    for (auto& thread : threads) {
        thread = context.spawn("test-mutex", mutex_worker, state);
        if (!thread)
            return false;
    }
    if (!context.join_all(threads, MUTEX_THREADS, "mutex"))
        return false;
    u64 counter = state->counter;
    u64 contended = state->mutex.contention_count();
    bool free = !state->mutex.is_locked();
    delete state;
    context.note("mutex: {} threads x {} increments = {}, {} contended locks", MUTEX_THREADS, MUTEX_INCREMENTS, counter,
        contended);
    if (counter != MUTEX_THREADS * MUTEX_INCREMENTS)
        return context.fail("mutex: counter {} instead of {}", counter, MUTEX_THREADS * MUTEX_INCREMENTS);
    if (contended == 0)
        return context.fail("mutex: never contended, so waiting was not tested");
    if (!free)
        return context.fail("mutex: still locked after every thread unlocked it");
    return true;
}

bool test_semaphore(Context& context)
{
    auto* state = new (std::nothrow) SemaphoreState;
    if (!state)
        return context.fail("semaphore: out of memory");
    RefPtr<Thread> threads[2];
    threads[0] = context.spawn("test-sem-consumer", semaphore_consumer, state);
    threads[1] = context.spawn("test-sem-producer", semaphore_producer, state);
    if (!threads[0] || !threads[1] || !context.join_all(threads, 2, "semaphore"))
        return false;
    bool ok = state->in_order && state->sum == ITEMS_SUM && state->free_slots.count() == RING_SIZE
        && state->filled_slots.count() == 0;
    u64 sum = state->sum;
    delete state;
    context.note("semaphore: {} items through a {}-slot ring, sum {}", ITEMS, RING_SIZE, sum);
    if (!ok)
        return context.fail("semaphore: items lost, duplicated or reordered (sum {}, expected {})", sum, ITEMS_SUM);
    return true;
}

bool test_condition_variable(Context& context)
{
    auto* state = new (std::nothrow) ConditionState;
    if (!state)
        return context.fail("condvar: out of memory");
    RefPtr<Thread> threads[2];
    threads[0] = context.spawn("test-cv-consumer", condition_consumer, state);
    threads[1] = context.spawn("test-cv-producer", condition_producer, state);
    if (!threads[0] || !threads[1] || !context.join_all(threads, 2, "condvar"))
        return false;
    if (!state->in_order || state->sum != ITEMS_SUM) {
        context.fail("condvar: items lost, duplicated or reordered (sum {}, expected {})", state->sum, ITEMS_SUM);
        delete state;
        return false;
    }
    context.note("condvar: {} items through a {}-entry queue, sum {}", ITEMS, QUEUE_SIZE, state->sum);

    RefPtr<Thread> waiters[BROADCAST_WAITERS];
    for (auto& waiter : waiters) {
        waiter = context.spawn("test-cv-waiter", broadcast_waiter, state);
        if (!waiter)
            return false;
    }
    sleep_ns(10 * MS); // let them all wait
    {
        MutexLocker locker(state->mutex);
        state->go = true;
        state->not_empty.broadcast();
    }
    if (!context.join_all(waiters, BROADCAST_WAITERS, "condvar broadcast"))
        return false;
    usize woken = state->woken;
    delete state;
    context.note("condvar: broadcast woke {} of {} waiters", woken, BROADCAST_WAITERS);
    if (woken != BROADCAST_WAITERS)
        return context.fail("condvar: broadcast woke {} of {} waiters", woken, BROADCAST_WAITERS);
    return true;
}

bool test_lifecycle(Context& context)
{
    constexpr usize COUNT = 16;
    usize before = snapshot_threads(nullptr, 0);
    {
        RefPtr<Thread> threads[COUNT];
        for (auto& thread : threads) {
            thread = context.spawn("test-exit", exit_at_once, nullptr);
            if (!thread)
                return false;
        }
        if (!context.join_all(threads, COUNT, "exit"))
            return false;
        for (auto& thread : threads) {
            if (thread->state() != ThreadState::Dead)
                return context.fail("exit: a joined thread is {}", thread_state_name(thread->state()));
        }
    }
    if (!current().join(0).is_error())
        return context.fail("exit: a thread could join itself");
    // The reaper runs as soon as this thread sleeps.
    sleep_ns(20 * MS);
    usize after = snapshot_threads(nullptr, 0);
    context.note("exit: {} threads created, joined and reaped ({} threads before, {} after)", COUNT, before, after);
    if (after != before)
        return context.fail("exit: {} threads before, {} after reaping", before, after);
    return true;
}

bool test_fpu(Context& context)
{
    auto* state = new (std::nothrow) FpuState;
    if (!state)
        return context.fail("fpu: out of memory");
    FpuArgument arguments[FPU_THREADS];
    RefPtr<Thread> threads[FPU_THREADS];
    u64 own = 0xfeedfacecafebeefull;
    x86::fpu_test_write_xmm0(own);
    for (usize i = 0; i < FPU_THREADS; ++i) {
        arguments[i] = { state, i };
        threads[i] = context.spawn("test-fpu", fpu_worker, &arguments[i]);
        if (!threads[i])
            return false;
    }
    if (!context.join_all(threads, FPU_THREADS, "fpu"))
        return false;
    bool intact = state->intact[0] && state->intact[1] && x86::fpu_test_read_xmm0() == own;
    delete state;
    context.note(
        "fpu: XMM0 kept by {} threads over {} switches each: {}", FPU_THREADS + 1, FPU_ROUNDS, intact ? "yes" : "no");
    if (!intact)
        return context.fail("fpu: a thread's XMM0 changed across a switch");
    return true;
}

} // namespace sched::selftest

namespace sched {

bool run_self_test(FormatSink& out, char* failure, usize failure_capacity)
{
    selftest::Context context(out, failure, failure_capacity);
    using Test = bool (*)(selftest::Context&);
    constexpr Test TESTS[] = {
        selftest::test_mutex,
        selftest::test_semaphore,
        selftest::test_condition_variable,
        selftest::test_lifecycle,
        selftest::test_fpu,
        selftest::test_sleep,
        selftest::test_timeouts,
        selftest::test_priority,
        selftest::test_fairness,
    };
    for (Test test : TESTS) {
        if (!test(context))
            return false;
    }
    return true;
}

} // namespace sched
