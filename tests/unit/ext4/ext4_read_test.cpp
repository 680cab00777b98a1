// Reading images that mkfs.ext4 -d filled from a host directory, for each
// supported layout: every name, type, size, mode, link count, symlink target
// and byte must match the host tree. Directories with many entries are
// indexed first (e2fsck -D), so hashed directories are read too.
#include "Ext4Fixture.h"
#include <filesystem>
#include <random>
#include <set>

namespace {

using namespace ext4_test;
namespace stdfs = std::filesystem;

struct Layout {
    const char* name;
    const char* options;
};

constexpr Layout LAYOUTS[] = {
    { "default", "" },
    { "block1k", "-b 1024" },
    { "ext2", "-t ext2" },
    { "ext3", "-t ext3" },
    { "nocsum", "-O ^metadata_csum" },
    { "ext3_1k", "-t ext3 -b 1024" },
};

std::string pseudo_random_bytes(usize size, u32 seed)
{
    std::mt19937 generator(seed);
    std::string bytes(size, '\0');
    for (auto& byte : bytes)
        byte = char(generator());
    return bytes;
}

// The host tree mkfs -d copies.
void populate(const std::string& root)
{
    stdfs::create_directories(root + "/dir/sub");
    stdfs::create_directories(root + "/many");
    write_host_file(root + "/small.txt", "hello, ext4\n");
    write_host_file(root + "/empty", "");
    write_host_file(root + "/big.bin", pseudo_random_bytes(300 * 1024 + 17, 1));
    write_host_file(root + "/dir/a", "in dir\n");
    write_host_file(root + "/dir/sub/b", pseudo_random_bytes(5000, 2));
    for (int i = 0; i < 400; ++i)
        write_host_file(root + "/many/entry_with_a_longish_name_" + std::to_string(i), std::to_string(i));
    stdfs::create_hard_link(root + "/small.txt", root + "/hardlink");
    stdfs::create_symlink("small.txt", root + "/fastlink");
    stdfs::create_symlink(std::string(100, 'x') + "/target", root + "/slowlink");
    // Sparse: a hole, then data past 5 GiB.
    {
        std::string sparse = root + "/sparse";
        write_host_file(sparse, "start");
        int fd = ::open(sparse.c_str(), O_WRONLY);
        const char tail[] = "end of a file larger than 4 GiB";
        EXPECT_EQ(pwrite(fd, tail, sizeof(tail), off_t(5) << 30), ssize_t(sizeof(tail)));
        ::close(fd);
    }
    chmod((root + "/dir/a").c_str(), 0640);
}

class ReadTest
    : public ImageTest
    , public ::testing::WithParamInterface<Layout> {
protected:
    // `extra_links`: the image's root also holds lost+found.
    void compare(fs::Vnode& vnode, const std::string& host_path, u32 extra_links = 0)
    {
        struct stat st;
        ASSERT_EQ(lstat(host_path.c_str(), &st), 0) << host_path;
        fs::Attributes attributes = vnode.attributes();
        EXPECT_EQ(attributes.mode, u32(st.st_mode)) << host_path;
        EXPECT_EQ(attributes.link_count, u32(st.st_nlink) + extra_links) << host_path;
        if (!S_ISDIR(st.st_mode))
            EXPECT_EQ(attributes.size, u64(st.st_size)) << host_path;
        if (S_ISREG(st.st_mode)) {
            if (st.st_size > (1 << 24)) {
                // Only the ends of the huge sparse file.
                u8 buffer[64] = {};
                auto count = vnode.read(u64(5) << 30, { buffer, sizeof(buffer) });
                ASSERT_FALSE(count.is_error());
                EXPECT_STREQ(reinterpret_cast<char*>(buffer), "end of a file larger than 4 GiB");
                u8 hole[4096];
                memset(hole, 0xFF, sizeof(hole));
                ASSERT_FALSE(vnode.read(u64(1) << 30, { hole, sizeof(hole) }).is_error());
                for (u8 byte : hole)
                    ASSERT_EQ(byte, 0);
                EXPECT_LT(attributes.blocks, 64u); // the hole is not allocated
            } else {
                EXPECT_EQ(read_all(vnode), read_host_file(host_path)) << host_path;
            }
        } else if (S_ISLNK(st.st_mode)) {
            char buffer[4096];
            auto length = vnode.read_link({ reinterpret_cast<u8*>(buffer), sizeof(buffer) });
            ASSERT_FALSE(length.is_error());
            EXPECT_EQ(std::string(buffer, length.value()), stdfs::read_symlink(host_path).string());
        } else if (S_ISDIR(st.st_mode)) {
            std::set<std::string> host_names;
            for (auto& entry : stdfs::directory_iterator(host_path))
                host_names.insert(entry.path().filename().string());
            std::set<std::string> names;
            for (auto& name : list_names(vnode)) {
                if (name != "." && name != ".." && name != "lost+found")
                    EXPECT_TRUE(names.insert(name).second) << "listed twice: " << name;
            }
            EXPECT_EQ(names, host_names) << host_path;
            for (auto& name : host_names) {
                auto child = vnode.lookup({ name.data(), name.size() });
                ASSERT_FALSE(child.is_error()) << host_path << "/" << name;
                compare(*child.value(), join_path(host_path, name));
            }
        }
    }
};

TEST_P(ReadTest, MatchesTheHostTree)
{
    REQUIRE_E2FSPROGS();
    std::string source = path("source");
    populate(source);
    std::string image = path("image");
    ASSERT_EQ(make_image(image, 64, std::string(GetParam().options) + " -d " + shell_quote(source)), "");
    std::string report;
    // Index the large directory; e2fsck -D exits 1 when it optimized.
    run_command(find_tool("e2fsck") + " -fyD " + shell_quote(image), &report);
    ASSERT_TRUE(fsck_clean(image, &report)) << report;
    ASSERT_FALSE(mount(image).is_error());
    compare(*root(), source, 1);
    // Lookups of missing names and through files fail the Linux way.
    EXPECT_EQ(root()->lookup("missing").error().code(), ENOENT);
    auto file = root()->lookup("small.txt").release_value();
    EXPECT_EQ(file->lookup("x").error().code(), ENOTDIR);
    EXPECT_EQ(root()->read(0, {}).error().code(), EISDIR);
    ASSERT_FALSE(unmount().is_error());
    ASSERT_TRUE(fsck_clean(image, &report)) << report;
}

TEST_P(ReadTest, ReadOnlyMountWritesNothing)
{
    REQUIRE_E2FSPROGS();
    std::string image = path("image");
    ASSERT_EQ(make_image(image, 32, GetParam().options), "");
    std::string before = read_host_file(image);
    auto device = FileDevice::open(image, true);
    ext4::MountOptions options;
    auto mounted = ext4::Ext4FileSystem::mount(*device, options);
    ASSERT_FALSE(mounted.is_error());
    {
        auto file_system = mounted.release_value();
        EXPECT_TRUE(file_system->is_read_only());
        EXPECT_EQ(file_system->root()->create("x", 0644, 0, { 0, 0 }).error().code(), EROFS);
    }
    EXPECT_EQ(device->writes, 0u);
    EXPECT_TRUE(read_host_file(image) == before);
}

INSTANTIATE_TEST_SUITE_P(Layouts, ReadTest, ::testing::ValuesIn(LAYOUTS),
    [](const ::testing::TestParamInfo<Layout>& info) { return std::string(info.param.name); });

} // namespace
