// Pipes: the ring buffer and end-state rules (EOF, EPIPE, atomic writes of
// at most PIPE_ATOMIC_SIZE, partial large writes, wrap-around, O_NONBLOCK, poll),
// and the blocking paths with host threads behind the fs wait hooks.
#include <condition_variable>
#include <fs/pipe/PipeEnd.h>
#include <fs/pipe/WaitHooks.h>
#include <gtest/gtest.h>
#include <mutex>
#include <thread>
#include <vector>

namespace {

using fs::open_flag::NonBlocking;
using fs::poll_event::Error;
using fs::poll_event::HangUp;
using fs::poll_event::In;
using fs::poll_event::Out;

std::mutex s_wait_mutex;
std::condition_variable s_wait_condition;

void host_wait(const void*, fs::WaitHooks::Condition condition, const void* argument)
{
    std::unique_lock lock(s_wait_mutex);
    s_wait_condition.wait(lock, [&] { return condition(argument); });
}

void host_wake(const void*)
{
    std::lock_guard lock(s_wait_mutex);
    s_wait_condition.notify_all();
}

constexpr fs::WaitHooks HOST_HOOKS { host_wait, host_wake };

template<typename T>
int error_of(const ErrorOr<T>& result)
{
    return result.is_error() ? result.error().code() : 0;
}

std::vector<u8> pattern(usize size, u32 seed)
{
    std::vector<u8> bytes(size);
    for (usize i = 0; i < size; ++i)
        bytes[i] = static_cast<u8>((i * 131 + seed) ^ (i >> 8));
    return bytes;
}

class PipeTest : public ::testing::Test {
protected:
    void SetUp() override { m_files_before = fs::live_open_file_count(); }
    void TearDown() override
    {
        fs::set_wait_hooks(nullptr);
        EXPECT_EQ(fs::live_open_file_count(), m_files_before);
    }

    i64 m_files_before { 0 };
};

TEST_F(PipeTest, DataComesOutInOrderAndEofFollowsTheLastWriterClose)
{
    auto ends = fs::create_pipe(NonBlocking).release_value();
    auto data = pattern(1000, 7);
    EXPECT_EQ(ends.write_end->write({ data.data(), data.size() }).value(), 1000u);
    std::vector<u8> out(600);
    EXPECT_EQ(ends.read_end->read({ out.data(), out.size() }).value(), 600u);
    EXPECT_TRUE(std::equal(out.begin(), out.end(), data.begin()));
    EXPECT_EQ(ends.read_end->read({ out.data(), out.size() }).value(), 400u);
    EXPECT_TRUE(std::equal(out.begin(), out.begin() + 400, data.begin() + 600));
    EXPECT_EQ(error_of(ends.read_end->read({ out.data(), out.size() })), EAGAIN);
    ends.write_end = ends.read_end; // drops the only write end
    EXPECT_EQ(ends.read_end->read({ out.data(), out.size() }).value(), 0u);
    EXPECT_EQ(ends.read_end->poll_readiness(), HangUp);
}

TEST_F(PipeTest, WriteWithoutReadersIsEpipeAndPollShowsError)
{
    auto ends = fs::create_pipe(0).release_value();
    EXPECT_EQ(ends.write_end->poll_readiness(), Out);
    ends.read_end = ends.write_end;
    u8 byte = 1;
    EXPECT_EQ(error_of(ends.write_end->write({ &byte, 1 })), EPIPE);
    EXPECT_EQ(ends.write_end->poll_readiness(), Out | Error);
}

TEST_F(PipeTest, WrongDirectionIsEbadfAndBadFlagsAreEinval)
{
    auto ends = fs::create_pipe(0).release_value();
    u8 byte = 1;
    EXPECT_EQ(error_of(ends.read_end->write({ &byte, 1 })), EBADF);
    EXPECT_EQ(error_of(ends.write_end->read({ &byte, 1 })), EBADF);
    EXPECT_EQ(error_of(fs::create_pipe(fs::open_flag::Append)), EINVAL);
    EXPECT_EQ(ends.read_end->stat().value().type(), fs::FileType::Fifo);
    EXPECT_EQ(error_of(ends.read_end->seek(0, fs::SeekFrom::Start)), ESPIPE);
}

TEST_F(PipeTest, SmallWritesAreAtomicAndLargeNonBlockingWritesArePartial)
{
    auto ends = fs::create_pipe(NonBlocking).release_value();
    auto big = pattern(fs::PIPE_CAPACITY + 5000, 3);
    // More than the capacity: what fits goes in, the call reports it.
    EXPECT_EQ(ends.write_end->write({ big.data(), big.size() }).value(), fs::PIPE_CAPACITY);
    EXPECT_EQ(ends.write_end->poll_readiness(), 0u);
    std::vector<u8> out(100);
    EXPECT_EQ(ends.read_end->read({ out.data(), 100 }).value(), 100u);
    // 100 bytes of room: an atomic 200-byte write must not split.
    auto small = pattern(200, 9);
    EXPECT_EQ(error_of(ends.write_end->write({ small.data(), small.size() })), EAGAIN);
    EXPECT_EQ(ends.write_end->write({ small.data(), 100 }).value(), 100u);
    // A large write with no room at all is EAGAIN, not 0.
    EXPECT_EQ(error_of(ends.write_end->write({ big.data(), big.size() })), EAGAIN);
    EXPECT_EQ(ends.read_end->poll_readiness(), In);
}

TEST_F(PipeTest, RingWrapsAroundWithoutLosingBytes)
{
    auto ends = fs::create_pipe(NonBlocking).release_value();
    std::vector<u8> out(fs::PIPE_CAPACITY);
    u32 seed = 0;
    // Chunk sizes coprime with the capacity walk the head over every offset class.
    for (usize chunk : { 40000u, 30001u, 65535u, 4096u, 12345u, 65536u, 1u }) {
        auto data = pattern(chunk, ++seed);
        ASSERT_EQ(ends.write_end->write({ data.data(), data.size() }).value(), chunk);
        ASSERT_EQ(ends.read_end->read({ out.data(), out.size() }).value(), chunk);
        ASSERT_TRUE(std::equal(data.begin(), data.end(), out.begin())) << "chunk " << chunk;
    }
}

TEST_F(PipeTest, WithoutWaitHooksABlockingPipeSaysEagain)
{
    auto ends = fs::create_pipe(0).release_value();
    u8 byte;
    EXPECT_EQ(error_of(ends.read_end->read({ &byte, 1 })), EAGAIN);
}

TEST_F(PipeTest, BlockingWriterAndReaderMoveOneMebibyteIntact)
{
    fs::set_wait_hooks(&HOST_HOOKS);
    auto ends = fs::create_pipe(0).release_value();
    auto data = pattern(1 << 20, 11);
    std::thread writer([&] {
        usize offset = 0;
        usize step = 1;
        while (offset < data.size()) {
            usize count = std::min(step, data.size() - offset);
            auto written = ends.write_end->write({ data.data() + offset, count });
            ASSERT_FALSE(written.is_error());
            ASSERT_EQ(written.value(), count); // blocking writes complete
            offset += count;
            step = step * 3 + 1 > 100000 ? 1 : step * 3 + 1;
        }
        ends.write_end = ends.read_end; // close: the reader sees EOF after the data
    });
    std::vector<u8> received;
    std::vector<u8> buffer(7000);
    for (;;) {
        auto count = ends.read_end->read({ buffer.data(), buffer.size() });
        ASSERT_FALSE(count.is_error());
        if (count.value() == 0)
            break;
        received.insert(received.end(), buffer.data(), buffer.data() + count.value());
    }
    writer.join();
    EXPECT_EQ(received, data);
}

TEST_F(PipeTest, BlockedLargeWriteReturnsItsPartialCountWhenTheReaderGoes)
{
    fs::set_wait_hooks(&HOST_HOOKS);
    auto ends = fs::create_pipe(0).release_value();
    auto data = pattern(fs::PIPE_CAPACITY * 2, 5);
    int error = -1;
    usize written = 0;
    std::thread writer([&] {
        auto result = ends.write_end->write({ data.data(), data.size() });
        error = error_of(result);
        written = result.is_error() ? 0 : result.value();
    });
    auto& pipe = static_cast<fs::PipeEnd&>(*ends.write_end).pipe();
    while (pipe.used() < fs::PIPE_CAPACITY)
        std::this_thread::yield();
    std::vector<u8> out(1000);
    ASSERT_EQ(ends.read_end->read({ out.data(), out.size() }).value(), 1000u);
    // Let the writer refill the 1000 bytes, then close the read end.
    while (pipe.used() < fs::PIPE_CAPACITY)
        std::this_thread::yield();
    ends.read_end = ends.write_end;
    writer.join();
    EXPECT_EQ(error, 0);
    EXPECT_EQ(written, fs::PIPE_CAPACITY + 1000);
    u8 byte = 0;
    EXPECT_EQ(error_of(ends.write_end->write({ &byte, 1 })), EPIPE);
}

TEST_F(PipeTest, BlockedReaderWakesWithEofWhenTheLastWriterCloses)
{
    fs::set_wait_hooks(&HOST_HOOKS);
    auto ends = fs::create_pipe(0).release_value();
    auto second_writer = ends.write_end; // a dup shares the description
    int error = -1;
    usize count = 1;
    std::thread reader([&] {
        u8 byte;
        auto result = ends.read_end->read({ &byte, 1 });
        error = error_of(result);
        count = result.is_error() ? 1 : result.value();
    });
    ends.write_end = ends.read_end;
    second_writer = ends.read_end;
    reader.join();
    EXPECT_EQ(error, 0);
    EXPECT_EQ(count, 0u);
}

} // namespace
