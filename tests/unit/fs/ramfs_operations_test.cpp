// ramfs through the VFS: files (create, read, write, append, sparse holes,
// truncate), unlink while open, rename (over files, over empty and non-empty
// directories, into its own subdirectory, across directories with link
// counts), hard links, mknod, and directory listing while entries change.
#include "FsTestSupport.h"

#include "../support/HostAllocator.h"

#include <fs/ramfs/RamFile.h>
#include <map>
#include <set>
#include <string>

using namespace fs_test;

namespace {

class RamfsTest : public VfsTest {
protected:
    fs::Attributes attributes_of(const char* path)
    {
        auto attributes = vfs().stat(m_root_context, root(), path, fs::FollowFinal::No);
        EXPECT_FALSE(attributes.is_error()) << path;
        return attributes.is_error() ? fs::Attributes {} : attributes.value();
    }

    NonnullRefPtr<fs::OpenFile> open(const char* path, u32 flags, u32 mode = 0644)
    {
        auto file = vfs().open(m_root_context, root(), path, flags, mode);
        EXPECT_FALSE(file.is_error()) << path << ": " << lib::errno_name(file.error().code());
        return file.release_value();
    }

    int open_error(const char* path, u32 flags, const fs::Context* context = nullptr)
    {
        return error_of(vfs().open(context ? *context : m_root_context, root(), path, flags, 0644));
    }

    // Every name a full listing returns, read `batch` bytes of dirents at a time.
    std::multiset<std::string> list(const char* path, usize batch = 4096)
    {
        auto directory = open(path, fs::open_flag::ReadOnly | fs::open_flag::Directory);
        std::multiset<std::string> names;
        std::vector<u8> buffer(batch);
        for (;;) {
            auto count = directory->read_directory({ buffer.data(), buffer.size() });
            EXPECT_FALSE(count.is_error());
            if (count.is_error() || count.value() == 0)
                break;
            for (usize offset = 0; offset < count.value();) {
                u16 record_length;
                memcpy(&record_length, buffer.data() + offset + 16, 2);
                names.insert(reinterpret_cast<const char*>(buffer.data() + offset + 19));
                offset += record_length;
            }
        }
        return names;
    }
};

TEST_F(RamfsTest, CreateWriteReadAppend)
{
    write_file("/f", "hello");
    EXPECT_EQ(read_file("/f"), "hello");
    EXPECT_EQ(attributes_of("/f").size, 5u);
    EXPECT_EQ(attributes_of("/f").mode, fs::mode::Regular | 0644);

    auto file = open("/f", fs::open_flag::WriteOnly | fs::open_flag::Append);
    ASSERT_EQ(file->write(bytes_of(" world")).value(), 6u);
    EXPECT_EQ(read_file("/f"), "hello world");

    auto both = open("/f", fs::open_flag::ReadWrite);
    ASSERT_EQ(both->seek(6, fs::SeekFrom::Start).value(), 6u);
    ASSERT_EQ(both->write(bytes_of("WORLD")).value(), 5u);
    EXPECT_EQ(read_file("/f"), "hello WORLD");
    u8 buffer[4];
    ASSERT_EQ(both->pread(1, { buffer, 4 }).value(), 4u);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(buffer), 4), "ello");
    EXPECT_EQ(both->seek(-2, fs::SeekFrom::End).value(), 9u);
    EXPECT_EQ(error_of(both->seek(-20, fs::SeekFrom::Current)), EINVAL);
}

TEST_F(RamfsTest, OpenFlagsFollowLinux)
{
    write_file("/f", "data");
    make_directory("/d");
    EXPECT_EQ(open_error("/f", fs::open_flag::Create | fs::open_flag::Exclusive | fs::open_flag::WriteOnly), EEXIST);
    EXPECT_EQ(open_error("/d", fs::open_flag::WriteOnly), EISDIR);
    EXPECT_EQ(open_error("/d", fs::open_flag::Create | fs::open_flag::WriteOnly), EISDIR);
    EXPECT_EQ(open_error("/new/", fs::open_flag::Create | fs::open_flag::WriteOnly), EISDIR);
    EXPECT_EQ(open_error("/f", fs::open_flag::Directory), ENOTDIR);
    EXPECT_EQ(open_error("/missing", fs::open_flag::ReadOnly), ENOENT);
    EXPECT_EQ(open_error("/missing/x", fs::open_flag::Create | fs::open_flag::WriteOnly), ENOENT);
    EXPECT_EQ(open_error("/f", fs::open_flag::AccessMask), EINVAL);

    symlink("/f", "/link");
    EXPECT_EQ(open_error("/link", fs::open_flag::ReadOnly | fs::open_flag::NoFollow), ELOOP);
    EXPECT_EQ(open_error("/link", fs::open_flag::ReadOnly), 0);
    // O_CREAT through a dangling link creates the target (Linux).
    symlink("/created-through-link", "/dangling");
    EXPECT_EQ(open_error("/dangling", fs::open_flag::Create | fs::open_flag::WriteOnly), 0);
    EXPECT_TRUE(attributes_of("/created-through-link").is_regular());
    EXPECT_EQ(
        open_error("/dangling", fs::open_flag::Create | fs::open_flag::Exclusive | fs::open_flag::WriteOnly), EEXIST)
        << "O_EXCL never follows";

    auto read_only = open("/f", fs::open_flag::ReadOnly);
    EXPECT_EQ(error_of(read_only->write(bytes_of("x"))), EBADF);
    auto write_only = open("/f", fs::open_flag::WriteOnly);
    u8 byte;
    EXPECT_EQ(error_of(write_only->read({ &byte, 1 })), EBADF);

    (void)open("/f", fs::open_flag::WriteOnly | fs::open_flag::Truncate);
    EXPECT_EQ(attributes_of("/f").size, 0u);
    EXPECT_EQ(read_only->flags() & (fs::open_flag::Create | fs::open_flag::Truncate), 0u)
        << "creation flags are not kept in the description";
}

TEST_F(RamfsTest, SparseFilesAndTruncate)
{
    auto file = open("/sparse", fs::open_flag::ReadWrite | fs::open_flag::Create);
    ASSERT_EQ(file->pwrite(1 << 20, bytes_of("end")).value(), 3u);
    auto attributes = attributes_of("/sparse");
    EXPECT_EQ(attributes.size, (1u << 20) + 3);
    EXPECT_EQ(attributes.blocks, 8u) << "only the written page is allocated";
    std::string middle(10, 'x');
    ASSERT_EQ(file->pread(u64(4096) * 10, { reinterpret_cast<u8*>(middle.data()), middle.size() }).value(), 10u);
    EXPECT_EQ(middle, std::string(10, '\0')) << "holes read as zeros";

    ASSERT_EQ(file->pwrite(0, bytes_of(std::string(10000, 'a'))).value(), 10000u);
    ASSERT_EQ(error_of(file->truncate(5)), 0);
    EXPECT_EQ(attributes_of("/sparse").size, 5u);
    EXPECT_EQ(attributes_of("/sparse").blocks, 8u);
    ASSERT_EQ(error_of(file->truncate(8192)), 0);
    std::string tail(8192, 'x');
    ASSERT_EQ(file->pread(0, { reinterpret_cast<u8*>(tail.data()), tail.size() }).value(), 8192u);
    EXPECT_EQ(tail, std::string(5, 'a') + std::string(8187, '\0')) << "bytes cut off do not come back";
    EXPECT_EQ(error_of(file->truncate(u64(1) << 41)), EFBIG);
    EXPECT_EQ(error_of(file->pwrite((u64(1) << 40) - 1, bytes_of("xy"))), EFBIG);
}

TEST_F(RamfsTest, LargeWriteSpansChunks)
{
    std::string data;
    for (int i = 0; i < 700000; ++i)
        data += static_cast<char>('a' + i % 26);
    write_file("/big", data);
    EXPECT_EQ(read_file("/big"), data);
    EXPECT_EQ(attributes_of("/big").blocks, (data.size() + 4095) / 4096 * 8);
}

TEST_F(RamfsTest, UnlinkedOpenFileStaysReadable)
{
    write_file("/doomed", "still here");
    auto file = open("/doomed", fs::open_flag::ReadWrite);
    ASSERT_EQ(error_of(vfs().unlink(m_root_context, root(), "/doomed")), 0);
    EXPECT_EQ(open_error("/doomed", fs::open_flag::ReadOnly), ENOENT);
    EXPECT_EQ(file->stat().value().link_count, 0u);
    EXPECT_EQ(as_string(*file), "still here");
    ASSERT_EQ(file->pwrite(0, bytes_of("STILL")).value(), 5u);
    u8 buffer[10];
    ASSERT_EQ(file->pread(0, { buffer, 10 }).value(), 10u);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(buffer), 10), "STILL here");
    i64 before = fs::live_vnode_count();
    file = open("/", fs::open_flag::ReadOnly);
    EXPECT_EQ(fs::live_vnode_count(), before - 1) << "the file is freed with its last reference";
}

TEST_F(RamfsTest, UnlinkAndRmdirErrors)
{
    make_directory("/d");
    write_file("/d/f", "x");
    EXPECT_EQ(error_of(vfs().unlink(m_root_context, root(), "/d")), EISDIR);
    EXPECT_EQ(error_of(vfs().remove_directory(m_root_context, root(), "/d")), ENOTEMPTY);
    EXPECT_EQ(error_of(vfs().remove_directory(m_root_context, root(), "/d/f")), ENOTDIR);
    EXPECT_EQ(error_of(vfs().unlink(m_root_context, root(), "/d/f/")), ENOTDIR);
    EXPECT_EQ(error_of(vfs().remove_directory(m_root_context, root(), "/d/.")), EINVAL);
    EXPECT_EQ(error_of(vfs().remove_directory(m_root_context, root(), "/d/..")), ENOTEMPTY);
    EXPECT_EQ(error_of(vfs().remove_directory(m_root_context, root(), "/")), EBUSY);
    EXPECT_EQ(error_of(vfs().unlink(m_root_context, root(), "/missing")), ENOENT);
    EXPECT_EQ(error_of(vfs().make_directory(m_root_context, root(), "/d", 0755)), EEXIST);
    EXPECT_EQ(error_of(vfs().make_directory(m_root_context, root(), "/", 0755)), EEXIST);
    ASSERT_EQ(error_of(vfs().unlink(m_root_context, root(), "/d/f")), 0);

    // A removed directory that is still someone's cwd: creating in it is ENOENT.
    auto cwd = vfs().resolve(m_root_context, root(), "/d", fs::FollowFinal::Yes).release_value();
    ASSERT_EQ(error_of(vfs().remove_directory(m_root_context, root(), "/d")), 0);
    EXPECT_EQ(error_of(vfs().open(m_root_context, cwd, "new", fs::open_flag::Create | fs::open_flag::WriteOnly, 0644)),
        ENOENT);
    EXPECT_EQ(error_of(vfs().resolve(m_root_context, cwd, "..", fs::FollowFinal::Yes)), ENOENT);
}

TEST_F(RamfsTest, LinkCountsOfDirectories)
{
    EXPECT_EQ(attributes_of("/").link_count, 2u);
    make_directory("/a");
    make_directory("/a/x");
    make_directory("/a/y");
    EXPECT_EQ(attributes_of("/a").link_count, 4u) << "2 plus one per subdirectory";
    make_directory("/b");
    ASSERT_EQ(error_of(vfs().rename(m_root_context, root(), "/a/x", root(), "/b/x")), 0);
    EXPECT_EQ(attributes_of("/a").link_count, 3u);
    EXPECT_EQ(attributes_of("/b").link_count, 3u);
    auto moved = vfs().resolve(m_root_context, root(), "/b/x/..", fs::FollowFinal::Yes).release_value();
    EXPECT_EQ(moved.vnode->inode_number(), attributes_of("/b").inode) << "the moved directory's .. follows it";
}

TEST_F(RamfsTest, RenameSemantics)
{
    write_file("/a", "A");
    write_file("/b", "B");
    ASSERT_EQ(error_of(vfs().rename(m_root_context, root(), "/a", root(), "/b")), 0);
    EXPECT_EQ(read_file("/b"), "A") << "rename replaces an existing file";
    EXPECT_EQ(open_error("/a", fs::open_flag::ReadOnly), ENOENT);

    make_directory("/d");
    make_directory("/d/sub");
    make_directory("/empty");
    make_directory("/full");
    write_file("/full/x", "x");
    EXPECT_EQ(error_of(vfs().rename(m_root_context, root(), "/d", root(), "/d/sub/inside")), EINVAL);
    EXPECT_EQ(error_of(vfs().rename(m_root_context, root(), "/d", root(), "/d/sub")), EINVAL) << "onto its own child";
    EXPECT_EQ(error_of(vfs().rename(m_root_context, root(), "/d", root(), "/full")), ENOTEMPTY);
    EXPECT_EQ(error_of(vfs().rename(m_root_context, root(), "/d", root(), "/b")), ENOTDIR);
    EXPECT_EQ(error_of(vfs().rename(m_root_context, root(), "/b", root(), "/empty")), EISDIR);
    EXPECT_EQ(error_of(vfs().rename(m_root_context, root(), "/b", root(), "/nope/x")), ENOENT);
    EXPECT_EQ(error_of(vfs().rename(m_root_context, root(), "/missing", root(), "/x")), ENOENT);
    EXPECT_EQ(error_of(vfs().rename(m_root_context, root(), "/b", root(), "/x/")), ENOTDIR);
    EXPECT_EQ(error_of(vfs().rename(m_root_context, root(), "/d/.", root(), "/x")), EBUSY);

    ASSERT_EQ(error_of(vfs().rename(m_root_context, root(), "/d", root(), "/empty")), 0) << "over an empty directory";
    EXPECT_EQ(resolve_error("/empty/sub"), 0);
    EXPECT_EQ(resolve_error("/d"), ENOENT);

    // Two names of one file: nothing happens, both stay.
    ASSERT_EQ(error_of(vfs().link(m_root_context, root(), "/b", root(), "/b2", fs::FollowFinal::No)), 0);
    ASSERT_EQ(error_of(vfs().rename(m_root_context, root(), "/b", root(), "/b2")), 0);
    EXPECT_EQ(resolve_error("/b"), 0);
    EXPECT_EQ(resolve_error("/b2"), 0);

    // Across mounts: EXDEV.
    make_directory("/mnt");
    auto other = fs::ramfs::RamFileSystem::try_create(0755).release_value();
    ASSERT_EQ(error_of(vfs().mount(m_root_context, root(), "/mnt", other)), 0);
    EXPECT_EQ(error_of(vfs().rename(m_root_context, root(), "/b", root(), "/mnt/b")), EXDEV);
    EXPECT_EQ(error_of(vfs().link(m_root_context, root(), "/b", root(), "/mnt/b", fs::FollowFinal::No)), EXDEV);
    EXPECT_EQ(error_of(vfs().remove_directory(m_root_context, root(), "/mnt")), EBUSY) << "a mount point";
}

TEST_F(RamfsTest, HardLinks)
{
    write_file("/f", "shared");
    ASSERT_EQ(error_of(vfs().link(m_root_context, root(), "/f", root(), "/g", fs::FollowFinal::No)), 0);
    EXPECT_EQ(attributes_of("/f").link_count, 2u);
    EXPECT_EQ(attributes_of("/f").inode, attributes_of("/g").inode);
    write_file("/g", "changed");
    EXPECT_EQ(read_file("/f"), "changed");
    ASSERT_EQ(error_of(vfs().unlink(m_root_context, root(), "/f")), 0);
    EXPECT_EQ(attributes_of("/g").link_count, 1u);
    EXPECT_EQ(read_file("/g"), "changed");

    make_directory("/d");
    EXPECT_EQ(error_of(vfs().link(m_root_context, root(), "/d", root(), "/d2", fs::FollowFinal::No)), EPERM);
    EXPECT_EQ(error_of(vfs().link(m_root_context, root(), "/g", root(), "/d", fs::FollowFinal::No)), EEXIST);
    symlink("/g", "/sym");
    ASSERT_EQ(error_of(vfs().link(m_root_context, root(), "/sym", root(), "/hard-to-target", fs::FollowFinal::Yes)), 0);
    EXPECT_EQ(attributes_of("/hard-to-target").inode, attributes_of("/g").inode);
    ASSERT_EQ(error_of(vfs().link(m_root_context, root(), "/sym", root(), "/hard-to-link", fs::FollowFinal::No)), 0);
    EXPECT_TRUE(attributes_of("/hard-to-link").is_symlink());
}

TEST_F(RamfsTest, SymlinkAttributesAndReadlink)
{
    symlink("some/target", "/l");
    auto attributes = attributes_of("/l");
    EXPECT_EQ(attributes.mode, fs::mode::Symlink | 0777);
    EXPECT_EQ(attributes.size, 11u);
    char buffer[64];
    auto length = vfs().read_link(m_root_context, root(), "/l", { reinterpret_cast<u8*>(buffer), sizeof(buffer) });
    ASSERT_FALSE(length.is_error());
    EXPECT_EQ(std::string(buffer, length.value()), "some/target");
    write_file("/f", "x");
    EXPECT_EQ(error_of(vfs().read_link(m_root_context, root(), "/f", { reinterpret_cast<u8*>(buffer), 64 })), EINVAL);
    EXPECT_EQ(error_of(vfs().symlink(m_root_context, "x", root(), "/f")), EEXIST);
}

TEST_F(RamfsTest, SpecialNodes)
{
    ASSERT_EQ(error_of(vfs().make_node(m_root_context, root(), "/null", fs::mode::CharacterDevice | 0666, 0x103)), 0);
    ASSERT_EQ(error_of(vfs().make_node(m_root_context, root(), "/fifo", fs::mode::Fifo | 0600, 0)), 0);
    EXPECT_EQ(attributes_of("/null").rdev, 0x103u);
    EXPECT_EQ(attributes_of("/null").type(), fs::FileType::CharacterDevice);
    EXPECT_EQ(attributes_of("/fifo").type(), fs::FileType::Fifo);
    EXPECT_EQ(error_of(vfs().make_node(m_root_context, root(), "/dir", fs::mode::Directory | 0755, 0)), EPERM);
    EXPECT_EQ(error_of(vfs().make_node(m_root_context, root(), "/fifo", fs::mode::Fifo | 0600, 0)), EEXIST);
}

TEST_F(RamfsTest, ListingIsCompleteAndTyped)
{
    make_directory("/d");
    std::set<std::string> expected { ".", ".." };
    for (int i = 0; i < 300; ++i) {
        std::string name = "/d/entry-with-a-longish-name-" + std::to_string(i);
        write_file(name.c_str(), "x");
        expected.insert(name.substr(3));
    }
    auto names = list("/d", 256);
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), expected);
    EXPECT_EQ(names.size(), expected.size()) << "no duplicates";

    // A buffer too small for one record.
    auto directory = open("/d", fs::open_flag::ReadOnly);
    u8 tiny[16];
    EXPECT_EQ(error_of(directory->read_directory({ tiny, sizeof(tiny) })), EINVAL);
    EXPECT_EQ(error_of(open("/d/entry-with-a-longish-name-1", fs::open_flag::ReadOnly)->read_directory({ tiny, 16 })),
        ENOTDIR);
}

TEST_F(RamfsTest, ListingUnderModificationSeesStableEntriesOnce)
{
    make_directory("/d");
    for (int i = 0; i < 100; ++i)
        write_file(("/d/stable" + std::to_string(i)).c_str(), "x");
    auto directory = open("/d", fs::open_flag::ReadOnly);
    std::multiset<std::string> seen;
    std::vector<u8> buffer(200);
    int round = 0;
    for (;;) {
        auto count = directory->read_directory({ buffer.data(), buffer.size() });
        ASSERT_FALSE(count.is_error());
        if (count.value() == 0)
            break;
        for (usize offset = 0; offset < count.value();) {
            u16 record_length;
            memcpy(&record_length, buffer.data() + offset + 16, 2);
            seen.insert(reinterpret_cast<const char*>(buffer.data() + offset + 19));
            offset += record_length;
        }
        // Between the first batches: add an entry, remove the one added before.
        if (round < 10) {
            std::string added = "/d/added" + std::to_string(round);
            write_file(added.c_str(), "y");
            if (round > 0)
                ASSERT_EQ(
                    error_of(vfs().unlink(m_root_context, root(), ("/d/added" + std::to_string(round - 1)).c_str())),
                    0);
        }
        ASSERT_LT(++round, 1000) << "the listing does not end";
    }
    ASSERT_GT(round, 5) << "the listing took several batches";
    for (int i = 0; i < 100; ++i)
        EXPECT_EQ(seen.count("stable" + std::to_string(i)), 1u) << "stable" << i;
    EXPECT_EQ(seen.count("."), 1u);
    EXPECT_EQ(seen.count(".."), 1u);
}

TEST_F(RamfsTest, TimestampsFollowTheClockHook)
{
    static u64 now_ns = 5'000'000'123;
    fs::set_clock([] { return now_ns; });
    write_file("/t", "a");
    auto created = attributes_of("/t");
    EXPECT_EQ(created.modify_time, (fs::Timespec { 5, 123 }));
    now_ns = 9'000'000'000;
    write_file("/t", "b");
    EXPECT_EQ(attributes_of("/t").modify_time, (fs::Timespec { 9, 0 }));
    EXPECT_EQ(attributes_of("/").modify_time, (fs::Timespec { 5, 123 })) << "rewriting a file leaves its directory";
    fs::set_clock(nullptr);
}

} // namespace

namespace {

// Every allocation in create, write, link, rename and mkdir may fail: each
// failure is ENOMEM, leaves the tree consistent and leaks nothing.
TEST_F(RamfsTest, OutOfMemoryIsEnomemAndLeaksNothing)
{
    make_directory("/d");
    write_file("/d/existing", "x");
    std::string data(20000, 'q');
    usize live_before = host_allocator::live_allocations();
    int failures = 0;
    for (usize successes = 0; successes < 60; ++successes) {
        int result;
        {
            host_allocator::FailureScope scope(successes);
            auto file
                = vfs().open(m_root_context, root(), "/d/new", fs::open_flag::Create | fs::open_flag::WriteOnly, 0644);
            result = error_of(file);
            if (!file.is_error())
                result = error_of(file.value()->write(bytes_of(data)));
            if (!result)
                result = error_of(vfs().rename(m_root_context, root(), "/d/new", root(), "/d/renamed"));
            if (!result)
                result = error_of(
                    vfs().link(m_root_context, root(), "/d/renamed", root(), "/d/linked", fs::FollowFinal::No));
            if (!result)
                result = error_of(vfs().make_directory(m_root_context, root(), "/d/sub", 0755));
        }
        ASSERT_TRUE(result == 0 || result == ENOMEM) << lib::errno_name(result);
        failures += result == ENOMEM;
        for (const char* path : { "/d/new", "/d/renamed", "/d/linked" })
            (void)vfs().unlink(m_root_context, root(), path);
        (void)vfs().remove_directory(m_root_context, root(), "/d/sub");
        if (result == 0)
            break;
    }
    EXPECT_GT(failures, 5) << "the loop did hit allocation failures";
    EXPECT_EQ(read_file("/d/existing"), "x");
    EXPECT_EQ(list("/d").size(), 3u) << ". .. existing";
    EXPECT_EQ(host_allocator::live_allocations(), live_before);
}

} // namespace
