// Readiness: the watch registry (keys, relays, cycles), epoll instances over
// pipes (level, edge, one-shot, ordering, nesting, loops, entries dropped
// with the last reference to a description) and the poll event bits.
#include <fs/epoll/Epoll.h>
#include <fs/pipe/PipeEnd.h>
#include <fs/vfs/PollEvents.h>
#include <fs/vfs/Readiness.h>
#include <fs/vfs/ReadinessWatch.h>
#include <gtest/gtest.h>
#include <vector>

namespace {

using namespace fs;

template<typename T>
int error_of(const ErrorOr<T>& result)
{
    return result.is_error() ? result.error().code() : 0;
}

// Counts notifications; optionally relays to another key.
class CountingWatcher final : public ReadinessWatcher {
public:
    ReadinessRelay* readiness_changed_locked(const void* key) override
    {
        keys.push_back(key);
        return relay;
    }

    std::vector<const void*> keys;
    ReadinessRelay* relay { nullptr };
};

TEST(ReadinessWatch, NotifiesOnlyWatchersOfTheKey)
{
    int first_key = 0;
    int second_key = 0;
    CountingWatcher first;
    CountingWatcher second;
    ReadinessWatch first_watch;
    first_watch.key = &first_key;
    first_watch.watcher = &first;
    ReadinessWatch second_watch;
    second_watch.key = &second_key;
    second_watch.watcher = &second;
    usize before = readiness_watch_count();
    add_readiness_watch(first_watch);
    add_readiness_watch(second_watch);
    EXPECT_EQ(readiness_watch_count(), before + 2);

    readiness_changed(&first_key);
    ASSERT_EQ(first.keys.size(), 1u);
    EXPECT_EQ(first.keys[0], &first_key);
    EXPECT_TRUE(second.keys.empty());

    remove_readiness_watch(first_watch);
    readiness_changed(&first_key);
    EXPECT_EQ(first.keys.size(), 1u);
    remove_readiness_watch(second_watch);
    EXPECT_EQ(readiness_watch_count(), before);
}

TEST(ReadinessWatch, KeysSharingABucketStayApart)
{
    // 64 buckets: keys 4 KiB apart often collide; each watcher still sees only its own.
    constexpr usize STRIDE = usize(4096) * 8;
    static char keys[8 * STRIDE];
    CountingWatcher watchers[8];
    ReadinessWatch watches[8];
    for (usize i = 0; i < 8; ++i) {
        watches[i].key = &keys[i * STRIDE];
        watches[i].watcher = &watchers[i];
        add_readiness_watch(watches[i]);
    }
    readiness_changed(&keys[3 * STRIDE]);
    for (usize i = 0; i < 8; ++i)
        EXPECT_EQ(watchers[i].keys.size(), i == 3 ? 1u : 0u) << i;
    for (auto& watch : watches)
        remove_readiness_watch(watch);
}

TEST(ReadinessWatch, RelaysFollowOncePerPassEvenInACycle)
{
    int a = 0;
    int b = 0;
    ReadinessRelay relay_to_b { &b };
    ReadinessRelay relay_to_a { &a };
    CountingWatcher on_a; // a changed: b follows
    on_a.relay = &relay_to_b;
    CountingWatcher on_b; // b changed: a follows (a cycle)
    on_b.relay = &relay_to_a;
    ReadinessWatch watch_a;
    watch_a.key = &a;
    watch_a.watcher = &on_a;
    ReadinessWatch watch_b;
    watch_b.key = &b;
    watch_b.watcher = &on_b;
    add_readiness_watch(watch_a);
    add_readiness_watch(watch_b);

    readiness_changed(&a);
    // a, then b by relay, then a again by relay (a's relay was not queued
    // yet), then b's relay is already used in this pass: the walk ends.
    EXPECT_EQ(on_a.keys.size(), 2u);
    EXPECT_EQ(on_b.keys.size(), 1u);

    remove_readiness_watch(watch_a);
    remove_readiness_watch(watch_b);
}

TEST(PollBits, NormalBitsFollowTheShortOnes)
{
    EXPECT_EQ(poll_bits::with_normal_bits(poll_bits::In), poll_bits::In | poll_bits::ReadNormal);
    EXPECT_EQ(poll_bits::with_normal_bits(poll_bits::Out | poll_bits::Error),
        poll_bits::Out | poll_bits::WriteNormal | poll_bits::Error);
    EXPECT_EQ(poll_bits::with_normal_bits(poll_bits::HangUp), poll_bits::HangUp);
}

struct TestPipe {
    NonnullRefPtr<OpenFile> read_end;
    NonnullRefPtr<OpenFile> write_end;
};

TestPipe make_pipe()
{
    auto ends = create_pipe(open_flag::NonBlocking);
    EXPECT_FALSE(ends.is_error());
    auto value = ends.release_value();
    return { lib::move(value.read_end), lib::move(value.write_end) };
}

NonnullRefPtr<EpollFile> make_epoll()
{
    auto instance = EpollFile::try_create(0);
    EXPECT_FALSE(instance.is_error());
    return instance.release_value();
}

int add(EpollFile& instance, int fd, OpenFile& file, u32 events, u64 data)
{
    EpollEvent event { events, data };
    return error_of(instance.control(EpollOperation::Add, fd, file, &event));
}

std::vector<std::pair<u32, u64>> collect(EpollFile& instance, usize capacity = 8)
{
    std::vector<EpollEvent> events(capacity);
    usize count = instance.collect(events.data(), capacity);
    std::vector<std::pair<u32, u64>> result;
    for (usize i = 0; i < count; ++i) {
        u32 mask = events[i].events; // packed: copy before binding references
        u64 data = events[i].data;
        result.emplace_back(mask, data);
    }
    return result;
}

void put(OpenFile& write_end, const char* text = "x")
{
    ASSERT_FALSE(write_end.write({ reinterpret_cast<const u8*>(text), __builtin_strlen(text) }).is_error());
}

void drain(OpenFile& read_end)
{
    u8 buffer[256];
    while (!read_end.read({ buffer, sizeof(buffer) }).is_error()) { }
}

using Events = std::vector<std::pair<u32, u64>>;
constexpr u32 IN = poll_bits::In;
constexpr u32 READ = poll_bits::In | poll_bits::ReadNormal;

TEST(Epoll, LevelEdgeAndOneShot)
{
    auto instance = make_epoll();
    auto level = make_pipe();
    auto edge = make_pipe();
    auto once = make_pipe();
    EXPECT_EQ(add(*instance, 3, *level.read_end, IN, 10), 0);
    EXPECT_EQ(add(*instance, 5, *edge.read_end, IN | epoll_flag::EdgeTriggered, 20), 0);
    EXPECT_EQ(add(*instance, 7, *once.read_end, IN | epoll_flag::OneShot, 30), 0);
    EXPECT_EQ(collect(*instance), Events {});

    put(*level.write_end);
    put(*edge.write_end);
    put(*once.write_end);
    EXPECT_EQ(collect(*instance), (Events { { IN, 10 }, { IN, 20 }, { IN, 30 } }));
    EXPECT_EQ(collect(*instance), (Events { { IN, 10 } }));
    put(*edge.write_end);
    put(*once.write_end);
    EXPECT_EQ(collect(*instance), (Events { { IN, 10 }, { IN, 20 } }));

    EpollEvent rearm { IN | epoll_flag::OneShot, 31 };
    EXPECT_EQ(error_of(instance->control(EpollOperation::Modify, 7, *once.read_end, &rearm)), 0);
    EXPECT_EQ(collect(*instance), (Events { { IN, 10 }, { IN, 31 } }));

    drain(*level.read_end);
    EXPECT_EQ(collect(*instance), Events {});
}

TEST(Epoll, MaxEventsTakesReadyEntriesInTurn)
{
    auto instance = make_epoll();
    auto first = make_pipe();
    auto second = make_pipe();
    add(*instance, 3, *first.read_end, IN, 1);
    add(*instance, 4, *second.read_end, IN, 2);
    put(*first.write_end);
    put(*second.write_end);
    EXPECT_EQ(collect(*instance, 1), (Events { { IN, 1 } }));
    EXPECT_EQ(collect(*instance, 1), (Events { { IN, 2 } }));
    EXPECT_EQ(collect(*instance, 1), (Events { { IN, 1 } }));
}

TEST(Epoll, ControlErrors)
{
    auto instance = make_epoll();
    auto pipe = make_pipe();
    EpollEvent event { IN, 0 };
    EXPECT_EQ(add(*instance, 3, *pipe.read_end, IN, 0), 0);
    EXPECT_EQ(add(*instance, 3, *pipe.read_end, IN, 0), EEXIST);
    EXPECT_EQ(add(*instance, 9, *pipe.read_end, IN, 0), 0); // another fd, same description
    EXPECT_EQ(error_of(instance->control(EpollOperation::Modify, 4, *pipe.write_end, &event)), ENOENT);
    EXPECT_EQ(error_of(instance->control(EpollOperation::Delete, 4, *pipe.write_end, nullptr)), ENOENT);
    EXPECT_EQ(error_of(instance->control(static_cast<EpollOperation>(99), 3, *pipe.read_end, &event)), EINVAL);
    EXPECT_EQ(add(*instance, 5, *instance, IN, 0), EINVAL);
    EpollEvent exclusive { IN | epoll_flag::Exclusive, 0 };
    EXPECT_EQ(error_of(instance->control(EpollOperation::Modify, 3, *pipe.read_end, &exclusive)), EINVAL);
    EXPECT_EQ(error_of(instance->control(EpollOperation::Delete, 3, *pipe.read_end, nullptr)), 0);
    EXPECT_EQ(instance->interest_count(), 1u);
}

TEST(Epoll, HangUpAndErrorAreAlwaysReported)
{
    auto instance = make_epoll();
    auto pipe = make_pipe();
    add(*instance, 3, *pipe.read_end, 0, 1);
    EXPECT_EQ(collect(*instance), Events {});
    pipe.write_end = make_pipe().write_end; // the pipe's only writer goes
    EXPECT_EQ(collect(*instance), (Events { { poll_bits::HangUp, 1 } }));
}

TEST(Epoll, EntryGoesWithTheLastReferenceToTheDescription)
{
    usize entries_before = live_epoll_entry_count();
    usize watches_before = readiness_watch_count();
    auto instance = make_epoll();
    {
        auto pipe = make_pipe();
        add(*instance, 3, *pipe.read_end, IN, 1);
        RefPtr<OpenFile> copy = pipe.read_end.ptr(); // a dup
        EXPECT_EQ(live_epoll_entry_count(), entries_before + 1);
        put(*pipe.write_end);
        EXPECT_EQ(collect(*instance).size(), 1u);
    }
    EXPECT_EQ(instance->interest_count(), 0u);
    EXPECT_EQ(live_epoll_entry_count(), entries_before);
    EXPECT_EQ(collect(*instance), Events {});
    auto other = make_pipe();
    add(*instance, 4, *other.read_end, IN, 2);
    instance = make_epoll(); // the old instance dies with its entry
    EXPECT_EQ(live_epoll_entry_count(), entries_before);
    EXPECT_EQ(readiness_watch_count(), watches_before);
}

TEST(Epoll, NestedInstancesRelayAndArePollable)
{
    auto inner = make_epoll();
    auto outer = make_epoll();
    auto pipe = make_pipe();
    add(*inner, 3, *pipe.read_end, IN, 1);
    EXPECT_EQ(add(*outer, 4, *inner, IN, 2), 0);
    EXPECT_EQ(add(*inner, 5, *outer, IN, 3), ELOOP);
    EXPECT_EQ(inner->poll_readiness(), 0u);
    EXPECT_EQ(collect(*outer), Events {});
    put(*pipe.write_end);
    EXPECT_EQ(inner->poll_readiness(), READ);
    EXPECT_EQ(outer->poll_readiness(), READ);
    EXPECT_EQ(collect(*outer), (Events { { READ & IN, 2 } }));
    drain(*pipe.read_end);
    EXPECT_EQ(inner->poll_readiness(), 0u);
    EXPECT_EQ(collect(*outer), Events {});
}

TEST(Epoll, ChainsDeeperThanLinuxAllowsAreLoops)
{
    std::vector<NonnullRefPtr<EpollFile>> chain;
    chain.reserve(7);
    for (int i = 0; i < 7; ++i)
        chain.push_back(make_epoll());
    std::vector<int> results;
    results.reserve(6);
    for (int i = 0; i + 1 < 7; ++i)
        results.push_back(add(*chain[i + 1], i, *chain[i], IN, 0));
    // As on Linux: four levels of instances above the innermost one at most.
    EXPECT_EQ(results, (std::vector<int> { 0, 0, 0, 0, ELOOP, 0 }));
}

TEST(Epoll, NotifiesItsOwnWatchers)
{
    auto instance = make_epoll();
    auto pipe = make_pipe();
    add(*instance, 3, *pipe.read_end, IN, 1);
    CountingWatcher watcher;
    ReadinessWatch watch;
    watch.key = instance->readiness_key();
    watch.watcher = &watcher;
    add_readiness_watch(watch);
    put(*pipe.write_end);
    EXPECT_FALSE(watcher.keys.empty());
    remove_readiness_watch(watch);
}

} // namespace
