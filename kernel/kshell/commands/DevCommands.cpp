// kshell commands for pipes, devfs and the console terminal:
//   devtest    in-kernel checks, each failure printed as
//              "devtest: FAILED <what>", then "devtest: ok" when all pass:
//              a writer thread sends 1 MiB through a pipe in varying chunks
//              and the reader checks its FNV-1a checksum and the EOF after
//              the writer closes; EPIPE without readers, also for a writer
//              blocked on a full pipe; O_NONBLOCK; /dev/null, zero, full,
//              urandom through fs::vfs().open; the /dev listing with each
//              node's major:minor; /dev/tty reading bytes pushed as console
//              input, non-blocking and blocking.
//   benchpipe [rounds]
//              two kernel threads bounce one byte over two pipes:
//              "BENCH pipe_pingpong_kthreads <ns> ns" per round trip, and
//              "BENCH pipe_throughput_kthreads <MiB/s> MiB/s" for 16 MiB.
#include <fs/pipe/PipeEnd.h>
#include <fs/vfs/Vfs.h>
#include <kernel/console/Console.h>
#include <kernel/kshell/Command.h>
#include <kernel/lib/Allocator.h>
#include <kernel/sched/Thread.h>
#include <kernel/time/Clock.h>
#include <kernel/tty/Termios.h>
#include <kernel/tty/Tty.h>

namespace {

constexpr usize MEBIBYTE = usize(1024) * 1024;

u64 s_failures = 0;

void fail(StringView what)
{
    ++s_failures;
    console::print("devtest: FAILED {}\n", what);
}

void check(bool condition, StringView what)
{
    if (!condition)
        fail(what);
}

u8 pattern_byte(usize index)
{
    return static_cast<u8>((index * 131) ^ (index >> 9));
}

u64 fnv1a(u64 hash, ReadonlyBytes bytes)
{
    for (u8 byte : bytes)
        hash = (hash ^ byte) * 0x100000001b3ull;
    return hash;
}

constexpr u64 FNV_OFFSET = 0xcbf29ce484222325ull;

struct PipeJob {
    RefPtr<fs::OpenFile> end;
    usize total { 0 };
    u64 checksum { FNV_OFFSET };
    usize written { 0 };
    int error { 0 };
};

// Writes `total` pattern bytes in chunks of 1, 4, 13, ... up to 16 KiB, then closes.
void pipe_writer(void* argument)
{
    auto& job = *static_cast<PipeJob*>(argument);
    static constexpr usize MAX_CHUNK = usize(16) * 1024;
    u8 chunk[512];
    usize size = 1;
    while (job.written < job.total) {
        usize count = size < job.total - job.written ? size : job.total - job.written;
        for (usize done = 0; done < count;) {
            usize piece = count - done < sizeof(chunk) ? count - done : sizeof(chunk);
            for (usize i = 0; i < piece; ++i)
                chunk[i] = pattern_byte(job.written + done + i);
            auto result = job.end->write({ chunk, piece });
            if (result.is_error()) {
                job.error = result.error().code();
                job.end = nullptr;
                return;
            }
            job.checksum = fnv1a(job.checksum, { chunk, result.value() });
            done += result.value();
        }
        job.written += count;
        size = size * 3 + 1 > MAX_CHUNK ? 1 : size * 3 + 1;
    }
    job.end = nullptr; // the last write end: the reader sees EOF
}

void test_pipe_transfer()
{
    auto created = fs::create_pipe(0);
    if (created.is_error())
        return fail("pipe: create");
    PipeJob job;
    job.total = MEBIBYTE;
    RefPtr<fs::OpenFile> reader;
    {
        auto ends = created.release_value();
        job.end = ends.write_end;
        reader = ends.read_end;
    }
    u64 start = ktime::monotonic_ns();
    auto thread = sched::Thread::create("devtest-writer", pipe_writer, &job);
    if (thread.is_error())
        return fail("pipe: writer thread");
    u64 checksum = FNV_OFFSET;
    usize received = 0;
    u8 buffer[700];
    for (;;) {
        auto count = reader->read({ buffer, sizeof(buffer) });
        if (count.is_error()) {
            fail("pipe: read error");
            break;
        }
        if (count.value() == 0)
            break;
        bool in_order = true;
        for (usize i = 0; i < count.value(); ++i)
            in_order = in_order && buffer[i] == pattern_byte(received + i);
        if (!in_order) {
            fail("pipe: data out of order");
            break;
        }
        checksum = fnv1a(checksum, { buffer, count.value() });
        received += count.value();
    }
    u64 elapsed = ktime::monotonic_ns() - start;
    reader = nullptr; // a writer still blocked (after a failure) gets EPIPE
    (void)thread.value()->join();
    check(job.error == 0, "pipe: writer error");
    check(received == MEBIBYTE, "pipe: 1 MiB received");
    check(checksum == job.checksum, "pipe: checksum");
    console::print("devtest: pipe 1 MiB in {} us, checksum {:#x}\n", elapsed / 1000, checksum);
}

// One large blocking write of `total` bytes (not atomic: more than PIPE_BUF).
void large_writer(void* argument)
{
    auto& job = *static_cast<PipeJob*>(argument);
    auto* data = static_cast<u8*>(lib::allocate(job.total));
    if (!data) {
        job.error = ENOMEM;
        return;
    }
    __builtin_memset(data, 0x5a, job.total);
    auto result = job.end->write({ data, job.total });
    if (result.is_error())
        job.error = result.error().code();
    else
        job.written = result.value();
    lib::deallocate(data);
}

void test_pipe_broken()
{
    auto created = fs::create_pipe(0);
    if (created.is_error())
        return fail("pipe: create");
    // A writer blocked on a full pipe gets its partial count when the reader closes.
    PipeJob job;
    job.total = 2 * fs::PIPE_CAPACITY;
    RefPtr<fs::OpenFile> reader;
    {
        auto ends = created.release_value();
        job.end = ends.write_end;
        reader = ends.read_end;
    }
    auto& pipe = static_cast<fs::PipeEnd&>(*job.end).pipe();
    auto thread = sched::Thread::create("devtest-blocked", large_writer, &job);
    if (thread.is_error())
        return fail("pipe: writer thread");
    u64 deadline = ktime::monotonic_ns() + 5'000'000'000ull;
    while (pipe.used() < fs::PIPE_CAPACITY && ktime::monotonic_ns() < deadline)
        sched::sleep_ns(1'000'000);
    check(pipe.used() == fs::PIPE_CAPACITY, "pipe: writer fills the pipe");
    check(!(job.end->poll_readiness() & fs::poll_event::Out), "pipe: full pipe not POLLOUT");
    reader = nullptr; // the last read end
    (void)thread.value()->join();
    check(job.error == 0 && job.written == fs::PIPE_CAPACITY, "pipe: blocked large write returns its partial count");
    u8 byte = 0;
    auto result = job.end->write({ &byte, 1 });
    check(result.is_error() && result.error().code() == EPIPE, "pipe: EPIPE without readers");
    check(job.end->poll_readiness() & fs::poll_event::Error, "pipe: POLLERR without readers");
}

void test_pipe_non_blocking()
{
    auto ends = fs::create_pipe(fs::open_flag::NonBlocking);
    if (ends.is_error())
        return fail("pipe: create");
    u8 byte = 7;
    auto empty = ends.value().read_end->read({ &byte, 1 });
    check(empty.is_error() && empty.error().code() == EAGAIN, "pipe: O_NONBLOCK read EAGAIN");
    auto written = ends.value().write_end->write({ &byte, 1 });
    check(!written.is_error() && written.value() == 1, "pipe: write");
    check(ends.value().read_end->poll_readiness() == fs::poll_event::In, "pipe: POLLIN");
}

fs::Context kernel_context()
{
    return { fs::vfs().root(), fs::Credentials::root() };
}

RefPtr<fs::OpenFile> open_device(const char* path, u32 flags)
{
    auto context = kernel_context();
    auto file = fs::vfs().open(context, context.root, path, flags, 0);
    if (file.is_error()) {
        console::print("devtest: FAILED open {}: {}\n", path, file.error());
        ++s_failures;
        return nullptr;
    }
    return file.release_value();
}

bool all_equal(ReadonlyBytes bytes, u8 value)
{
    for (u8 byte : bytes) {
        if (byte != value)
            return false;
    }
    return true;
}

void test_memory_devices()
{
    u8 buffer[256];
    __builtin_memset(buffer, 0xaa, sizeof(buffer));
    if (auto null = open_device("/dev/null", fs::open_flag::ReadWrite)) {
        auto read = null->read({ buffer, sizeof(buffer) });
        check(!read.is_error() && read.value() == 0, "/dev/null read gives EOF");
        auto written = null->write({ buffer, sizeof(buffer) });
        check(!written.is_error() && written.value() == sizeof(buffer), "/dev/null swallows writes");
    }
    if (auto zero = open_device("/dev/zero", fs::open_flag::ReadOnly)) {
        auto read = zero->read({ buffer, sizeof(buffer) });
        check(!read.is_error() && read.value() == sizeof(buffer) && all_equal({ buffer, sizeof(buffer) }, 0),
            "/dev/zero reads zeros");
    }
    if (auto full = open_device("/dev/full", fs::open_flag::WriteOnly)) {
        auto written = full->write({ buffer, 1 });
        check(written.is_error() && written.error().code() == ENOSPC, "/dev/full write ENOSPC");
    }
    if (auto urandom = open_device("/dev/urandom", fs::open_flag::ReadOnly)) {
        u8 other[256];
        auto a = urandom->read({ buffer, sizeof(buffer) });
        auto b = urandom->read({ other, sizeof(other) });
        check(!a.is_error() && !b.is_error() && a.value() == sizeof(buffer), "/dev/urandom reads");
        check(__builtin_memcmp(buffer, other, sizeof(buffer)) != 0, "/dev/urandom repeats");
        usize counts[256] = {};
        for (u8 byte : buffer)
            ++counts[byte];
        usize most = 0;
        for (usize count : counts)
            most = count > most ? count : most;
        check(most < 16, "/dev/urandom byte spread"); // 256 bytes: a value 16 times is ~1e-9 likely
    }
}

struct Node {
    const char* path;
    u32 major;
    u32 minor;
};

void test_dev_nodes()
{
    static constexpr Node NODES[] = {
        { "/dev/null", 1, 3 },
        { "/dev/zero", 1, 5 },
        { "/dev/full", 1, 7 },
        { "/dev/random", 1, 8 },
        { "/dev/urandom", 1, 9 },
        { "/dev/console", 5, 1 },
        { "/dev/tty", 5, 0 },
    };
    auto context = kernel_context();
    for (const Node& node : NODES) {
        auto attributes = fs::vfs().stat(context, context.root, node.path, fs::FollowFinal::Yes);
        if (attributes.is_error()) {
            console::print("devtest: FAILED stat {}: {}\n", node.path, attributes.error());
            ++s_failures;
            continue;
        }
        u64 rdev = attributes.value().rdev;
        u32 major = static_cast<u32>(rdev >> 8) & 0xfff;
        u32 minor = static_cast<u32>(rdev & 0xff);
        console::print("devtest: {} c {}:{}\n", node.path, major, minor);
        check(attributes.value().type() == fs::FileType::CharacterDevice && major == node.major && minor == node.minor,
            StringView(node.path));
    }
}

void push_console_input(StringView text)
{
    for (char c : text)
        console::push_input(c);
}

struct TtyJob {
    RefPtr<fs::OpenFile> tty;
    u8 buffer[32];
    usize count { 0 };
    int error { 0 };
};

void tty_reader(void* argument)
{
    auto& job = *static_cast<TtyJob*>(argument);
    auto result = job.tty->read({ job.buffer, sizeof(job.buffer) });
    if (result.is_error())
        job.error = result.error().code();
    else
        job.count = result.value();
}

int s_signalled_group = 0;
int s_signal = 0;

void record_signal(int group, int signal)
{
    s_signalled_group = group;
    s_signal = signal;
}

void test_tty()
{
    auto tty = open_device("/dev/tty", fs::open_flag::ReadWrite | fs::open_flag::NonBlocking);
    if (!tty)
        return;
    check(tty->kind_name() == "tty", "/dev/tty is a terminal");
    u8 buffer[32];
    auto empty = tty->read({ buffer, sizeof(buffer) });
    check(empty.is_error() && empty.error().code() == EAGAIN, "tty: O_NONBLOCK read EAGAIN");
    // With the terminal open, console input goes to it (echoed), not to kshell.
    push_console_input("ab\x7f"
                       "c\r");
    auto line = tty->read({ buffer, sizeof(buffer) });
    check(!line.is_error() && StringView(reinterpret_cast<const char*>(buffer), line.value()) == "ac\n",
        "tty: canonical line with erase");
    // A blocking read on another thread wakes when the input arrives.
    TtyJob job;
    job.tty = open_device("/dev/console", fs::open_flag::ReadOnly);
    if (!job.tty)
        return;
    auto thread = sched::Thread::create("devtest-tty", tty_reader, &job);
    if (thread.is_error())
        return fail("tty: reader thread");
    sched::sleep_ns(20'000'000);
    push_console_input("xyz\x04");
    (void)thread.value()->join();
    check(job.error == 0 && StringView(reinterpret_cast<const char*>(job.buffer), job.count) == "xyz",
        "tty: blocking read woken by input");
    check(tty->poll_readiness() == fs::poll_event::Out, "tty: poll");
    // Ctrl-C goes to the foreground process group through the signal sink.
    tty::SignalSink previous = tty::signal_sink();
    tty::set_signal_sink(record_signal);
    tty::Tty::console().set_foreground_group(77);
    push_console_input("\x03");
    tty::Tty::console().set_foreground_group(0);
    tty::set_signal_sink(previous);
    check(s_signalled_group == 77 && s_signal == tty::SIGNAL_INTERRUPT, "tty: Ctrl-C sends SIGINT to the group");
    auto written = tty->write({ reinterpret_cast<const u8*>("devtest: tty write\n"), 19 });
    check(!written.is_error() && written.value() == 19, "tty: write");
}

void devtest(kshell::Arguments)
{
    if (!fs::vfs().root().is_valid()) {
        console::print("devtest: FAILED no root filesystem\n");
        return;
    }
    s_failures = 0;
    test_pipe_transfer();
    test_pipe_broken();
    test_pipe_non_blocking();
    test_memory_devices();
    test_dev_nodes();
    test_tty();
    console::print("\n");
    if (s_failures == 0)
        console::print("devtest: ok\n");
    else
        console::print("devtest: {} failures\n", s_failures);
}

KSHELL_COMMAND("devtest", "pipes, devfs and the console terminal self-test", devtest);

struct PingPong {
    RefPtr<fs::OpenFile> ping_read;
    RefPtr<fs::OpenFile> pong_write;
    u64 rounds { 0 };
    bool ok { true };
};

void pong(void* argument)
{
    auto& state = *static_cast<PingPong*>(argument);
    u8 byte;
    for (u64 i = 0; i < state.rounds; ++i) {
        auto got = state.ping_read->read({ &byte, 1 });
        if (got.is_error() || got.value() != 1) {
            state.ok = false;
            break;
        }
        auto sent = state.pong_write->write({ &byte, 1 });
        if (sent.is_error() || sent.value() != 1) {
            state.ok = false;
            break;
        }
    }
    state.pong_write = nullptr; // the pinger sees EOF if it still waits
}

struct Stream {
    RefPtr<fs::OpenFile> write_end;
    usize total { 0 };
    bool ok { true };
};

void stream_writer(void* argument)
{
    auto& stream = *static_cast<Stream*>(argument);
    static constexpr usize CHUNK = usize(16) * 1024;
    auto* data = static_cast<u8*>(lib::allocate(CHUNK));
    if (!data) {
        stream.ok = false;
        stream.write_end = nullptr;
        return;
    }
    __builtin_memset(data, 0x11, CHUNK);
    for (usize done = 0; done < stream.total; done += CHUNK) {
        auto written = stream.write_end->write({ data, CHUNK });
        if (written.is_error() || written.value() != CHUNK) {
            stream.ok = false;
            break;
        }
    }
    lib::deallocate(data);
    stream.write_end = nullptr;
}

// 16 MiB from a writer thread to this one; MiB/s, or 0 on failure.
u64 pipe_throughput()
{
    auto created = fs::create_pipe(0);
    if (created.is_error())
        return 0;
    Stream stream;
    stream.total = 16 * MEBIBYTE;
    RefPtr<fs::OpenFile> reader;
    {
        auto ends = created.release_value();
        stream.write_end = ends.write_end;
        reader = ends.read_end;
    }
    auto* buffer = static_cast<u8*>(lib::allocate(fs::PIPE_CAPACITY));
    if (!buffer)
        return 0;
    u64 start = ktime::monotonic_ns();
    auto thread = sched::Thread::create("benchpipe-writer", stream_writer, &stream);
    usize received = 0;
    while (!thread.is_error()) {
        auto count = reader->read({ buffer, fs::PIPE_CAPACITY });
        if (count.is_error() || count.value() == 0)
            break;
        received += count.value();
    }
    u64 elapsed = ktime::monotonic_ns() - start;
    reader = nullptr;
    lib::deallocate(buffer);
    if (thread.is_error() || thread.value()->join().is_error() || !stream.ok || received != stream.total
        || elapsed == 0)
        return 0;
    return stream.total * 1'000'000'000ull / MEBIBYTE / elapsed;
}

void benchpipe(kshell::Arguments args)
{
    u64 rounds = 20000;
    if (args.size() > 1 && (!args[1].to_u64(rounds) || rounds == 0)) {
        console::print("usage: benchpipe [rounds]\n");
        return;
    }
    auto ping = fs::create_pipe(0);
    auto back = fs::create_pipe(0);
    if (ping.is_error() || back.is_error()) {
        console::print("benchpipe: cannot create pipes\n");
        return;
    }
    PingPong state;
    state.rounds = rounds;
    RefPtr<fs::OpenFile> ping_write;
    RefPtr<fs::OpenFile> pong_read;
    {
        auto ping_ends = ping.release_value();
        auto back_ends = back.release_value();
        state.ping_read = ping_ends.read_end;
        ping_write = ping_ends.write_end;
        state.pong_write = back_ends.write_end;
        pong_read = back_ends.read_end;
    }
    auto thread = sched::Thread::create("benchpipe-pong", pong, &state);
    if (thread.is_error()) {
        console::print("benchpipe: cannot create a thread\n");
        return;
    }
    u64 start = ktime::monotonic_ns();
    u8 byte = 0;
    bool ok = true;
    for (u64 i = 0; i < rounds && ok; ++i) {
        auto sent = ping_write->write({ &byte, 1 });
        if (sent.is_error()) {
            ok = false;
            break;
        }
        auto got = pong_read->read({ &byte, 1 });
        ok = !got.is_error() && got.value() == 1;
    }
    u64 elapsed = ktime::monotonic_ns() - start;
    ping_write = nullptr; // a pong still waiting sees EOF
    (void)thread.value()->join();
    if (!ok || !state.ok) {
        console::print("benchpipe: ping-pong failed\n");
        return;
    }
    console::print("BENCH pipe_pingpong_kthreads {} ns\n", elapsed / rounds);
    u64 throughput = pipe_throughput();
    if (throughput == 0)
        console::print("benchpipe: throughput run failed\n");
    else
        console::print("BENCH pipe_throughput_kthreads {} MiB/s\n", throughput);
}

KSHELL_COMMAND("benchpipe", "pipe ping-pong and throughput between kernel threads", benchpipe);

} // namespace
