// Host benchmark of the VFS path walk over ramfs: resolving a path eight
// directories deep, each directory holding 200 other entries (ramfs looks
// names up by a linear scan), through the name cache (fs/vfs/NameCache.h),
// against the same eight lookups made on the vnodes directly (what every walk
// cost before the cache). Prints BENCH lines in ns per resolution.
#include <chrono>
#include <cstdio>
#include <fs/ramfs/RamFileSystem.h>
#include <fs/vfs/Vfs.h>
#include <string>

namespace {

constexpr int DEPTH = 8;
constexpr int SIBLINGS = 200;
constexpr int ROUNDS = 200000;

template<typename Work>
double nanoseconds_per_round(Work work)
{
    auto start = std::chrono::steady_clock::now();
    for (int round = 0; round < ROUNDS; ++round)
        work();
    auto elapsed = std::chrono::steady_clock::now() - start;
    return std::chrono::duration<double, std::nano>(elapsed).count() / ROUNDS;
}

} // namespace

int main()
{
    fs::Vfs vfs;
    if (vfs.mount_root(fs::ramfs::RamFileSystem::try_create().release_value()).is_error())
        return 1;
    fs::Context context { vfs.root(), fs::Credentials::root() };
    std::string path;
    for (int level = 0; level < DEPTH; ++level) {
        for (int sibling = 0; sibling < SIBLINGS; ++sibling) {
            std::string name = path + "/other" + std::to_string(sibling);
            (void)vfs.make_directory(context, vfs.root(), StringView(name.data(), name.size()), 0755);
        }
        path += "/level" + std::to_string(level);
        (void)vfs.make_directory(context, vfs.root(), StringView(path.data(), path.size()), 0755);
    }
    StringView deep(path.data(), path.size());
    fs::Vnode* expected = vfs.resolve(context, vfs.root(), deep, fs::FollowFinal::Yes).value().vnode.ptr();

    u64 found = 0;
    double cached = nanoseconds_per_round([&] {
        auto location = vfs.resolve(context, vfs.root(), deep, fs::FollowFinal::Yes);
        found += !location.is_error() && location.value().vnode.ptr() == expected;
    });
    double direct = nanoseconds_per_round([&] {
        NonnullRefPtr<fs::Vnode> current = *vfs.root().vnode;
        for (int level = 0; level < DEPTH; ++level) {
            std::string name = "level" + std::to_string(level);
            current = current->lookup(StringView(name.data(), name.size())).release_value();
        }
        found += current.ptr() == expected;
    });
    if (found != u64(2) * ROUNDS) {
        std::printf("path_walk_bench: wrong results\n");
        return 1;
    }
    std::printf("BENCH path_walk_8_levels_name_cache %.0f ns\n", cached);
    std::printf("BENCH path_walk_8_levels_vnode_lookups %.0f ns\n", direct);
    std::printf("name cache: %llu hits, %llu misses\n", static_cast<unsigned long long>(vfs.name_cache().hits()),
        static_cast<unsigned long long>(vfs.name_cache().misses()));
    return 0;
}
