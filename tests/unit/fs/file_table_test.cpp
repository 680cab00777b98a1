// The fd table: lowest free fd, dup/dup2/dup3 rules, FD_CLOEXEC and the exec
// sweep, the EMFILE limit, and fork copies that share descriptions.
#include "FsTestSupport.h"

#include <fs/vfs/FileTable.h>

using namespace fs_test;

namespace {

class FileTableTest : public VfsTest {
protected:
    void SetUp() override
    {
        VfsTest::SetUp();
        write_file("/f", "0123456789");
    }

    NonnullRefPtr<fs::OpenFile> open_file()
    {
        return vfs().open(m_root_context, root(), "/f", fs::open_flag::ReadWrite, 0).release_value();
    }
};

TEST_F(FileTableTest, LowestFreeFd)
{
    fs::FileTable table;
    EXPECT_EQ(table.allocate(open_file(), fs::CloseOnExec::No).value(), 0);
    EXPECT_EQ(table.allocate(open_file(), fs::CloseOnExec::No).value(), 1);
    EXPECT_EQ(table.allocate(open_file(), fs::CloseOnExec::No).value(), 2);
    ASSERT_EQ(error_of(table.close(1)), 0);
    EXPECT_EQ(table.allocate(open_file(), fs::CloseOnExec::No).value(), 1);
    EXPECT_EQ(table.allocate(open_file(), fs::CloseOnExec::No, 10).value(), 10) << "F_DUPFD's minimum";
    EXPECT_EQ(table.allocate(open_file(), fs::CloseOnExec::No).value(), 3);
    EXPECT_EQ(error_of(table.close(1)), 0);
    EXPECT_EQ(error_of(table.close(1)), EBADF);
    EXPECT_EQ(error_of(table.close(-1)), EBADF);
    EXPECT_EQ(error_of(table.close(5000)), EBADF);
    EXPECT_EQ(error_of(table.get(7)), EBADF);
    EXPECT_EQ(table.open_count(), 4u);
}

TEST_F(FileTableTest, DupSharesTheOffset)
{
    fs::FileTable table;
    int fd = table.allocate(open_file(), fs::CloseOnExec::Yes).value();
    int copy = table.dup(fd).value();
    EXPECT_NE(copy, fd);
    EXPECT_FALSE(table.close_on_exec(copy).value()) << "dup clears FD_CLOEXEC";
    EXPECT_TRUE(table.close_on_exec(fd).value());
    u8 buffer[3];
    ASSERT_EQ(table.get(fd).value()->read({ buffer, 3 }).value(), 3u);
    ASSERT_EQ(table.get(copy).value()->read({ buffer, 3 }).value(), 3u);
    EXPECT_EQ(buffer[0], '3') << "one description, one offset";
    EXPECT_EQ(table.get(fd).value().ptr(), table.get(copy).value().ptr());
}

TEST_F(FileTableTest, Dup2AndDup3)
{
    fs::FileTable table;
    int a = table.allocate(open_file(), fs::CloseOnExec::No).value();
    int b = table.allocate(open_file(), fs::CloseOnExec::No).value();
    auto b_file = table.get(b).value();
    EXPECT_EQ(table.dup2(a, a).value(), a) << "dup2 onto itself is a no-op";
    EXPECT_EQ(error_of(table.dup2(9, 9)), EBADF) << "but checks the fd";
    EXPECT_EQ(error_of(table.dup3(a, a, 0)), EINVAL);
    EXPECT_EQ(error_of(table.dup3(a, 5, 0x1)), EINVAL) << "only O_CLOEXEC";
    EXPECT_EQ(table.dup2(a, b).value(), b);
    EXPECT_EQ(table.get(b).value().ptr(), table.get(a).value().ptr()) << "the old b was closed";
    EXPECT_EQ(b_file->ref_count(), 1u) << "only this test still holds the displaced description";
    EXPECT_EQ(table.dup3(a, 100, fs::open_flag::CloseOnExec).value(), 100) << "past the current array";
    EXPECT_TRUE(table.close_on_exec(100).value());
    EXPECT_EQ(error_of(table.dup2(a, 1024)), EBADF) << "past the limit";
    EXPECT_EQ(error_of(table.dup2(a, -1)), EBADF);
    EXPECT_EQ(error_of(table.dup2(50, 3)), EBADF);
}

TEST_F(FileTableTest, CloseOnExecSweep)
{
    fs::FileTable table;
    table.allocate(open_file(), fs::CloseOnExec::Yes).value();
    table.allocate(open_file(), fs::CloseOnExec::No).value();
    table.allocate(open_file(), fs::CloseOnExec::Yes).value();
    ASSERT_EQ(error_of(table.set_close_on_exec(1, fs::CloseOnExec::Yes)), 0);
    ASSERT_EQ(error_of(table.set_close_on_exec(2, fs::CloseOnExec::No)), 0);
    table.close_on_exec_sweep();
    EXPECT_EQ(error_of(table.get(0)), EBADF);
    EXPECT_EQ(error_of(table.get(1)), EBADF);
    EXPECT_EQ(error_of(table.get(2)), 0);
    EXPECT_EQ(table.open_count(), 1u);
}

TEST_F(FileTableTest, EmfileAtTheLimit)
{
    fs::FileTable table(64);
    auto file = open_file();
    for (int i = 0; i < 64; ++i)
        ASSERT_EQ(table.allocate(file, fs::CloseOnExec::No).value(), i);
    EXPECT_EQ(error_of(table.allocate(file, fs::CloseOnExec::No)), EMFILE);
    EXPECT_EQ(error_of(table.dup(0)), EMFILE);
    EXPECT_EQ(error_of(table.allocate(file, fs::CloseOnExec::No, 64)), EINVAL) << "a minimum past the limit";
    ASSERT_EQ(error_of(table.close(17)), 0);
    EXPECT_EQ(table.dup(0).value(), 17);
    EXPECT_EQ(file->ref_count(), 65u);
    table.close_all();
    EXPECT_EQ(file->ref_count(), 1u);

    fs::FileTable full_default;
    for (u32 i = 0; i < fs::FileTable::DEFAULT_LIMIT; ++i)
        ASSERT_FALSE(full_default.allocate(file, fs::CloseOnExec::No).is_error());
    EXPECT_EQ(error_of(full_default.allocate(file, fs::CloseOnExec::No)), EMFILE);
}

TEST_F(FileTableTest, ForkCopySharesDescriptions)
{
    fs::FileTable parent;
    auto file = open_file();
    parent.allocate(file, fs::CloseOnExec::No).value();
    parent.allocate(open_file(), fs::CloseOnExec::Yes, 40).value();
    EXPECT_EQ(file->ref_count(), 2u);
    {
        fs::FileTable child;
        ASSERT_EQ(error_of(child.copy_from(parent)), 0);
        EXPECT_EQ(file->ref_count(), 3u);
        EXPECT_EQ(child.open_count(), 2u);
        EXPECT_TRUE(child.close_on_exec(40).value());
        u8 buffer[4];
        ASSERT_EQ(child.get(0).value()->read({ buffer, 4 }).value(), 4u);
        ASSERT_EQ(error_of(child.close(0)), 0);
        EXPECT_EQ(file->ref_count(), 2u);
    }
    EXPECT_EQ(file->ref_count(), 2u);
    u8 buffer[1];
    ASSERT_EQ(parent.get(0).value()->read({ buffer, 1 }).value(), 1u);
    EXPECT_EQ(buffer[0], '4') << "the child moved the shared offset";
}

TEST_F(FileTableTest, StatusFlags)
{
    auto file = open_file();
    file->set_status_flags(fs::open_flag::Append | fs::open_flag::NonBlocking | fs::open_flag::WriteOnly);
    EXPECT_EQ(file->flags() & fs::open_flag::AccessMask, fs::open_flag::ReadWrite) << "F_SETFL keeps the access mode";
    EXPECT_TRUE(file->flags() & fs::open_flag::Append);
    ASSERT_EQ(file->write(bytes_of("!")).value(), 1u);
    EXPECT_EQ(read_file("/f"), "0123456789!") << "O_APPEND set later still appends";
    EXPECT_EQ(error_of(file->ioctl(0x5401, 0)), ENOTTY);
}

} // namespace
