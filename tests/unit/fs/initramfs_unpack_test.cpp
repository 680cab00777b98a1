// Unpacking cpio archives into ramfs: a GNU cpio archive of a small tree
// comes out identical (types, modes, data, symlinks, hard links, mtimes);
// bad entries are skipped and counted; a malformed archive keeps what came
// before it; nothing leaks.
#include "CpioArchives.h"
#include "FsTestSupport.h"

#include <fcntl.h>
#include <fs/ramfs/Initramfs.h>
#include <sys/stat.h>

using namespace cpio_test;
using namespace fs_test;

namespace {

class InitramfsTest : public VfsTest {
protected:
    fs::ramfs::UnpackStats unpack(const std::string& archive)
    {
        auto* file_system = static_cast<fs::ramfs::RamFileSystem*>(&root().vnode->file_system());
        return fs::ramfs::unpack_cpio({ reinterpret_cast<const u8*>(archive.data()), archive.size() }, *file_system);
    }

    fs::Attributes attributes_of(const char* path)
    {
        auto attributes = vfs().stat(m_root_context, root(), path, fs::FollowFinal::No);
        EXPECT_FALSE(attributes.is_error()) << path;
        return attributes.is_error() ? fs::Attributes {} : attributes.value();
    }
};

TEST_F(InitramfsTest, GnuCpioTreeRoundTrips)
{
    if (!host_has_cpio())
        GTEST_SKIP() << "the host has no cpio (tools/install-deps.sh installs it)";
    TemporaryTree tree;
    tree.write("etc/motd", "Welcome\n");
    tree.write("etc/hostname", "osprey\n");
    tree.write("bin/tool", std::string(9000, 't'));
    std::filesystem::create_directories(tree.path() + "/sbin");
    std::filesystem::create_symlink("motd", tree.path() + "/etc/alias");
    std::filesystem::create_hard_link(tree.path() + "/etc/motd", tree.path() + "/etc/motd2");
    chmod((tree.path() + "/bin/tool").c_str(), 0755);
    chmod((tree.path() + "/sbin").c_str(), 0700);
    struct timespec times[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
    utimensat(AT_FDCWD, (tree.path() + "/etc/hostname").c_str(), times, 0);

    auto archive = host_cpio_archive(tree);
    ASSERT_FALSE(archive.empty());
    auto stats = unpack(std::string(archive.begin(), archive.end()));
    EXPECT_EQ(stats.errors, 0u);
    EXPECT_FALSE(stats.archive_malformed);
    EXPECT_EQ(stats.files, 3u);
    EXPECT_EQ(stats.hard_links, 1u);
    EXPECT_EQ(stats.symlinks, 1u);
    EXPECT_EQ(stats.directories, 3u);

    EXPECT_EQ(read_file("/etc/motd"), "Welcome\n");
    EXPECT_EQ(read_file("/etc/alias"), "Welcome\n");
    EXPECT_EQ(read_file("/bin/tool"), std::string(9000, 't'));
    EXPECT_EQ(attributes_of("/bin/tool").mode, fs::mode::Regular | 0755);
    EXPECT_EQ(attributes_of("/sbin").mode, fs::mode::Directory | 0700);
    EXPECT_EQ(attributes_of("/etc/hostname").size, 7u);
    EXPECT_EQ(attributes_of("/etc/hostname").modify_time.seconds, 1000000000);
    EXPECT_EQ(attributes_of("/etc/motd").inode, attributes_of("/etc/motd2").inode);
    EXPECT_EQ(attributes_of("/etc/motd").link_count, 2u);
    EXPECT_EQ(attributes_of("/etc/alias").mode, fs::mode::Symlink | 0777);
}

TEST_F(InitramfsTest, ParentsAreMadeAndNamesNormalized)
{
    EntryBuilder file;
    EntryBuilder directory;
    directory.mode = 040750;
    auto archive
        = file.build("./deep/er/file", "x") + file.build("/abs", "y") + directory.build("deep/er", "") + trailer();
    auto stats = unpack(archive);
    EXPECT_EQ(stats.errors, 0u);
    EXPECT_EQ(read_file("/deep/er/file"), "x");
    EXPECT_EQ(read_file("/abs"), "y");
    EXPECT_EQ(attributes_of("/deep").mode, fs::mode::Directory | 0755) << "made as needed";
    EXPECT_EQ(attributes_of("/deep/er").mode, fs::mode::Directory | 0750) << "its own entry sets the mode later";
}

TEST_F(InitramfsTest, BadEntriesAreSkippedAndCounted)
{
    EntryBuilder file;
    EntryBuilder unknown;
    unknown.mode = 0170644; // no such file type
    EntryBuilder fifo;
    fifo.mode = 010600;
    auto archive = file.build("ok1", "1") + file.build("../escape", "e") + file.build("a/../b", "e")
        + unknown.build("weird", "") + file.build("ok1/under-a-file", "z") + fifo.build("pipe", "")
        + file.build(std::string(300, 'n'), "") + file.build("ok2", "2") + trailer();
    auto stats = unpack(archive);
    EXPECT_EQ(stats.errors, 5u);
    EXPECT_EQ(stats.special, 1u);
    EXPECT_EQ(read_file("/ok1"), "1");
    EXPECT_EQ(read_file("/ok2"), "2");
    EXPECT_EQ(resolve_error("/escape"), ENOENT);
    EXPECT_EQ(attributes_of("/pipe").type(), fs::FileType::Fifo);
}

TEST_F(InitramfsTest, MalformedArchiveKeepsWhatCameBefore)
{
    EntryBuilder file;
    auto archive = file.build("first", "1") + file.build("second", "2");
    archive += "070701garbage";
    auto stats = unpack(archive);
    EXPECT_TRUE(stats.archive_malformed);
    EXPECT_EQ(stats.errors, 1u);
    EXPECT_EQ(read_file("/first"), "1");
    EXPECT_EQ(read_file("/second"), "2");

    auto empty = unpack("");
    EXPECT_TRUE(empty.archive_malformed);
}

TEST_F(InitramfsTest, LaterEntriesReplaceFiles)
{
    EntryBuilder file;
    EntryBuilder directory;
    directory.mode = 040755;
    auto archive = file.build("f", "old") + file.build("f", "new") + directory.build("d", "")
        + file.build("d", "not over a directory") + trailer();
    auto stats = unpack(archive);
    EXPECT_EQ(stats.errors, 1u);
    EXPECT_EQ(read_file("/f"), "new");
    EXPECT_TRUE(attributes_of("/d").is_directory());
}

} // namespace
