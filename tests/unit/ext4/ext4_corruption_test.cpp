// Damaged images: bytes flipped in the superblock, group descriptors,
// bitmaps, inode table, extent tree and directory blocks. Mounting fails
// cleanly, or only the damaged file fails (EUCLEAN) while the rest reads.
// A fuzzing round flips random metadata bytes and walks the result.
#include "Ext4Fixture.h"
#include <filesystem>
#include <random>
#include <regex>

namespace {

using namespace ext4_test;

class CorruptionTest : public ImageTest {
protected:
    void SetUp() override
    {
        ImageTest::SetUp();
        if (find_tool("mkfs.ext4").empty() || find_tool("debugfs").empty())
            GTEST_SKIP() << "e2fsprogs not installed";
        std::string source = path("source");
        std::filesystem::create_directories(source + "/dir");
        write_host_file(source + "/victim", "victim data");
        write_host_file(source + "/bystander", "bystander data");
        write_host_file(source + "/dir/inside", "inside");
        // A fragmented file: data in every other block, so its extent tree
        // needs a block of its own.
        std::string fragmented = source + "/fragmented";
        write_host_file(fragmented, "");
        int fd = ::open(fragmented.c_str(), O_WRONLY);
        for (int i = 0; i < 40; ++i)
            EXPECT_EQ(pwrite(fd, "x", 1, off_t(i) * 8192), 1);
        ::close(fd);
        m_image = path("image");
        ASSERT_EQ(make_image(m_image, 32, "-b 4096 -d " + shell_quote(source)), "");
        m_pristine = read_host_file(m_image);
    }

    u64 number_from(const std::string& text, const std::string& pattern)
    {
        std::smatch match;
        EXPECT_TRUE(std::regex_search(text, match, std::regex(pattern))) << pattern << "\n" << text;
        return match.empty() ? 0 : std::stoull(match[1].str());
    }

    void flip(u64 offset, u8 mask = 0xFF)
    {
        int fd = ::open(m_image.c_str(), O_RDWR);
        u8 byte;
        ASSERT_EQ(pread(fd, &byte, 1, off_t(offset)), 1);
        byte ^= mask;
        ASSERT_EQ(pwrite(fd, &byte, 1, off_t(offset)), 1);
        ::close(fd);
    }

    int mount_error()
    {
        auto result = mount(m_image);
        return result.is_error() ? result.error().code() : 0;
    }

    int read_error(const char* path_name)
    {
        auto vnode = resolve(*root(), path_name);
        if (vnode.is_error())
            return vnode.error().code();
        u8 buffer[16];
        auto count = vnode.value()->read(0, { buffer, sizeof(buffer) });
        return count.is_error() ? count.error().code() : 0;
    }

    std::string m_image;
    std::string m_pristine;
};

TEST_F(CorruptionTest, SuperblockFailsTheMount)
{
    flip(1024 + 0x00); // s_inodes_count: the checksum no longer matches
    EXPECT_EQ(mount_error(), EUCLEAN);
    write_host_file(m_image, m_pristine);
    flip(1024 + 0x38); // the magic
    EXPECT_EQ(mount_error(), EINVAL);
}

TEST_F(CorruptionTest, GroupDescriptorFailsTheMount)
{
    flip(4096 + 0x0C, 0x01); // group 0's free block count
    EXPECT_EQ(mount_error(), EUCLEAN);
}

TEST_F(CorruptionTest, BlockBitmapFailsAllocationOnly)
{
    u64 bitmap = number_from(debugfs(m_image, "stats"), "Group  0: block bitmap at (\\d+)");
    flip(bitmap * 4096 + 4000, 0x10);
    ASSERT_EQ(mount_error(), 0);
    EXPECT_EQ(read_error("bystander"), 0);
    auto file = root()->create("new", 0644, 0, { 0, 0 }).release_value();
    EXPECT_EQ(file->write(0, { reinterpret_cast<const u8*>("x"), 1 }, fs::WriteMode::AtOffset).error().code(), EUCLEAN);
}

TEST_F(CorruptionTest, InodeFailsOnlyThatFile)
{
    std::string stats = debugfs(m_image, "stats");
    u64 table = number_from(stats, "Group  0: block bitmap at \\d+, inode bitmap at \\d+, inode table at (\\d+)");
    u64 inode = number_from(debugfs(m_image, "stat /victim"), "Inode: (\\d+)");
    u64 inode_size = number_from(stats, "Inode size:\\s+(\\d+)");
    flip(table * 4096 + (inode - 1) * inode_size + 0x04, 0x01); // i_size
    ASSERT_EQ(mount_error(), 0);
    EXPECT_EQ(read_error("victim"), EUCLEAN);
    EXPECT_EQ(read_error("bystander"), 0);
    EXPECT_EQ(read_error("dir/inside"), 0);
}

TEST_F(CorruptionTest, ExtentBlockFailsOnlyThatFile)
{
    u64 tree_block = number_from(debugfs(m_image, "stat /fragmented"), "\\(ETB0\\):(\\d+)");
    flip(tree_block * 4096 + 0x02); // eh_entries
    ASSERT_EQ(mount_error(), 0);
    EXPECT_EQ(read_error("fragmented"), EUCLEAN);
    EXPECT_EQ(read_error("victim"), 0);
    write_host_file(m_image, m_pristine);
    flip(tree_block * 4096 + 0x00); // the magic
    ASSERT_EQ(mount_error(), 0);
    EXPECT_EQ(read_error("fragmented"), EUCLEAN);
}

TEST_F(CorruptionTest, DirectoryBlockFailsOnlyThatDirectory)
{
    u64 block = std::stoull(debugfs(m_image, "bmap /dir 0"));
    flip(block * 4096 + 12 + 4, 0x01); // ".."'s record length
    ASSERT_EQ(mount_error(), 0);
    EXPECT_EQ(read_error("dir/inside"), EUCLEAN);
    EXPECT_EQ(read_error("victim"), 0);
    // Nothing can be added to it either.
    auto dir = root()->lookup("dir").release_value();
    EXPECT_EQ(dir->create("x", 0644, 0, { 0, 0 }).error().code(), EUCLEAN);
}

TEST_F(CorruptionTest, RandomMetadataDamageNeverCrashes)
{
    std::mt19937 generator(1234);
    // The first 600 blocks hold every piece of metadata of this small image.
    for (int round = 0; round < 150; ++round) {
        write_host_file(m_image, m_pristine);
        int flips = 1 + int(generator() % 16);
        for (int i = 0; i < flips; ++i)
            flip(generator() % (u64(600) * 4096), u8(1u << (generator() % 8)));
        if (mount(m_image).is_error())
            continue;
        {
            // Every vnode goes before its filesystem.
            auto top = root();
            for (auto& name : list_names(*top)) {
                auto child = top->lookup({ name.data(), name.size() });
                if (child.is_error())
                    continue;
                (void)read_all(*child.value());
                (void)list_names(*child.value());
            }
            auto made = top->create("probe", 0644, 0, { 0, 0 });
            if (!made.is_error())
                (void)made.value()->write(0, { reinterpret_cast<const u8*>("probe"), 5 }, fs::WriteMode::AtOffset);
            (void)top->unlink("victim");
            (void)top->rename("bystander", *top, "renamed");
        }
        (void)unmount();
    }
}

} // namespace
