// The newc reader on archives made by the host's GNU cpio and by
// tools/mkinitramfs.py, and on crafted malformed archives: each must give
// EINVAL without reading outside the buffer (ASan checks the "outside": every
// malformed archive sits in a heap buffer of exactly its own size).
#include "CpioArchives.h"

#include <fs/cpio/Newc.h>
#include <gtest/gtest.h>
#include <map>
#include <sys/stat.h>

using namespace cpio_test;

namespace {

struct Seen {
    unsigned mode;
    std::string data;
    unsigned link_count;
    unsigned inode;
};

// Reads every entry; returns the error code (0 if the trailer was reached).
int read_all(const std::vector<unsigned char>& archive, std::map<std::string, Seen>* out = nullptr)
{
    // A copy sized exactly, so any read past the end is an ASan report.
    auto* copy = new unsigned char[archive.size() ? archive.size() : 1];
    std::copy(archive.begin(), archive.end(), copy);
    cpio::NewcReader reader({ copy, archive.size() });
    int error = 0;
    for (;;) {
        cpio::Entry entry;
        auto more = reader.next(entry);
        if (more.is_error()) {
            error = more.error().code();
            break;
        }
        if (!more.value())
            break;
        if (out) {
            (*out)[std::string(entry.name.characters(), entry.name.length())]
                = { entry.mode, std::string(reinterpret_cast<const char*>(entry.data.data()), entry.data.size()),
                      entry.link_count, entry.inode };
        }
    }
    delete[] copy;
    return error;
}

std::vector<unsigned char> bytes(const std::string& text)
{
    return { text.begin(), text.end() };
}

TEST(CpioNewc, ReadsGnuCpioArchives)
{
    if (!host_has_cpio())
        GTEST_SKIP() << "the host has no cpio (tools/install-deps.sh installs it)";
    TemporaryTree tree;
    tree.write("etc/motd", "hello\n");
    tree.write("empty", "");
    std::string big(100000, 'z');
    big[12345] = 'Q';
    tree.write("dir/sub/big", big);
    std::filesystem::create_symlink("etc/motd", tree.path() + "/link");
    std::filesystem::create_hard_link(tree.path() + "/etc/motd", tree.path() + "/hard");
    chmod((tree.path() + "/empty").c_str(), 0750);

    for (std::string format : { "newc", "crc" }) {
        auto archive = host_cpio_archive(tree, format);
        ASSERT_FALSE(archive.empty());
        std::map<std::string, Seen> entries;
        ASSERT_EQ(read_all(archive, &entries), 0) << format;
        ASSERT_TRUE(entries.count("etc/motd")) << format;
        EXPECT_TRUE(entries.count(".")) << format;
        EXPECT_EQ(entries["dir/sub/big"].data, big);
        EXPECT_EQ(entries["link"].mode & S_IFMT, unsigned(S_IFLNK));
        EXPECT_EQ(entries["link"].data, "etc/motd");
        EXPECT_EQ(entries["empty"].mode, unsigned(S_IFREG | 0750));
        EXPECT_EQ(entries["dir/sub"].mode & S_IFMT, unsigned(S_IFDIR));
        EXPECT_EQ(entries["hard"].link_count, 2u);
        EXPECT_EQ(entries["hard"].inode, entries["etc/motd"].inode);
        // GNU cpio stores a hard-link group's data once, with its last name.
        EXPECT_EQ(entries["etc/motd"].data + entries["hard"].data, "hello\n");
    }
}

TEST(CpioNewc, ReadsTheInitramfsPacker)
{
    TemporaryTree tree;
    tree.write("etc/motd", "Welcome\n");
    std::string output = tree.path() + "/out.cpio";
    std::string command = "python3 '" + source_root() + "/tools/mkinitramfs.py' -o '" + output + "' --tree '"
        + tree.path() + "/etc' --dir /bin --symlink /etc/alias motd '" + tree.path() + "/etc/motd' /usr/share/motd";
    ASSERT_EQ(std::system(command.c_str()), 0);
    std::map<std::string, Seen> entries;
    ASSERT_EQ(read_all(read_binary(output), &entries), 0);
    EXPECT_EQ(entries["motd"].data, "Welcome\n") << "--tree copies to the root";
    EXPECT_EQ(entries["usr/share/motd"].data, "Welcome\n");
    EXPECT_EQ(entries["usr/share"].mode, unsigned(S_IFDIR | 0755)) << "parents are added";
    EXPECT_EQ(entries["etc/alias"].data, "motd");
    EXPECT_EQ(entries["bin"].mode, unsigned(S_IFDIR | 0755));
}

TEST(CpioNewc, EmptyAndTruncatedArchives)
{
    EXPECT_EQ(read_all({}), EINVAL) << "no trailer";
    EntryBuilder builder;
    auto archive = builder.build("file", "data") + trailer();
    EXPECT_EQ(read_all(bytes(archive)), 0);
    // Every truncation point short of the trailer is EINVAL, never a crash.
    usize trailer_start = archive.size() - trailer().size();
    for (usize length = 0; length < trailer_start + cpio::HEADER_SIZE + 11; ++length)
        EXPECT_EQ(read_all(bytes(archive.substr(0, length))), EINVAL) << "cut at " << length;
}

TEST(CpioNewc, MalformedHeaders)
{
    EntryBuilder bad_magic;
    bad_magic.magic = "070707"; // the old portable format
    EXPECT_EQ(read_all(bytes(bad_magic.build("f", "x") + trailer())), EINVAL);

    auto good = EntryBuilder().build("f", "x") + trailer();
    for (usize position : { usize(6), usize(14), usize(60), usize(101), usize(109) }) {
        auto broken = good;
        broken[position] = 'g';
        EXPECT_EQ(read_all(bytes(broken)), EINVAL) << "non-hex digit at " << position;
    }
    auto space = good;
    space[20] = ' ';
    EXPECT_EQ(read_all(bytes(space)), EINVAL);
}

TEST(CpioNewc, MalformedNamesAndSizes)
{
    EntryBuilder zero_name;
    zero_name.name_size_override = 0;
    auto archive = zero_name.build("f", "x");
    archive.replace(94, 8, "00000000");
    EXPECT_EQ(read_all(bytes(archive + trailer())), EINVAL) << "name size 0";

    EntryBuilder long_name;
    long_name.name_size_override = 0x7fffffff;
    EXPECT_EQ(read_all(bytes(long_name.build("f", "x") + trailer())), EINVAL) << "absurd name size";

    EntryBuilder past_end;
    past_end.name_size_override = 200;
    EXPECT_EQ(read_all(bytes(past_end.build("f", ""))), EINVAL) << "name past the end";

    EntryBuilder no_nul;
    no_nul.name_size_override = 1; // claims the name is just its NUL, but 'f' is there
    EXPECT_EQ(read_all(bytes(no_nul.build("f", "") + trailer())), EINVAL) << "name without a NUL";

    EntryBuilder inner_nul;
    EXPECT_EQ(read_all(bytes(inner_nul.build(std::string("a\0b", 3), "") + trailer())), EINVAL) << "NUL inside";

    EntryBuilder huge_data;
    huge_data.file_size_override = 0xfffffff0;
    EXPECT_EQ(read_all(bytes(huge_data.build("f", "abc") + trailer())), EINVAL) << "data past the end";

    EntryBuilder data_just_past;
    data_just_past.file_size_override = 5;
    EXPECT_EQ(read_all(bytes(data_just_past.build("f", "abcd"))), EINVAL);

    EntryBuilder bad_checksum;
    bad_checksum.magic = "070702";
    EXPECT_EQ(read_all(bytes(bad_checksum.build("f", "abc") + trailer())), EINVAL) << "check 0 != sum";
}

TEST(CpioNewc, StopsAtTheTrailerAndStaysFailed)
{
    auto archive = EntryBuilder().build("a", "1") + trailer() + "garbage after the trailer";
    std::map<std::string, Seen> entries;
    EXPECT_EQ(read_all(bytes(archive), &entries), 0);
    EXPECT_EQ(entries.size(), 1u);

    std::string broken = "070701zzzz";
    broken.resize(200, '0');
    cpio::NewcReader reader({ reinterpret_cast<const u8*>(broken.data()), broken.size() });
    cpio::Entry entry;
    EXPECT_TRUE(reader.next(entry).is_error());
    EXPECT_TRUE(reader.next(entry).is_error()) << "a failed reader stays failed";
}

} // namespace
