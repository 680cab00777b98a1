// Host benchmark of the ext4 code over an image file (mkfs.ext4 default
// options, 1 GiB, made at run time): a 256 MiB file written and read back
// sequentially (the read after a remount, so it comes from the device
// through the block cache and its read-ahead), creating and deleting 10,000
// small files, and listing a 10,000-entry directory with a stat of each
// entry (what `ls -l` does). Prints BENCH lines; never fails on speed. The
// device is the host page cache, so these are the filesystem's own costs;
// the figures on virtio-blk and AHCI come from the QEMU benchmarks.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fs/ext4/Ext4FileSystem.h>
#include <fs/ext4/Ext4Vnode.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

class FileDevice final : public block::BlockDevice {
public:
    explicit FileDevice(int fd, u64 size)
        : m_fd(fd)
        , m_size(size)
    {
    }
    ~FileDevice() override { close(m_fd); }
    StringView name() const override { return "bench0"; }
    u32 sector_size() const override { return 512; }
    u64 sector_count() const override { return m_size / 512; }
    ErrorOr<void> read_sectors(u64 first, Bytes buffer) override
    {
        if (pread(m_fd, buffer.data(), buffer.size(), off_t(first * 512)) != ssize_t(buffer.size()))
            return Error::from_errno(EIO);
        return {};
    }
    ErrorOr<void> write_sectors(u64 first, ReadonlyBytes data) override
    {
        if (pwrite(m_fd, data.data(), data.size(), off_t(first * 512)) != ssize_t(data.size()))
            return Error::from_errno(EIO);
        return {};
    }
    ErrorOr<void> flush() override { return {}; }

private:
    int m_fd;
    u64 m_size;
};

RefPtr<ext4::Ext4FileSystem> mount(const std::string& image)
{
    int fd = open(image.c_str(), O_RDWR);
    struct stat st;
    fstat(fd, &st);
    auto device = adopt_ref(*new FileDevice(fd, u64(st.st_size)));
    ext4::MountOptions options;
    options.cache_bytes = 16 << 20;
    auto mounted = ext4::Ext4FileSystem::mount(device, options);
    if (mounted.is_error()) {
        std::fprintf(stderr, "mount failed: %d\n", mounted.error().code());
        std::exit(1);
    }
    return mounted.release_value();
}

} // namespace

int main()
{
    setvbuf(stdout, nullptr, _IOLBF, 0);
    char directory[] = "/tmp/osprey-ext4-bench-XXXXXX";
    if (!mkdtemp(directory))
        return 1;
    std::string image = std::string(directory) + "/image";
    std::string command = "truncate -s 1G " + image + " && PATH=$PATH:/sbin:/usr/sbin mkfs.ext4 -q -F " + image;
    if (std::system(command.c_str()) != 0) {
        std::fprintf(stderr, "mkfs.ext4 failed (is e2fsprogs installed?)\n");
        return 1;
    }
    constexpr u64 FILE_SIZE = u64(256) << 20;
    std::vector<u8> chunk(1 << 20, 0x5A);
    {
        auto fs = mount(image);
        auto root = fs->root();
        auto file = root->create("big", 0644, 0, { 0, 0 }).release_value();
        auto start = Clock::now();
        for (u64 offset = 0; offset < FILE_SIZE; offset += chunk.size())
            (void)file->write(offset, { chunk.data(), chunk.size() }, fs::WriteMode::AtOffset);
        (void)fs->sync();
        std::printf("BENCH ext4_host_seq_write %.1f MB/s\n", double(FILE_SIZE) / 1e6 / seconds_since(start));
        (void)fs->unmount();
    }
    {
        auto fs = mount(image);
        auto file = fs->root()->lookup("big").release_value();
        auto start = Clock::now();
        for (u64 offset = 0; offset < FILE_SIZE; offset += chunk.size())
            (void)file->read(offset, { chunk.data(), chunk.size() });
        std::printf("BENCH ext4_host_seq_read %.1f MB/s\n", double(FILE_SIZE) / 1e6 / seconds_since(start));
        (void)fs->unmount();
    }
    {
        auto fs = mount(image);
        auto root = fs->root();
        auto dir = root->make_directory("many", 0755, { 0, 0 }).release_value();
        constexpr int COUNT = 10000;
        auto start = Clock::now();
        for (int i = 0; i < COUNT; ++i) {
            std::string name = "file_" + std::to_string(i);
            auto made = dir->create({ name.data(), name.size() }, 0644, 0, { 0, 0 });
            if (!made.is_error())
                (void)made.value()->write(0, { chunk.data(), 100 }, fs::WriteMode::AtOffset);
        }
        std::printf("BENCH ext4_host_create_small_files %.0f ops/s\n", COUNT / seconds_since(start));

        start = Clock::now();
        // Names first (the visitor runs under the filesystem lock), then a
        // lookup and stat of each, as ls -l does with getdents and lstat.
        struct Lister final : fs::DirectoryVisitor {
            std::vector<std::string> names;
            bool visit(const fs::DirectoryEntry& entry) override
            {
                names.emplace_back(entry.name.characters(), entry.name.length());
                return true;
            }
        } lister;
        u64 cookie = 0;
        for (;;) {
            auto next = dir->read_directory(cookie, lister);
            if (next.is_error() || next.value() == cookie)
                break;
            cookie = next.value();
        }
        for (auto& name : lister.names) {
            auto child = dir->lookup({ name.data(), name.size() });
            if (!child.is_error())
                (void)child.value()->attributes();
        }
        std::printf("BENCH ext4_host_ls_l_10000 %.1f ms\n", seconds_since(start) * 1e3);

        start = Clock::now();
        for (int i = 0; i < COUNT; ++i) {
            std::string name = "file_" + std::to_string(i);
            (void)dir->unlink({ name.data(), name.size() });
        }
        std::printf("BENCH ext4_host_delete_small_files %.0f ops/s\n", COUNT / seconds_since(start));
        (void)fs->unmount();
    }
    std::system((std::string("rm -rf ") + directory).c_str());
    return 0;
}
