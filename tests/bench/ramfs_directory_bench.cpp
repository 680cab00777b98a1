// Host benchmark of one large ramfs directory through the VFS, the way
// /test/ext4bench measures one on Osprey: create FILES empty files
// (O_CREAT|O_EXCL), list them as `ls -l` does (read the directory in 4 KiB
// getdents batches, then lstat each name) and delete them. Prints BENCH
// lines: ramfs_host_create and ramfs_host_delete in ops/s, ramfs_host_ls_l
// in ms.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fs/ramfs/RamFileSystem.h>
#include <fs/vfs/Vfs.h>
#include <string>
#include <vector>

namespace {

constexpr int FILES = 10000;

double seconds_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string file_name(int i)
{
    char name[32];
    std::snprintf(name, sizeof name, "/many/file%06d", i);
    return name;
}

StringView view(const std::string& text)
{
    return { text.data(), text.size() };
}

} // namespace

int main()
{
    fs::Vfs vfs;
    if (vfs.mount_root(fs::ramfs::RamFileSystem::try_create().release_value()).is_error())
        return 1;
    fs::Context context { vfs.root(), fs::Credentials::root() };
    if (vfs.make_directory(context, vfs.root(), "/many", 0755).is_error())
        return 1;

    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < FILES; ++i) {
        std::string name = file_name(i);
        auto file = vfs.open(context, vfs.root(), view(name),
            fs::open_flag::WriteOnly | fs::open_flag::Create | fs::open_flag::Exclusive, 0644);
        if (file.is_error()) {
            std::printf("ramfs_directory_bench: cannot create %s\n", name.c_str());
            return 1;
        }
    }
    double create_seconds = seconds_since(start);

    start = std::chrono::steady_clock::now();
    auto directory = vfs.open(context, vfs.root(), "/many", fs::open_flag::ReadOnly | fs::open_flag::Directory, 0);
    if (directory.is_error())
        return 1;
    std::vector<u8> buffer(4096);
    int listed = 0;
    for (;;) {
        auto count = directory.value()->read_directory({ buffer.data(), buffer.size() });
        if (count.is_error() || count.value() == 0)
            break;
        for (usize offset = 0; offset < count.value();) {
            u16 record_length;
            std::memcpy(&record_length, buffer.data() + offset + 16, 2);
            std::string path = "/many/" + std::string(reinterpret_cast<const char*>(buffer.data() + offset + 19));
            if (!vfs.stat(context, vfs.root(), view(path), fs::FollowFinal::No).is_error())
                ++listed;
            offset += record_length;
        }
    }
    double list_seconds = seconds_since(start);
    if (listed != FILES + 2) {
        std::printf("ramfs_directory_bench: listed %d entries, expected %d\n", listed, FILES + 2);
        return 1;
    }

    start = std::chrono::steady_clock::now();
    for (int i = 0; i < FILES; ++i) {
        if (vfs.unlink(context, vfs.root(), view(file_name(i))).is_error())
            return 1;
    }
    double delete_seconds = seconds_since(start);

    std::printf("BENCH ramfs_host_create %.0f ops/s\n", FILES / create_seconds);
    std::printf("BENCH ramfs_host_ls_l %.1f ms\n", list_seconds * 1000.0);
    std::printf("BENCH ramfs_host_delete %.0f ops/s\n", FILES / delete_seconds);
    return 0;
}
