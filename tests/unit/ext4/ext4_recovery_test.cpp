// Journal recovery: debugfs writes transactions into the journal of an
// image (jo/jw/jc) without checkpointing them, which leaves it needing
// recovery exactly as a crash would. Mounting must replay what committed,
// honour revoke records and checksums, and leave a clean filesystem.
#include "Ext4Fixture.h"
#include <filesystem>

namespace {

using namespace ext4_test;

class RecoveryTest : public ImageTest {
protected:
    void SetUp() override
    {
        ImageTest::SetUp();
        if (find_tool("mkfs.ext4").empty() || find_tool("e2fsck").empty() || find_tool("debugfs").empty())
            GTEST_SKIP() << "e2fsprogs not installed";
        std::string source = path("source");
        std::filesystem::create_directories(source);
        write_host_file(source + "/data", std::string(4096, 'A'));
        write_host_file(source + "/other", std::string(4096, 'a'));
        m_image = path("image");
    }

    void make(const std::string& options)
    {
        ASSERT_EQ(make_image(m_image, 64, "-b 4096 " + options + " -d " + shell_quote(path("source"))), "");
        m_data_block = std::stoul(last_line(debugfs(m_image, "bmap /data 0")));
        m_other_block = std::stoul(last_line(debugfs(m_image, "bmap /other 0")));
        write_host_file(path("newB"), std::string(4096, 'B'));
        write_host_file(path("newC"), std::string(4096, 'C'));
    }

    static std::string last_line(std::string text)
    {
        while (!text.empty() && text.back() == '\n')
            text.pop_back();
        auto newline = text.rfind('\n');
        return newline == std::string::npos ? text : text.substr(newline + 1);
    }

    // Runs debugfs commands (one per line) with the image writable.
    void journal(const std::string& commands)
    {
        write_host_file(path("commands"), commands);
        std::string output;
        ASSERT_EQ(
            run_command(
                find_tool("debugfs") + " -w -f " + shell_quote(path("commands")) + " " + shell_quote(m_image), &output),
            0)
            << output;
        ASSERT_NE(debugfs(m_image, "stats").find("needs_recovery"), std::string::npos);
    }

    std::string contents(const char* name)
    {
        auto file = root()->lookup(name);
        EXPECT_FALSE(file.is_error());
        return file.is_error() ? "" : read_all(*file.value());
    }

    std::string m_image;
    u64 m_data_block { 0 };
    u64 m_other_block { 0 };
};

TEST_F(RecoveryTest, ReplaysCommittedTransactionsAndHonoursRevokes)
{
    for (const char* checksums : { "-c", "" }) {
        SCOPED_TRACE(checksums);
        make("");
        journal(std::string("jo ") + checksums + "\njw -b " + std::to_string(m_data_block) + " " + path("newB")
            + "\njw -b " + std::to_string(m_other_block) + " " + path("newC") + "\njc\njo\njw -r "
            + std::to_string(m_other_block) + "\njc\n");
        ASSERT_FALSE(mount(m_image).is_error());
        EXPECT_TRUE(m_file_system->journal_was_replayed());
        EXPECT_EQ(contents("data"), std::string(4096, 'B'));
        EXPECT_EQ(contents("other"), std::string(4096, 'a')); // revoked later
        ASSERT_FALSE(unmount().is_error());
        std::string report;
        EXPECT_TRUE(fsck_clean(m_image, &report)) << report;
        EXPECT_EQ(debugfs(m_image, "stats").find("needs_recovery"), std::string::npos);
    }
}

TEST_F(RecoveryTest, ATransactionWithABadCommitChecksumIsNotReplayed)
{
    make("");
    journal("jo -c\njw -b " + std::to_string(m_data_block) + " " + path("newB") + "\njc\n");
    // The journal starts at its block 1: descriptor, data, commit. Corrupt
    // the commit block's checksummed body.
    u64 journal_block = std::stoul(last_line(debugfs(m_image, "bmap <8> 3")));
    int fd = ::open(m_image.c_str(), O_RDWR);
    u8 byte = 0x5A;
    ASSERT_EQ(pwrite(fd, &byte, 1, off_t(journal_block * 4096 + 200)), 1);
    ::close(fd);
    ASSERT_FALSE(mount(m_image).is_error());
    EXPECT_EQ(contents("data"), std::string(4096, 'A'));
    ASSERT_FALSE(unmount().is_error());
    std::string report;
    EXPECT_TRUE(fsck_clean(m_image, &report)) << report;
}

TEST_F(RecoveryTest, MountedFilesystemIsNotCleanUntilUnmount)
{
    make("");
    ASSERT_FALSE(mount(m_image).is_error());
    ASSERT_FALSE(m_file_system->sync().is_error());
    EXPECT_NE(debugfs(m_image, "stats").find("not clean"), std::string::npos);
    ASSERT_FALSE(unmount().is_error());
    EXPECT_NE(debugfs(m_image, "stats").find("Filesystem state:         clean"), std::string::npos);
}

} // namespace
