#pragma once

// Shared pieces of the ext4 and block cache tests: block devices backed by
// memory (with request logs and injected errors) or by an image file, the
// e2fsprogs tools (mkfs.ext4, e2fsck, debugfs) found on the host, and small
// helpers around the VFS-facing vnode calls.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fs/block/BlockDevice.h>
#include <fs/ext4/Ext4FileSystem.h>
#include <fs/vfs/Vnode.h>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace ext4_test {

// A disk in host memory that records every request.
class MemoryDevice final : public block::BlockDevice {
public:
    struct Request {
        bool write;
        u64 sector;
        u64 count;
    };

    explicit MemoryDevice(u64 sectors)
        : m_bytes(sectors * 512, 0)
    {
    }
    StringView name() const override { return "mem0"; }
    u32 sector_size() const override { return 512; }
    u64 sector_count() const override { return m_bytes.size() / 512; }
    ErrorOr<void> read_sectors(u64 first, Bytes buffer) override
    {
        if (first * 512 + buffer.size() > m_bytes.size())
            return Error::from_errno(EINVAL);
        log.push_back({ false, first, buffer.size() / 512 });
        if (fail_reads)
            return Error::from_errno(EIO);
        memcpy(buffer.data(), m_bytes.data() + first * 512, buffer.size());
        return {};
    }
    ErrorOr<void> write_sectors(u64 first, ReadonlyBytes data) override
    {
        if (first * 512 + data.size() > m_bytes.size())
            return Error::from_errno(EINVAL);
        log.push_back({ true, first, data.size() / 512 });
        if (fail_writes)
            return Error::from_errno(EIO);
        memcpy(m_bytes.data() + first * 512, data.data(), data.size());
        return {};
    }
    ErrorOr<void> flush() override
    {
        ++flushes;
        return {};
    }

    std::vector<u8>& bytes() { return m_bytes; }
    std::vector<Request> log;
    bool fail_reads { false };
    bool fail_writes { false };
    int flushes { 0 };

private:
    std::vector<u8> m_bytes;
};

// An image file as a disk.
class FileDevice final : public block::BlockDevice {
public:
    static RefPtr<FileDevice> open(const std::string& path, bool read_only = false)
    {
        int fd = ::open(path.c_str(), read_only ? O_RDONLY : O_RDWR);
        if (fd < 0)
            return nullptr;
        struct stat st;
        fstat(fd, &st);
        return adopt_ref(*new FileDevice(fd, u64(st.st_size), read_only));
    }
    ~FileDevice() override { ::close(m_fd); }
    StringView name() const override { return "img0"; }
    u32 sector_size() const override { return 512; }
    u64 sector_count() const override { return m_size / 512; }
    bool is_read_only() const override { return m_read_only; }
    ErrorOr<void> read_sectors(u64 first, Bytes buffer) override
    {
        if ((first + buffer.size() / 512) > sector_count())
            return Error::from_errno(EINVAL);
        ++reads;
        if (pread(m_fd, buffer.data(), buffer.size(), off_t(first * 512)) != ssize_t(buffer.size()))
            return Error::from_errno(EIO);
        return {};
    }
    ErrorOr<void> write_sectors(u64 first, ReadonlyBytes data) override
    {
        if (m_read_only)
            return Error::from_errno(EROFS);
        if ((first + data.size() / 512) > sector_count())
            return Error::from_errno(EINVAL);
        ++writes;
        if (pwrite(m_fd, data.data(), data.size(), off_t(first * 512)) != ssize_t(data.size()))
            return Error::from_errno(EIO);
        return {};
    }
    ErrorOr<void> flush() override { return {}; }

    u64 reads { 0 };
    u64 writes { 0 };

private:
    FileDevice(int fd, u64 size, bool read_only)
        : m_fd(fd)
        , m_size(size)
        , m_read_only(read_only)
    {
    }
    int m_fd;
    u64 m_size;
    bool m_read_only;
};

// Helpers (definitions below).

// "a/b".
inline std::string join_path(const std::string& directory, const std::string& name)
{
    std::string joined = directory;
    joined += '/';
    joined += name;
    return joined;
}

inline std::string find_tool(const std::string& name)
{
    std::string path = getenv("PATH") ? getenv("PATH") : "";
    path += ":/sbin:/usr/sbin:/usr/local/sbin";
    std::stringstream parts(path);
    std::string directory;
    while (std::getline(parts, directory, ':')) {
        if (directory.empty())
            continue;
        std::string candidate = join_path(directory, name);
        if (access(candidate.c_str(), X_OK) == 0)
            return candidate;
    }
    return "";
}

// Runs a shell command (stderr joined to stdout); returns its exit status.
inline int run_command(const std::string& command, std::string* output = nullptr)
{
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe)
        return -1;
    std::string text;
    char buffer[4096];
    usize count;
    while ((count = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
        text.append(buffer, count);
    int status = pclose(pipe);
    if (output)
        *output = text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string shell_quote(const std::string& text)
{
    std::string quoted = "'";
    for (char c : text) {
        if (c == '\'')
            quoted += "'\\''";
        else
            quoted += c;
    }
    return quoted + "'";
}

inline std::string make_temp_dir()
{
    char pattern[] = "/tmp/osprey-ext4-XXXXXX";
    char* made = mkdtemp(pattern);
    return made ? std::string(made) : std::string();
}

inline void remove_tree(const std::string& path)
{
    if (!path.empty() && path.rfind("/tmp/osprey-ext4-", 0) == 0)
        run_command("rm -rf " + shell_quote(path));
}

inline void write_host_file(const std::string& path, const std::string& contents)
{
    std::ofstream out(path, std::ios::binary);
    out << contents;
}

inline std::string read_host_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// mkfs.ext4 `options` on a new image of `size_mb` MiB: "" on success, else the output.
inline std::string make_image(const std::string& path, u64 size_mb, const std::string& options)
{
    std::string output;
    unlink(path.c_str());
    std::string command = "truncate -s " + std::to_string(size_mb) + "M " + shell_quote(path) + " && "
        + find_tool("mkfs.ext4") + " -q -F " + options + " " + shell_quote(path);
    if (run_command(command, &output) != 0)
        return output.empty() ? "mkfs failed" : output;
    return "";
}

// e2fsck -fn: true if it reports the image clean.
inline bool fsck_clean(const std::string& path, std::string* report)
{
    std::string output;
    int status = run_command(find_tool("e2fsck") + " -fn " + shell_quote(path), &output);
    if (report)
        *report = output;
    return status == 0;
}

inline std::string debugfs(const std::string& path, const std::string& request)
{
    std::string output;
    run_command(find_tool("debugfs") + " -R " + shell_quote(request) + " " + shell_quote(path), &output);
    // Drop debugfs's version banner.
    if (output.rfind("debugfs ", 0) == 0) {
        usize newline = output.find('\n');
        output = newline == std::string::npos ? "" : output.substr(newline + 1);
    }
    return output;
}

inline std::string read_all(fs::Vnode& file)
{
    std::string text;
    std::vector<u8> buffer(65536);
    u64 offset = 0;
    for (;;) {
        auto count = file.read(offset, { buffer.data(), buffer.size() });
        if (count.is_error() || count.value() == 0)
            break;
        text.append(reinterpret_cast<const char*>(buffer.data()), count.value());
        offset += count.value();
    }
    return text;
}

inline std::vector<std::string> list_names(fs::Vnode& directory)
{
    struct Collector final : fs::DirectoryVisitor {
        std::vector<std::string> names;
        bool visit(const fs::DirectoryEntry& entry) override
        {
            names.emplace_back(entry.name.characters(), entry.name.length());
            return true;
        }
    } collector;
    u64 cookie = 0;
    for (;;) {
        auto next = directory.read_directory(cookie, collector);
        if (next.is_error() || next.value() == cookie)
            break;
        cookie = next.value();
    }
    return collector.names;
}

inline ErrorOr<NonnullRefPtr<fs::Vnode>> resolve(fs::Vnode& root, const std::string& path)
{
    NonnullRefPtr<fs::Vnode> current(root);
    std::stringstream parts(path);
    std::string name;
    while (std::getline(parts, name, '/')) {
        if (name.empty())
            continue;
        current = TRY(current->lookup({ name.data(), name.size() }));
    }
    return current;
}

// Skips the test when e2fsprogs is missing.
#define REQUIRE_E2FSPROGS()                                                                     \
    do {                                                                                        \
        if (ext4_test::find_tool("mkfs.ext4").empty() || ext4_test::find_tool("e2fsck").empty() \
            || ext4_test::find_tool("debugfs").empty())                                         \
            GTEST_SKIP() << "e2fsprogs (mkfs.ext4, e2fsck, debugfs) not installed";             \
    } while (0)

} // namespace ext4_test
