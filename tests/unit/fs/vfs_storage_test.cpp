// The VFS pieces added for storage: renameat2's NOREPLACE and EXCHANGE,
// utimensat's "now" rule, tmpfs (options, size limit, statfs), the data
// operations' page-cache coherence (FileData.h with a fake cache),
// /proc/mounts lines (source, absolute path, options, escapes), statfs's
// structure, and file-backed regions in the region map.
#include "FsTestSupport.h"

#include <fs/procfs/Text.h>
#include <fs/tmpfs/Tmpfs.h>
#include <fs/vfs/CachedPages.h>
#include <fs/vfs/FileData.h>
#include <fs/vfs/Statfs.h>
#include <kernel/user/RegionMap.h>
#include <string>
#include <sys/vfs.h>
#include <vector>

using namespace fs_test;

namespace {

class StorageTest : public VfsTest {
protected:
    int rename(const char* from, const char* to, u32 flags)
    {
        return error_of(vfs().rename(m_root_context, root(), from, root(), to, flags));
    }

    u32 link_count(const char* path)
    {
        auto attributes = vfs().stat(m_root_context, root(), path, fs::FollowFinal::No);
        return attributes.is_error() ? 0 : attributes.value().link_count;
    }
};

TEST_F(StorageTest, RenameNoReplace)
{
    write_file("/a", "A");
    write_file("/b", "B");
    EXPECT_EQ(rename("/a", "/b", fs::rename_flag::NoReplace), EEXIST);
    EXPECT_EQ(read_file("/b"), "B") << "nothing replaced";
    EXPECT_EQ(rename("/a", "/c", fs::rename_flag::NoReplace), 0);
    EXPECT_EQ(read_file("/c"), "A");
    EXPECT_EQ(read_file("/a"), "<ENOENT>");
    EXPECT_EQ(rename("/c", "/b", fs::rename_flag::NoReplace | fs::rename_flag::Exchange), EINVAL);
    EXPECT_EQ(rename("/c", "/b", fs::rename_flag::Whiteout), EINVAL);
    // The filesystem itself refuses under its lock (the VFS's own check is
    // only a fast path and can race with a creation).
    auto directory = root().vnode;
    EXPECT_EQ(error_of(directory->rename("c", *directory, "b", fs::RenameMode::NoReplace)), EEXIST);
    EXPECT_EQ(read_file("/b"), "B");
    EXPECT_EQ(error_of(directory->rename("c", *directory, "d", fs::RenameMode::NoReplace)), 0);
    EXPECT_EQ(read_file("/d"), "A");
}

TEST_F(StorageTest, RenameExchangeFilesAndDirectories)
{
    make_directory("/d1");
    make_directory("/d2");
    make_directory("/d1/inner");
    write_file("/d2/file", "F");
    EXPECT_EQ(link_count("/d1"), 3u);
    EXPECT_EQ(link_count("/d2"), 2u);
    // A directory and a file in different parents trade places; the parents'
    // link counts follow the directory.
    EXPECT_EQ(rename("/d1/inner", "/d2/file", fs::rename_flag::Exchange), 0);
    EXPECT_EQ(read_file("/d1/inner"), "F");
    EXPECT_EQ(resolve_error("/d2/file/."), 0) << "the directory is now /d2/file";
    EXPECT_EQ(link_count("/d1"), 2u);
    EXPECT_EQ(link_count("/d2"), 3u);
    auto parent = vfs().resolve(m_root_context, root(), "/d2/file/..", fs::FollowFinal::Yes);
    auto d2 = vfs().resolve(m_root_context, root(), "/d2", fs::FollowFinal::Yes);
    ASSERT_FALSE(parent.is_error());
    EXPECT_EQ(parent.value().vnode, d2.value().vnode) << "the moved directory's .. follows it";
    EXPECT_EQ(rename("/d1/inner", "/d1/missing", fs::rename_flag::Exchange), ENOENT);
    EXPECT_EQ(rename("/d2", "/d2/file", fs::rename_flag::Exchange), EINVAL) << "a directory below itself";
}

TEST_F(StorageTest, TimesToNowNeedWriteAccessOrOwnership)
{
    write_file("/readonly", "r", 0644);
    write_file("/writable", "w", 0666);
    auto readonly = vfs().resolve(m_root_context, root(), "/readonly", fs::FollowFinal::Yes).release_value();
    auto writable = vfs().resolve(m_root_context, root(), "/writable", fs::FollowFinal::Yes).release_value();
    fs::AttributeChange change;
    change.set_access_time = change.set_modify_time = true;
    change.access_time = change.modify_time = { 77, 0 };
    EXPECT_EQ(error_of(vfs().change_attributes_of(m_user_context, *readonly.vnode, change, true)), EACCES);
    EXPECT_EQ(error_of(vfs().change_attributes_of(m_user_context, *writable.vnode, change, true)), 0);
    EXPECT_EQ(writable.vnode->attributes().modify_time.seconds, 77);
    EXPECT_EQ(error_of(vfs().change_attributes_of(m_user_context, *writable.vnode, change, false)), EPERM)
        << "explicit times need ownership";
}

TEST(TmpfsOptions, ParsesSizeAndMode)
{
    auto options = fs::tmpfs::parse_options("", 99);
    ASSERT_FALSE(options.is_error());
    EXPECT_EQ(options.value().page_limit, 99u) << "the default limit";
    EXPECT_EQ(options.value().root_mode, 01777u);
    EXPECT_EQ(fs::tmpfs::parse_options("size=1m", 0).value().page_limit, 256u);
    EXPECT_EQ(fs::tmpfs::parse_options("size=10k", 0).value().page_limit, 3u) << "rounded up to pages";
    EXPECT_EQ(fs::tmpfs::parse_options("size=2G,mode=700", 0).value().page_limit, 524288u);
    EXPECT_EQ(fs::tmpfs::parse_options("mode=700,,", 0).value().root_mode, 0700u);
    EXPECT_EQ(fs::tmpfs::parse_options("size=0", 7).value().page_limit, 0u) << "0 is no limit";
    for (const char* bad : { "size=", "size=k", "size=12x", "size=1mm", "mode=8", "mode=77777", "colour=blue",
             "size=99999999999999999999" })
        EXPECT_EQ(error_of(fs::tmpfs::parse_options(bad, 0)), EINVAL) << bad;
}

TEST_F(StorageTest, TmpfsSizeLimitAndStatistics)
{
    make_directory("/t");
    auto tmpfs = fs::tmpfs::try_create({ 4, 01777 }).release_value();
    ASSERT_EQ(error_of(vfs().mount(m_root_context, root(), "/t", tmpfs)), 0);
    EXPECT_EQ(tmpfs->name(), "tmpfs");
    fs::FileSystemStatistics statistics = tmpfs->statistics();
    EXPECT_EQ(statistics.magic, fs::magic::Tmpfs);
    EXPECT_EQ(statistics.blocks, 4u);
    EXPECT_EQ(statistics.free_blocks, 4u);
    {
        auto file = vfs()
                        .open(m_root_context, root(), "/t/f", fs::open_flag::ReadWrite | fs::open_flag::Create, 0644)
                        .release_value();
        std::string page(PAGE_SIZE, 'x');
        EXPECT_EQ(file->write(bytes_of(page)).value(), PAGE_SIZE);
        EXPECT_EQ(tmpfs->statistics().free_blocks, 3u);
        std::string rest(5 * PAGE_SIZE, 'y');
        auto written = file->write(bytes_of(rest));
        ASSERT_FALSE(written.is_error());
        EXPECT_EQ(written.value(), 3 * PAGE_SIZE) << "a short write up to the limit";
        EXPECT_EQ(error_of(file->write(bytes_of(rest))), ENOSPC);
        EXPECT_EQ(tmpfs->statistics().free_blocks, 0u);
        ASSERT_EQ(error_of(file->truncate(PAGE_SIZE)), 0);
        EXPECT_EQ(tmpfs->statistics().free_blocks, 3u) << "truncation frees pages";
        ASSERT_EQ(error_of(vfs().unlink(m_root_context, root(), "/t/f")), 0);
        EXPECT_EQ(tmpfs->statistics().free_blocks, 3u) << "an open unlinked file keeps its pages";
    }
    EXPECT_EQ(tmpfs->statistics().free_blocks, 4u) << "the last close frees them";
    fs::LinuxStatfs out = fs::statfs_of(*tmpfs);
    EXPECT_EQ(out.f_type, 0x01021994);
    EXPECT_EQ(out.f_bsize, 4096);
    EXPECT_EQ(out.f_blocks, 4u);
    EXPECT_EQ(out.f_namelen, 255);
    EXPECT_EQ(out.f_flags & fs::STATFS_FLAG_VALID, fs::STATFS_FLAG_VALID);
    EXPECT_EQ(error_of(vfs().unmount(m_root_context, root(), "/t")), 0);
}

TEST(Statfs, LayoutMatchesTheHost)
{
    static_assert(sizeof(fs::LinuxStatfs) == sizeof(struct statfs));
    EXPECT_EQ(offsetof(fs::LinuxStatfs, f_type), offsetof(struct statfs, f_type));
    EXPECT_EQ(offsetof(fs::LinuxStatfs, f_blocks), offsetof(struct statfs, f_blocks));
    EXPECT_EQ(offsetof(fs::LinuxStatfs, f_ffree), offsetof(struct statfs, f_ffree));
    EXPECT_EQ(offsetof(fs::LinuxStatfs, f_fsid), offsetof(struct statfs, f_fsid));
    EXPECT_EQ(offsetof(fs::LinuxStatfs, f_namelen), offsetof(struct statfs, f_namelen));
    EXPECT_EQ(offsetof(fs::LinuxStatfs, f_frsize), offsetof(struct statfs, f_frsize));
    EXPECT_EQ(offsetof(fs::LinuxStatfs, f_flags), offsetof(struct statfs, f_flags));
    EXPECT_EQ(fs::statfs_of(*fs::ramfs::RamFileSystem::try_create().release_value()).f_type, 0x858458f6);
}

// A cache that records what the data operations tell it and overlays a
// fixed byte at one offset.
class RecordingCache final : public fs::CachedPages {
public:
    void overlay_read(u64 offset, Bytes buffer) override
    {
        if (overlay_at >= offset && overlay_at < offset + buffer.size())
            buffer[overlay_at - offset] = '#';
    }
    void update_after_write(u64 offset, ReadonlyBytes data) override
    {
        writes.push_back({ offset, std::string(reinterpret_cast<const char*>(data.data()), data.size()) });
    }
    void update_after_truncate(u64 from) override { truncations.push_back(from); }

    u64 overlay_at { 2 };
    std::vector<std::pair<u64, std::string>> writes;
    std::vector<u64> truncations;
};

TEST_F(StorageTest, DataOperationsKeepTheCacheCoherent)
{
    write_file("/f", "abcdef");
    auto location = vfs().resolve(m_root_context, root(), "/f", fs::FollowFinal::Yes).release_value();
    auto* cache = new RecordingCache();
    location.vnode->set_cached_pages(cache); // the vnode deletes it
    u8 buffer[16] {};
    EXPECT_EQ(fs::read_data(*location.vnode, 0, { buffer, sizeof(buffer) }).value(), 6u);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(buffer), 6), "ab#def") << "cached bytes win";
    ASSERT_FALSE(fs::write_data(*location.vnode, 1, bytes_of("XY"), fs::WriteMode::AtOffset).is_error());
    ASSERT_FALSE(fs::write_data(*location.vnode, 0, bytes_of("tail"), fs::WriteMode::Append).is_error());
    ASSERT_EQ(cache->writes.size(), 2u);
    EXPECT_EQ(cache->writes[0], (std::pair<u64, std::string> { 1, "XY" }));
    EXPECT_EQ(cache->writes[1], (std::pair<u64, std::string> { 6, "tail" })) << "an append reports where it landed";
    ASSERT_FALSE(fs::truncate_data(*location.vnode, 3).is_error());
    ASSERT_FALSE(fs::truncate_data(*location.vnode, 20).is_error());
    EXPECT_EQ(cache->truncations, (std::vector<u64> { 3, 3 })) << "from the smaller of the old and new sizes";
    // The VFS's own paths go through the same operations.
    auto file = vfs().open(m_root_context, root(), "/f", fs::open_flag::ReadWrite, 0).release_value();
    ASSERT_FALSE(file->pwrite(0, bytes_of("Q")).is_error());
    EXPECT_EQ(cache->writes.back(), (std::pair<u64, std::string> { 0, "Q" }));
    ASSERT_FALSE(vfs().truncate(m_root_context, root(), "/f", 1).is_error());
    EXPECT_EQ(cache->truncations.back(), 1u);
}

class StringSink final : public FormatSink {
public:
    void write(StringView text) override { value.append(text.characters(), text.length()); }
    std::string value;
};

TEST_F(StorageTest, ProcMountsLines)
{
    make_directory("/with space");
    auto tmpfs = fs::tmpfs::try_create({ 256, 01777 }).release_value();
    ASSERT_EQ(error_of(vfs().mount(m_root_context, root(), "with space", tmpfs, "/with space", "my\\dev")), 0);
    RefPtr<fs::Mount> mounts[fs::MountTable::MAX_MOUNTS];
    usize count = vfs().mounts().snapshot({ mounts, fs::MountTable::MAX_MOUNTS });
    StringSink sink;
    fs::procfs::generate_mounts(sink, { mounts, count });
    EXPECT_EQ(
        sink.value, "rootfs / ramfs rw,relatime 0 0\nmy\\134dev /with\\040space tmpfs rw,relatime,size=1024k 0 0\n");
    for (auto& mount : mounts)
        mount.clear();
    EXPECT_EQ(error_of(vfs().unmount(m_root_context, root(), "/with space")), 0);
}

TEST(FileRegions, SplitKeepsOffsetsAndMergeNeedsContiguity)
{
    auto file_system = fs::ramfs::RamFileSystem::try_create().release_value();
    NonnullRefPtr<fs::Vnode> file = file_system->root();
    constexpr u64 P = PAGE_SIZE;
    auto region = [&](u64 base, u64 end, u64 offset) {
        user::Region result(base, end, user::Protection::Read, user::RegionKind::FileShared);
        result.file = file;
        result.file_offset = offset;
        return result;
    };
    u32 references = file->ref_count();
    user::RegionMap map;
    ASSERT_FALSE(map.insert(region(10 * P, 14 * P, 0)).is_error());
    ASSERT_FALSE(map.insert(region(14 * P, 16 * P, 4 * P)).is_error());
    ASSERT_EQ(map.regions().size(), 1u) << "contiguous offsets of one file merge";
    ASSERT_FALSE(map.insert(region(16 * P, 18 * P, 0)).is_error());
    ASSERT_EQ(map.regions().size(), 2u) << "a jump in the offset keeps them apart";
    ASSERT_FALSE(map.remove(12 * P, 13 * P).is_error());
    ASSERT_EQ(map.regions().size(), 3u);
    EXPECT_EQ(map.regions()[1].base, 13 * P);
    EXPECT_EQ(map.regions()[1].file_offset, 3 * P) << "the upper part of a split maps further into the file";
    EXPECT_EQ(map.find(15 * P)->offset_of(15 * P), 5 * P);
    EXPECT_EQ(file->ref_count(), references + 3) << "each region holds the vnode";
    map.clear();
    EXPECT_EQ(file->ref_count(), references);
}

} // namespace

namespace {

class NameCacheTest : public VfsTest {
protected:
    fs::Vnode* vnode_at(const char* path)
    {
        auto location = vfs().resolve(m_root_context, root(), path, fs::FollowFinal::Yes);
        return location.is_error() ? nullptr : location.value().vnode.ptr();
    }
};

TEST_F(NameCacheTest, RepeatedWalksHitTheCache)
{
    make_directory("/d");
    write_file("/d/f", "x");
    fs::Vnode* first = vnode_at("/d/f");
    u64 hits = vfs().name_cache().hits();
    EXPECT_EQ(vnode_at("/d/f"), first);
    EXPECT_EQ(vfs().name_cache().hits(), hits + 2) << "both components came from the cache";
}

TEST_F(NameCacheTest, RemovalsAndRenamesAreNeverServedStale)
{
    make_directory("/d");
    write_file("/d/f", "old");
    (void)vnode_at("/d/f");
    ASSERT_EQ(error_of(vfs().unlink(m_root_context, root(), "/d/f")), 0);
    EXPECT_EQ(resolve_error("/d/f"), ENOENT);
    write_file("/d/f", "new");
    EXPECT_EQ(read_file("/d/f"), "new");
    write_file("/d/g", "g");
    (void)vnode_at("/d/g");
    ASSERT_EQ(error_of(vfs().rename(m_root_context, root(), "/d/f", root(), "/d/g")), 0);
    EXPECT_EQ(read_file("/d/g"), "new") << "the replaced name resolves to the moved file";
    EXPECT_EQ(resolve_error("/d/f"), ENOENT);
    make_directory("/d/sub");
    (void)vnode_at("/d/sub");
    ASSERT_EQ(error_of(vfs().remove_directory(m_root_context, root(), "/d/sub")), 0);
    EXPECT_EQ(resolve_error("/d/sub"), ENOENT);
    write_file("/d/x", "x");
    write_file("/d/y", "y");
    (void)vnode_at("/d/x");
    (void)vnode_at("/d/y");
    ASSERT_EQ(error_of(vfs().rename(m_root_context, root(), "/d/x", root(), "/d/y", fs::rename_flag::Exchange)), 0);
    EXPECT_EQ(read_file("/d/x"), "y");
    EXPECT_EQ(read_file("/d/y"), "x");
}

TEST_F(NameCacheTest, AnUnlinkedFileIsFreedDespiteTheCache)
{
    write_file("/f", "x");
    (void)vnode_at("/f");
    i64 before = fs::live_vnode_count();
    ASSERT_EQ(error_of(vfs().unlink(m_root_context, root(), "/f")), 0);
    EXPECT_EQ(fs::live_vnode_count(), before - 1);
}

TEST_F(NameCacheTest, UnmountDropsTheFilesystemsEntries)
{
    make_directory("/m");
    i64 before = fs::live_vnode_count();
    {
        auto tmpfs = fs::tmpfs::try_create({ 0, 01777 }).release_value();
        ASSERT_EQ(error_of(vfs().mount(m_root_context, root(), "/m", tmpfs)), 0);
    }
    make_directory("/m/a");
    write_file("/m/a/b", "b");
    (void)vnode_at("/m/a/b");
    ASSERT_EQ(error_of(vfs().unmount(m_root_context, root(), "/m")), 0);
    EXPECT_EQ(fs::live_vnode_count(), before) << "the tmpfs and every vnode it had are gone";
}

TEST(NameCache, ALookupOlderThanAForgetIsNotCached)
{
    auto file_system = fs::ramfs::RamFileSystem::try_create().release_value();
    NonnullRefPtr<fs::Vnode> directory = file_system->root();
    auto child = directory->create("n", 0644, 0, { 0, 0 }).release_value();
    fs::NameCache cache;
    u64 generation = cache.generation();
    cache.forget(*directory, "n");
    cache.insert(*directory, "n", *child, generation);
    EXPECT_FALSE(cache.find(*directory, "n")) << "the racing insert was dropped";
    cache.insert(*directory, "n", *child, cache.generation());
    EXPECT_EQ(cache.find(*directory, "n").ptr(), child.ptr());
    std::string long_name(fs::NameCache::MAX_CACHED_NAME + 1, 'l');
    cache.insert(*directory, StringView(long_name.data(), long_name.size()), *child, cache.generation());
    EXPECT_FALSE(cache.find(*directory, StringView(long_name.data(), long_name.size())));
    cache.clear();
    EXPECT_EQ(child->ref_count(), 2u) << "the directory's entry and ours";
}

} // namespace

namespace {

TEST_F(NameCacheTest, CachedNamesStillNeedSearchPermission)
{
    make_directory("/d");
    write_file("/d/f", "x");
    EXPECT_EQ(resolve_error("/d/f"), 0); // cached now
    fs::AttributeChange change;
    change.set_mode = true;
    change.mode = 0700;
    ASSERT_EQ(error_of(vfs().change_attributes(m_root_context, root(), "/d", change, fs::FollowFinal::Yes)), 0);
    EXPECT_EQ(error_of(vfs().resolve(m_user_context, root(), "/d/f", fs::FollowFinal::Yes)), EACCES);
}

TEST_F(StorageTest, SupplementaryGroupsGrantTheGroupTriple)
{
    write_file("/g", "secret", 0640);
    fs::AttributeChange change;
    change.set_gid = true;
    change.gid = 50;
    ASSERT_EQ(error_of(vfs().change_attributes(m_root_context, root(), "/g", change, fs::FollowFinal::Yes)), 0);
    fs::Context member = m_user_context;
    member.credentials.groups[0] = 50;
    member.credentials.group_count = 1;
    EXPECT_EQ(read_file("/g", &member), "secret");
    EXPECT_EQ(read_file("/g", &m_user_context), "<EACCES>");
    EXPECT_EQ(error_of(vfs().open(member, root(), "/g", fs::open_flag::WriteOnly, 0)), EACCES) << "r-- for the group";
}

TEST_F(StorageTest, MovingADirectoryNeedsWriteOnIt)
{
    make_directory("/from", 0777);
    make_directory("/to", 0777);
    make_directory("/from/locked", 0555);
    make_directory("/from/open", 0777);
    fs::AttributeChange owner;
    owner.set_uid = true;
    owner.uid = 1000;
    ASSERT_EQ(
        error_of(vfs().change_attributes(m_root_context, root(), "/from/locked", owner, fs::FollowFinal::Yes)), 0);
    EXPECT_EQ(error_of(vfs().rename(m_user_context, root(), "/from/locked", root(), "/to/locked")), EACCES)
        << "its .. would change";
    EXPECT_EQ(error_of(vfs().rename(m_user_context, root(), "/from/locked", root(), "/from/renamed")), 0)
        << "within one parent .. stays";
    EXPECT_EQ(error_of(vfs().rename(m_user_context, root(), "/from/open", root(), "/to/open")), 0);
}

} // namespace
