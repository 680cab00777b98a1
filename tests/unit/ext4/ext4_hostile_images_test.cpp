// e2fsprogs' own test images (damaged on purpose, or with journals to
// replay): mounting, walking and reading each must never crash (the host
// tests run under ASan and UBSan); refusing the mount or failing a file
// with EUCLEAN/EIO is fine. See ../shared/testdata/e2fsprogs-images/README.md.
#include "Ext4Fixture.h"
#include <dirent.h>
#include <filesystem>

namespace {

using namespace ext4_test;

std::string images_directory()
{
    // The images live beside the project: ../shared/testdata relative to the
    // project root (three levels above this file's folder), or one more level
    // up from a worktree under /work/wt.
    std::filesystem::path root = std::filesystem::path(__FILE__).parent_path() / "../../..";
    for (const char* relative : { "../shared/testdata/e2fsprogs-images", "../../shared/testdata/e2fsprogs-images" }) {
        std::filesystem::path candidate = root / relative;
        if (std::filesystem::is_directory(candidate))
            return candidate.string();
    }
    return "";
}

struct WalkLimits {
    usize entries { 0 };
    usize bytes { 0 };
};

// Walks a tree reading everything, within limits (hostile directories may
// loop; the walk only follows names other than "." and "..").
void walk(fs::Vnode& directory, int depth, WalkLimits& limits)
{
    if (depth > 32 || limits.entries > 20000)
        return;
    struct Collector final : fs::DirectoryVisitor {
        std::vector<std::string> names;
        bool visit(const fs::DirectoryEntry& entry) override
        {
            if (names.size() >= 2000)
                return false;
            names.emplace_back(entry.name.characters(), entry.name.length());
            return true;
        }
    } collector;
    u64 cookie = 0;
    for (int rounds = 0; rounds < 64; ++rounds) {
        auto next = directory.read_directory(cookie, collector);
        if (next.is_error() || next.value() == cookie || collector.names.size() >= 2000)
            break;
        cookie = next.value();
    }
    for (auto& name : collector.names) {
        if (name == "." || name == ".." || ++limits.entries > 20000)
            continue;
        auto child = directory.lookup({ name.data(), name.size() });
        if (child.is_error())
            continue;
        fs::Vnode& vnode = *child.value();
        (void)vnode.attributes();
        if (vnode.is_directory()) {
            walk(vnode, depth + 1, limits);
        } else if (vnode.is_regular()) {
            std::vector<u8> buffer(usize(64) * 1024);
            for (u64 offset = 0; offset < (1 << 20) && limits.bytes < (64u << 20); offset += buffer.size()) {
                auto count = vnode.read(offset, { buffer.data(), buffer.size() });
                if (count.is_error() || count.value() == 0)
                    break;
                limits.bytes += count.value();
            }
        } else if (vnode.is_symlink()) {
            char target[4096];
            (void)vnode.read_link({ reinterpret_cast<u8*>(target), sizeof(target) });
        }
    }
}

TEST(HostileImages, MountWalkAndReadEveryImage)
{
    std::string directory = images_directory();
    if (directory.empty())
        GTEST_SKIP() << "e2fsprogs test images not found (../shared/testdata/e2fsprogs-images)";
    std::vector<std::string> images;
    for (auto& entry : std::filesystem::directory_iterator(directory)) {
        std::string name = entry.path().filename().string();
        if (name.size() > 7 && name.substr(name.size() - 7) == ".img.gz")
            images.push_back(entry.path().string());
    }
    std::sort(images.begin(), images.end());
    EXPECT_GE(images.size(), 190u);
    std::string scratch = make_temp_dir();
    std::string image = scratch + "/image";
    usize mounted = 0;
    usize replayed = 0;
    for (auto& compressed : images) {
        SCOPED_TRACE(compressed);
        ASSERT_EQ(run_command("gzip -dc " + shell_quote(compressed) + " > " + shell_quote(image)), 0);
        for (bool read_only : { true, false }) {
            auto device = FileDevice::open(image);
            ASSERT_TRUE(device);
            ext4::MountOptions options;
            options.read_only = read_only;
            options.cache_bytes = usize(256) * 1024;
            auto file_system = ext4::Ext4FileSystem::mount(*device, options);
            if (file_system.is_error())
                continue;
            ++mounted;
            replayed += file_system.value()->journal_was_replayed();
            WalkLimits limits;
            auto root = file_system.value()->root();
            walk(*root, 0, limits);
            if (!read_only) {
                // A little writing on whatever the walk left standing.
                auto made = root->create("osprey-probe", 0644, 0, { 0, 0 });
                if (!made.is_error()) {
                    (void)made.value()->write(0, { reinterpret_cast<const u8*>("probe"), 5 }, fs::WriteMode::AtOffset);
                    (void)root->unlink("osprey-probe");
                }
                (void)file_system.value()->unmount();
            }
        }
    }
    remove_tree(scratch);
    // Most images are mountable (they are damaged, not unrecognizable).
    EXPECT_GT(mounted, images.size());
    EXPECT_GT(replayed, 0u);
}

} // namespace
