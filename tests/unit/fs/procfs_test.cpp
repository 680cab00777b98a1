// procfs on the host: the text generators byte for byte against Linux's
// formats, and the tree (readdir of live pids, resumed listings, /proc/self,
// per-process files, fd links to ramfs paths, refusals) through a Vfs with a
// fake Provider.
#include "FsTestSupport.h"

#include <algorithm>
#include <fs/procfs/FdPath.h>
#include <fs/procfs/ProcFileSystem.h>
#include <fs/procfs/Text.h>
#include <map>
#include <set>
#include <vector>

using namespace fs_test;
using fs::procfs::ProcessSnapshot;

namespace {

std::string text_of(void (*generate)(fs::procfs::TextBuffer&))
{
    fs::procfs::TextBuffer buffer;
    generate(buffer);
    return std::string(buffer.view().characters(), buffer.view().length());
}

TEST(ProcfsText, MeminfoHasLinuxLayoutInKilobytes)
{
    std::string text = text_of([](fs::procfs::TextBuffer& sink) {
        fs::procfs::generate_meminfo(sink, { 512ull << 20, 400ull << 20, 300ull << 20 });
    });
    EXPECT_EQ(text.substr(0, usize(3) * 28),
        "MemTotal:         524288 kB\n"
        "MemFree:          409600 kB\n"
        "MemAvailable:     307200 kB\n");
    EXPECT_NE(text.find("\nBuffers:               0 kB\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\nCached:                0 kB\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\nSwapTotal:             0 kB\n"), std::string::npos) << text;
}

TEST(ProcfsText, MeminfoEndsWithKernelHeapFigures)
{
    std::string text = text_of([](fs::procfs::TextBuffer& sink) {
        fs::procfs::generate_meminfo(sink, { 512ull << 20, 400ull << 20, 300ull << 20, 3ull << 20, 1234 });
    });
    EXPECT_NE(text.find("\nKernelHeap:         3072 kB\nKernelHeapObjects: 1234\n"), std::string::npos) << text;
}

TEST(ProcfsText, UptimeHasTwoDecimals)
{
    std::string text = text_of(
        [](fs::procfs::TextBuffer& sink) { fs::procfs::generate_uptime(sink, 12'345'678'901ull, 5'060'000'000ull); });
    EXPECT_EQ(text, "12.34 5.06\n");
    text = text_of([](fs::procfs::TextBuffer& sink) { fs::procfs::generate_uptime(sink, 9'999'999, 0); });
    EXPECT_EQ(text, "0.00 0.00\n");
}

TEST(ProcfsText, CpuinfoKeys)
{
    std::string text = text_of([](fs::procfs::TextBuffer& sink) {
        fs::procfs::CpuDescription cpu {};
        __builtin_memcpy(cpu.vendor, "GenuineIntel", 13);
        __builtin_memcpy(cpu.model_name, "QEMU Virtual CPU", 17);
        cpu.family = 6;
        cpu.model = 85;
        cpu.stepping = 7;
        __builtin_memcpy(cpu.flags, "fpu de pse", 11);
        fs::procfs::generate_cpuinfo(sink, 0, cpu);
    });
    EXPECT_EQ(text,
        "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\n"
        "model name\t: QEMU Virtual CPU\nstepping\t: 7\nflags\t\t: fpu de pse\n\n");
}

TEST(ProcfsText, StatusKeysAndStateWords)
{
    std::string text = text_of([](fs::procfs::TextBuffer& sink) {
        ProcessSnapshot process {};
        process.pid = 7;
        process.parent_pid = 1;
        process.state = 'Z';
        process.uid = 1000;
        process.gid = 100;
        process.threads = 1;
        __builtin_memcpy(process.name, "sh", 2);
        process.name_length = 2;
        fs::procfs::generate_status(sink, process);
    });
    EXPECT_EQ(text,
        "Name:\tsh\nState:\tZ (zombie)\nTgid:\t7\nPid:\t7\nPPid:\t1\nUid:\t1000\t1000\t1000\t1000\n"
        "Gid:\t100\t100\t100\t100\nThreads:\t1\nvoluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
    EXPECT_EQ(fs::procfs::state_description('S'), StringView("S (sleeping)"));
    EXPECT_EQ(fs::procfs::state_description('T'), StringView("T (stopped)"));
}

TEST(ProcfsText, BufferGrowsPastItsFirstCapacity)
{
    fs::procfs::TextBuffer buffer;
    std::string expected;
    for (int i = 0; i < 1000; ++i) {
        format(buffer, "line {}\n", i);
        expected += "line " + std::to_string(i) + "\n";
    }
    EXPECT_FALSE(buffer.status().is_error());
    EXPECT_EQ(std::string(buffer.view().characters(), buffer.view().length()), expected);
}

// A Provider with a fixed process table; fds point at Locations in the test's Vfs.
class FakeProvider final : public fs::procfs::Provider {
public:
    std::map<i32, ProcessSnapshot> processes;
    std::map<i32, std::map<i32, fs::Location>> fds;
    i32 caller { 0 };
    fs::Vfs* vfs { nullptr };

    void add(i32 pid, i32 parent, const char* name, const std::vector<std::string>& argv)
    {
        ProcessSnapshot snapshot {};
        snapshot.pid = pid;
        snapshot.parent_pid = parent;
        snapshot.state = 'S';
        snapshot.threads = 1;
        snapshot.name_length = strlen(name);
        memcpy(snapshot.name, name, snapshot.name_length);
        for (auto& argument : argv) {
            memcpy(snapshot.arguments + snapshot.arguments_length, argument.c_str(), argument.size() + 1);
            snapshot.arguments_length += argument.size() + 1;
        }
        processes[pid] = snapshot;
    }

    usize list_pids(Span<i32> out) override
    {
        usize count = 0;
        for (auto& [pid, snapshot] : processes) {
            if (count < out.size())
                out[count++] = pid;
        }
        return count;
    }
    bool snapshot_process(i32 pid, ProcessSnapshot& out) override
    {
        auto it = processes.find(pid);
        if (it == processes.end())
            return false;
        out = it->second;
        return true;
    }
    i32 current_pid() override { return caller; }
    fs::procfs::MemoryFigures memory() override { return { 1 << 30, 1 << 29, 1 << 29 }; }
    u64 uptime_ns() override { return 3'000'000'000; }
    u64 idle_ns() override { return 1'500'000'000; }
    void describe_cpu(fs::procfs::CpuDescription& out) override { out = {}; }
    void write_kernel_log(FormatSink& sink) override { sink.write("[    0.000000] hello\n"); }
    usize snapshot_mounts(Span<RefPtr<fs::Mount>> out) override { return vfs->mounts().snapshot(out); }
    bool describe_fd(i32 pid, i32 fd, FormatSink& sink) override
    {
        auto process = fds.find(pid);
        if (process == fds.end() || !process->second.count(fd))
            return false;
        if (!fs::procfs::write_path(sink, process->second[fd]))
            sink.write("anon_inode:[0]");
        return true;
    }
    // One thread per process, its tid the pid.
    usize list_threads(i32 pid, Span<i32> out) override
    {
        if (!processes.count(pid) || out.size() == 0)
            return 0;
        out[0] = pid;
        return 1;
    }
    bool snapshot_thread(i32 pid, i32 tid, ProcessSnapshot& out) override
    {
        if (tid != pid || !snapshot_process(pid, out))
            return false;
        out.thread_id = tid;
        return true;
    }
    usize list_fds(i32 pid, Span<i32> out) override
    {
        usize count = 0;
        for (auto& [fd, location] : fds[pid]) {
            if (count < out.size())
                out[count++] = fd;
        }
        return count;
    }
};

class ProcfsTree : public VfsTest {
protected:
    void SetUp() override
    {
        VfsTest::SetUp();
        m_provider.vfs = &vfs();
        make_directory("/proc");
        auto procfs = fs::procfs::ProcFileSystem::try_create(m_provider);
        ASSERT_FALSE(procfs.is_error());
        ASSERT_EQ(error_of(vfs().mount(m_root_context, root(), "/proc", procfs.release_value())), 0);
        m_provider.add(1, 0, "init", { "/sbin/init" });
        m_provider.add(12, 1, "sh", { "/bin/sh", "-i" });
        m_provider.add(3, 1, "cat", { "cat", "/etc/motd" });
    }

    void TearDown() override
    {
        m_provider.fds.clear();
        VfsTest::TearDown();
    }

    // Lists a directory through the vnode, `per_call` entries per read_directory.
    std::vector<std::string> list(const char* path, usize per_call = 1000)
    {
        struct Collector final : fs::DirectoryVisitor {
            std::vector<std::string>* names;
            usize room;
            bool visit(const fs::DirectoryEntry& entry) override
            {
                if (room == 0)
                    return false;
                --room;
                names->emplace_back(entry.name.characters(), entry.name.length());
                return true;
            }
        };
        std::vector<std::string> names;
        auto location = vfs().resolve(m_root_context, root(), path, fs::FollowFinal::Yes);
        EXPECT_FALSE(location.is_error()) << path;
        if (location.is_error())
            return names;
        u64 cookie = 0;
        for (int calls = 0; calls < 100; ++calls) {
            Collector collector;
            collector.names = &names;
            collector.room = per_call;
            usize before = names.size();
            auto next = location.value().vnode->read_directory(cookie, collector);
            EXPECT_FALSE(next.is_error());
            if (next.is_error() || names.size() == before)
                break;
            cookie = next.value();
        }
        return names;
    }

    std::string link_of(const char* path)
    {
        char buffer[256];
        auto length = vfs().read_link(m_root_context, root(), path, { reinterpret_cast<u8*>(buffer), sizeof(buffer) });
        if (length.is_error())
            return std::string("<") + lib::errno_name(length.error().code()) + ">";
        return std::string(buffer, length.value());
    }

    FakeProvider m_provider;
};

TEST_F(ProcfsTree, RootListsFilesThenLivePidsInOrder)
{
    std::vector<std::string> expected { ".", "..", "meminfo", "uptime", "cpuinfo", "mounts", "dmesg", "partitions",
        "pci", "self", "sockstat", "1", "3", "12" };
    EXPECT_EQ(list("/proc"), expected);
    // The same listing one entry per call: cookies resume where they left off.
    EXPECT_EQ(list("/proc", 1), expected);
    // A process that exits between calls disappears; the others are still seen once.
    std::vector<std::string> names = list("/proc", 9);
    m_provider.processes.erase(3);
    EXPECT_EQ(list("/proc").back(), "12");
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).count("3"), 1u);
}

TEST_F(ProcfsTree, TextFilesReadThroughTheVfs)
{
    EXPECT_EQ(read_file("/proc/uptime"), "3.00 1.50\n");
    EXPECT_EQ(read_file("/proc/meminfo").substr(0, 28), "MemTotal:        1048576 kB\n");
    EXPECT_EQ(read_file("/proc/dmesg"), "[    0.000000] hello\n");
    EXPECT_EQ(read_file("/proc/mounts"), "rootfs / ramfs rw,relatime 0 0\nproc /proc proc rw,relatime 0 0\n");
    EXPECT_EQ(read_file("/proc/12/cmdline"), std::string("/bin/sh\0-i\0", 11));
    std::string status = read_file("/proc/12/status");
    EXPECT_NE(status.find("Name:\tsh\n"), std::string::npos) << status;
    EXPECT_NE(status.find("PPid:\t1\n"), std::string::npos) << status;
    EXPECT_NE(status.find("State:\tS (sleeping)\n"), std::string::npos) << status;
    EXPECT_EQ(list("/proc/12"), (std::vector<std::string> { ".", "..", "status", "stat", "cmdline", "fd", "task" }));
}

TEST_F(ProcfsTree, TaskDirectoryListsThreadsWithTheirOwnStatusAndStat)
{
    EXPECT_EQ(list("/proc/12/task"), (std::vector<std::string> { ".", "..", "12" }));
    EXPECT_EQ(list("/proc/12/task/12"), (std::vector<std::string> { ".", "..", "status", "stat" }));
    std::string status = read_file("/proc/12/task/12/status");
    EXPECT_NE(status.find("Tgid:\t12\nPid:\t12\n"), std::string::npos) << status;
    EXPECT_EQ(read_file("/proc/12/task/12/stat").substr(0, 10), "12 (sh) S ");
    EXPECT_EQ(resolve_error("/proc/12/task/13"), ENOENT);
    EXPECT_EQ(resolve_error("/proc/12/task/12/cmdline"), ENOENT);
    EXPECT_EQ(resolve_error("/proc/99/task"), ENOENT);
}

TEST_F(ProcfsTree, StatisticsInStatusAndStat)
{
    ProcessSnapshot& shell = m_provider.processes[12];
    shell.process_group = 12;
    shell.session = 5;
    shell.cpu_time_ns = 1'234'567'890; // 123 ticks of USER_HZ
    shell.voluntary_switches = 7;
    shell.involuntary_switches = 3;
    std::string status = read_file("/proc/12/status");
    EXPECT_NE(status.find("voluntary_ctxt_switches:\t7\nnonvoluntary_ctxt_switches:\t3\n"), std::string::npos)
        << status;
    std::string stat = read_file("/proc/12/stat");
    EXPECT_EQ(stat.substr(0, 47), "12 (sh) S 1 12 5 0 0 0 0 0 0 0 123 0 0 0 20 0 1") << stat;
    // Linux's 52 fields, one line.
    EXPECT_EQ(std::count(stat.begin(), stat.end(), ' '), 51) << stat;
    EXPECT_EQ(stat.back(), '\n');
}

TEST_F(ProcfsTree, MissingProcessesAndNamesAreEnoent)
{
    EXPECT_EQ(resolve_error("/proc/99"), ENOENT);
    EXPECT_EQ(resolve_error("/proc/012"), ENOENT);
    EXPECT_EQ(resolve_error("/proc/nothing"), ENOENT);
    EXPECT_EQ(resolve_error("/proc/12/nothing"), ENOENT);
    auto file = vfs().open(m_root_context, root(), "/proc/3/status", fs::open_flag::ReadOnly, 0);
    ASSERT_FALSE(file.is_error());
    m_provider.processes.erase(3);
    u8 buffer[64];
    EXPECT_EQ(error_of(file.value()->read({ buffer, sizeof(buffer) })), ENOENT);
}

TEST_F(ProcfsTree, SelfFollowsTheCaller)
{
    m_provider.caller = 12;
    EXPECT_EQ(link_of("/proc/self"), "12");
    EXPECT_EQ(read_file("/proc/self/cmdline"), std::string("/bin/sh\0-i\0", 11));
    m_provider.caller = 0;
    EXPECT_EQ(link_of("/proc/self"), "<ENOENT>");
}

TEST_F(ProcfsTree, FdLinksNameTheFilesPath)
{
    make_directory("/etc");
    make_directory("/etc/deep");
    write_file("/etc/deep/file", "x");
    auto file = vfs().resolve(m_root_context, root(), "/etc/deep/file", fs::FollowFinal::No);
    ASSERT_FALSE(file.is_error());
    m_provider.fds[12][0] = file.value();
    m_provider.fds[12][4] = vfs().resolve(m_root_context, root(), "/proc/uptime", fs::FollowFinal::No).value();
    m_provider.fds[12][5] = root();
    m_provider.fds[12][6] = vfs().resolve(m_root_context, root(), "/proc/12/fd", fs::FollowFinal::No).value();
    EXPECT_EQ(list("/proc/12/fd"), (std::vector<std::string> { ".", "..", "0", "4", "5", "6" }));
    EXPECT_EQ(link_of("/proc/12/fd/6"), "/proc/12/fd");
    EXPECT_EQ(link_of("/proc/12/fd/0"), "/etc/deep/file");
    EXPECT_EQ(link_of("/proc/12/fd/4"), "/proc/uptime");
    EXPECT_EQ(link_of("/proc/12/fd/5"), "/");
    EXPECT_EQ(resolve_error("/proc/12/fd/1", fs::FollowFinal::No), ENOENT);
    EXPECT_EQ(read_file("/proc/12/fd/0"), "x");
}

TEST_F(ProcfsTree, ChangesAreRefused)
{
    EXPECT_EQ(error_of(vfs().make_directory(m_root_context, root(), "/proc/new", 0755)), EPERM);
    EXPECT_EQ(error_of(vfs().unlink(m_root_context, root(), "/proc/uptime")), EPERM);
    EXPECT_EQ(error_of(vfs().open(m_user_context, root(), "/proc/uptime", fs::open_flag::WriteOnly, 0)), EACCES);
    auto file = vfs().open(m_root_context, root(), "/proc/uptime", fs::open_flag::WriteOnly, 0);
    ASSERT_FALSE(file.is_error());
    EXPECT_EQ(error_of(file.value()->write(bytes_of("1"))), EPERM);
}

} // namespace
