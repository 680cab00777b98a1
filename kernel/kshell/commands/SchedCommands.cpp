// kshell commands for the scheduler:
//   threads    a header, then one line per thread:
//                 <id> <name> <class> <prio> <state> <vcsw> <icsw> <cpu ms>
//              id right-aligned in 4 columns; name left-aligned in 20; class
//              realtime|normal|idle; prio the realtime priority (0..31), the
//              nice value (-20..19) for normal threads, or - for idle ones;
//              state running|runnable|blocked|sleeping|dead; vcsw and icsw the
//              voluntary and involuntary context switches; cpu the CPU time in
//              milliseconds with three decimals.
//   benchsched [rounds]
//              BENCH context_switch_kthread <ns> ns     (two threads yielding to each other)
//              BENCH semaphore_roundtrip_kthread <ns> ns (post, wake, post back, wake)
//              BENCH thread_create_join_kthread <ns> ns
//   schedtest  the scheduler self-test (kernel/sched/SelfTest.h): one line
//              per check, then "schedtest: ok" or "schedtest: FAILED <what>".
#include <kernel/console/Console.h>
#include <kernel/kshell/Command.h>
#include <kernel/mm/Heap.h>
#include <kernel/sched/Scheduler.h>
#include <kernel/sched/SelfTest.h>
#include <kernel/sched/Semaphore.h>
#include <kernel/sched/Thread.h>
#include <kernel/time/Clock.h>

namespace {

void threads(kshell::Arguments)
{
    usize capacity = 64;
    sched::ThreadSnapshot* snapshots = nullptr;
    usize count = 0;
    // The list may grow between sizing and copying: retry with room to spare.
    for (int attempt = 0; attempt < 4; ++attempt) {
        kfree(snapshots);
        snapshots = static_cast<sched::ThreadSnapshot*>(kcalloc(capacity, sizeof(sched::ThreadSnapshot)));
        if (!snapshots) {
            console::print("threads: out of memory\n");
            return;
        }
        count = sched::snapshot_threads(snapshots, capacity);
        if (count <= capacity)
            break;
        capacity = count + 16;
    }
    count = min(count, capacity);
    console::print("{:>4} {:<20} {:<8} {:>4} {:<8} {:>9} {:>9} {:>12}\n", "ID", "NAME", "CLASS", "PRIO", "STATE",
        "VCSW", "ICSW", "CPU_MS");
    for (usize i = 0; i < count; ++i) {
        const sched::ThreadSnapshot& thread = snapshots[i];
        char priority[8];
        switch (thread.scheduling_class) {
        case sched::SchedulingClass::Realtime:
            format_to(priority, sizeof(priority), "{}", thread.realtime_priority);
            break;
        case sched::SchedulingClass::Normal:
            format_to(priority, sizeof(priority), "{}", thread.nice);
            break;
        case sched::SchedulingClass::Idle:
            format_to(priority, sizeof(priority), "-");
            break;
        }
        console::print("{:>4} {:<20} {:<8} {:>4} {:<8} {:>9} {:>9} {:>8}.{:03}\n", thread.id, StringView(thread.name),
            sched::scheduling_class_name(thread.scheduling_class), StringView(priority),
            sched::thread_state_name(static_cast<sched::ThreadState>(thread.state)), thread.voluntary_switches,
            thread.involuntary_switches, thread.cpu_time_ns / 1'000'000, (thread.cpu_time_ns / 1000) % 1000);
    }
    kfree(snapshots);
}
KSHELL_COMMAND("threads", "list threads with class, state, switches and CPU time", threads);

struct PingPong {
    sched::Semaphore ping { 0 };
    sched::Semaphore pong { 0 };
    u64 rounds { 0 };
};

void yield_rounds(void* argument)
{
    auto& state = *static_cast<PingPong*>(argument);
    for (u64 i = 0; i < state.rounds; ++i)
        sched::yield();
}

void ping(void* argument)
{
    auto& state = *static_cast<PingPong*>(argument);
    for (u64 i = 0; i < state.rounds; ++i) {
        state.ping.post();
        state.pong.wait();
    }
}

void pong(void* argument)
{
    auto& state = *static_cast<PingPong*>(argument);
    for (u64 i = 0; i < state.rounds; ++i) {
        state.ping.wait();
        state.pong.post();
    }
}

void nothing(void*) { }

// Runs `first` and `second` on `state`, made runnable together; the
// nanoseconds from their release to their end, or 0 on failure.
u64 run_pair(const char* name, sched::Thread::Entry first, sched::Thread::Entry second, PingPong& state,
    const sched::ThreadOptions& options)
{
    sched::preempt_disable();
    auto a = sched::Thread::create(name, first, &state, options);
    auto b = sched::Thread::create(name, second, &state, options);
    u64 start = ktime::monotonic_ns();
    sched::preempt_enable();
    if (a.is_error() || b.is_error()) {
        console::print("benchsched: cannot create threads\n");
        // A ping-pong half alone would wait forever: release it, then let
        // it finish before `state` goes away.
        for (u64 i = 0; i < state.rounds; ++i) {
            state.ping.post();
            state.pong.post();
        }
        if (!a.is_error())
            (void)a.value()->join();
        if (!b.is_error())
            (void)b.value()->join();
        return 0;
    }
    if (a.value()->join().is_error() || b.value()->join().is_error())
        return 0;
    return ktime::monotonic_ns() - start;
}

void benchsched(kshell::Arguments args)
{
    u64 rounds = 20000;
    if (args.size() > 1 && (!args[1].to_u64(rounds) || rounds == 0)) {
        console::print("usage: benchsched [rounds]\n");
        return;
    }
    auto* state = new (std::nothrow) PingPong;
    if (!state) {
        console::print("benchsched: out of memory\n");
        return;
    }
    state->rounds = rounds;

    // Two realtime threads of one priority: each yield switches to the other.
    sched::ThreadOptions realtime { sched::SchedulingClass::Realtime, sched::RealtimePolicy::RoundRobin, 10 };
    u64 elapsed = run_pair("bench-yield", yield_rounds, yield_rounds, *state, realtime);
    if (elapsed)
        console::print("BENCH context_switch_kthread {} ns\n", elapsed / (2 * rounds));

    // Each round trip: post, switch to the waiter, post back, switch back.
    elapsed = run_pair("bench-pingpong", ping, pong, *state, {});
    if (elapsed)
        console::print("BENCH semaphore_roundtrip_kthread {} ns\n", elapsed / rounds);

    constexpr u64 CREATE_ROUNDS = 200;
    u64 start = ktime::monotonic_ns();
    for (u64 i = 0; i < CREATE_ROUNDS; ++i) {
        auto thread = sched::Thread::create("bench-create", nothing, nullptr);
        if (thread.is_error() || thread.value()->join().is_error()) {
            console::print("benchsched: cannot create threads\n");
            delete state;
            return;
        }
    }
    console::print("BENCH thread_create_join_kthread {} ns\n", (ktime::monotonic_ns() - start) / CREATE_ROUNDS);
    delete state;
}
KSHELL_COMMAND("benchsched", "context switch, wake-up and thread creation costs [rounds]", benchsched);

void schedtest(kshell::Arguments)
{
    char failure[160];
    failure[0] = '\0';
    if (sched::run_self_test(console::sink(), failure, sizeof(failure)))
        console::print("schedtest: ok\n");
    else
        console::print("schedtest: FAILED {}\n", StringView(failure));
}
KSHELL_COMMAND("schedtest", "scheduler self-test: locks, sleeps, priorities, fairness", schedtest);

} // namespace
