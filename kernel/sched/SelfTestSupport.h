#pragma once

// Shared helpers of the scheduler self-test (SelfTest.h): reporting, and
// starting and joining test threads with a timeout, so that a broken
// primitive fails the test instead of hanging it. When a join times out, the
// test's shared state is deliberately leaked: the stuck threads still point
// at it.
#include <kernel/lib/Format.h>
#include <kernel/lib/RefPtr.h>
#include <kernel/sched/Thread.h>
#include <kernel/time/Clock.h>

namespace sched::selftest {

inline constexpr u64 MS = 1'000'000;
inline constexpr u64 JOIN_TIMEOUT_NS = 20'000 * MS;

class Context {
public:
    Context(FormatSink& out, char* failure, usize failure_capacity)
        : m_out(out)
        , m_failure(failure)
        , m_failure_capacity(failure_capacity)
    {
    }

    template<typename... Args>
    bool fail(StringView fmt, const Args&... args)
    {
        format_to(m_failure, m_failure_capacity, fmt, args...);
        return false;
    }

    template<typename... Args>
    void note(StringView fmt, const Args&... args)
    {
        m_out.write("  ");
        format(m_out, fmt, args...);
        m_out.write("\n");
    }

    // Starts a thread; on failure records it and returns null.
    RefPtr<Thread> spawn(StringView name, Thread::Entry entry, void* argument, const ThreadOptions& options = {})
    {
        auto thread = Thread::create(name, entry, argument, options);
        if (thread.is_error()) {
            fail("cannot create thread '{}': {}", name, thread.error());
            return nullptr;
        }
        return thread.release_value();
    }

    // Joins every non-null thread in `threads`; false (recorded) on timeout.
    bool join_all(RefPtr<Thread>* threads, usize count, StringView what)
    {
        for (usize i = 0; i < count; ++i) {
            if (threads[i] && threads[i]->join(JOIN_TIMEOUT_NS).is_error())
                return fail("{}: thread '{}' did not finish", what, threads[i]->name());
        }
        return true;
    }

private:
    FormatSink& m_out;
    char* m_failure;
    usize m_failure_capacity;
};

// The checks, in SelfTest.cpp and SelfTestTiming.cpp.
bool test_mutex(Context&);
bool test_semaphore(Context&);
bool test_condition_variable(Context&);
bool test_lifecycle(Context&);
bool test_fpu(Context&);
bool test_sleep(Context&);
bool test_timeouts(Context&);
bool test_priority(Context&);
bool test_fairness(Context&);

// Milliseconds with three decimals, for notes.
struct Milliseconds {
    u64 ns;
};

inline void format_value(FormatSink& sink, const Milliseconds& value)
{
    format(sink, "{}.{:03} ms", value.ns / MS, (value.ns % MS) / 1000);
}

} // namespace sched::selftest
