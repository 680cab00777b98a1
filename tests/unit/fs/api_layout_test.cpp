// The UAPI headers against the host's Linux ones: fs::fill_stat writes
// kernel/api/stat.h's struct stat, read back here through glibc's, whose
// x86_64 layout is the kernel's (a mismatch in any offset shows as a wrong
// field); the constants in fs/vfs/Types.h equal <fcntl.h>'s and
// <sys/stat.h>'s. (Types.cpp already static_asserts Types.h against
// kernel/api/, so this pins kernel/api/ to the host's numbers.)
#include <dirent.h>
#include <fcntl.h>
#include <fs/vfs/Stat.h>
#include <fs/vfs/Types.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

namespace {

TEST(ApiLayout, FillStatMatchesTheHostStructStat)
{
    fs::Attributes attributes;
    attributes.device = 0x1122;
    attributes.inode = 0x3344556677;
    attributes.mode = fs::mode::Regular | 0640;
    attributes.link_count = 3;
    attributes.uid = 1000;
    attributes.gid = 100;
    attributes.rdev = 0x805;
    attributes.size = 123456789;
    attributes.blocks = 241;
    attributes.block_size = 4096;
    attributes.access_time = { 1, 2 };
    attributes.modify_time = { 3, 4 };
    attributes.change_time = { 5, 6 };
    struct stat host;
    memset(&host, 0xa5, sizeof(host));
    fs::fill_stat(attributes, host);
    EXPECT_EQ(host.st_dev, 0x1122u);
    EXPECT_EQ(host.st_ino, 0x3344556677u);
    EXPECT_EQ(host.st_mode, unsigned(S_IFREG | 0640));
    EXPECT_EQ(host.st_nlink, 3u);
    EXPECT_EQ(host.st_uid, 1000u);
    EXPECT_EQ(host.st_gid, 100u);
    EXPECT_EQ(host.st_rdev, 0x805u);
    EXPECT_EQ(host.st_size, 123456789);
    EXPECT_EQ(host.st_blocks, 241);
    EXPECT_EQ(host.st_blksize, 4096);
    EXPECT_EQ(host.st_atim.tv_sec, 1);
    EXPECT_EQ(host.st_atim.tv_nsec, 2);
    EXPECT_EQ(host.st_mtim.tv_sec, 3);
    EXPECT_EQ(host.st_mtim.tv_nsec, 4);
    EXPECT_EQ(host.st_ctim.tv_sec, 5);
    EXPECT_EQ(host.st_ctim.tv_nsec, 6);
    EXPECT_EQ(sizeof(host), 144u);
}

TEST(ApiLayout, ConstantsMatchTheHost)
{
    EXPECT_EQ(fs::mode::TypeMask, unsigned(S_IFMT));
    EXPECT_EQ(fs::mode::Symlink, unsigned(S_IFLNK));
    EXPECT_EQ(fs::mode::Directory, unsigned(S_IFDIR));
    EXPECT_EQ(fs::mode::Sticky, unsigned(S_ISVTX));
    EXPECT_EQ(fs::open_flag::Create, unsigned(O_CREAT));
    EXPECT_EQ(fs::open_flag::Exclusive, unsigned(O_EXCL));
    EXPECT_EQ(fs::open_flag::Truncate, unsigned(O_TRUNC));
    EXPECT_EQ(fs::open_flag::Append, unsigned(O_APPEND));
    EXPECT_EQ(fs::open_flag::NonBlocking, unsigned(O_NONBLOCK));
    EXPECT_EQ(fs::open_flag::Directory, unsigned(O_DIRECTORY));
    EXPECT_EQ(fs::open_flag::NoFollow, unsigned(O_NOFOLLOW));
    EXPECT_EQ(fs::open_flag::CloseOnExec, unsigned(O_CLOEXEC));
    EXPECT_EQ(fs::open_flag::Path, unsigned(O_PATH));
    EXPECT_EQ(fs::dirent_type_of(fs::FileType::Regular), DT_REG);
    EXPECT_EQ(fs::dirent_type_of(fs::FileType::Directory), DT_DIR);
    EXPECT_EQ(fs::dirent_type_of(fs::FileType::Symlink), DT_LNK);
    EXPECT_EQ(fs::dirent_type_of(fs::FileType::CharacterDevice), DT_CHR);
    EXPECT_EQ(fs::dirent_type_of(fs::FileType::Fifo), DT_FIFO);
}

} // namespace
