// Path resolution: ., .., repeated and trailing slashes, symlinks (absolute,
// relative, chains, loops), name and path length limits, mounts crossed both
// ways, and a process root that ".." cannot leave.
#include "FsTestSupport.h"

#include <fs/ramfs/RamFileSystem.h>
#include <string>

using namespace fs_test;

namespace {

class PathWalkTest : public VfsTest {
protected:
    void SetUp() override
    {
        VfsTest::SetUp();
        make_directory("/a");
        make_directory("/a/b");
        make_directory("/a/b/c");
        write_file("/a/b/file", "content");
    }

    u64 inode_of(const char* path, fs::FollowFinal follow = fs::FollowFinal::Yes)
    {
        auto location = vfs().resolve(m_root_context, root(), path, follow);
        EXPECT_FALSE(location.is_error()) << path << ": " << lib::errno_name(location.error().code());
        return location.is_error() ? 0 : location.value().vnode->inode_number();
    }
};

TEST_F(PathWalkTest, DotDotDotAndRepeatedSlashes)
{
    u64 c = inode_of("/a/b/c");
    EXPECT_EQ(inode_of("//a///b/./c"), c);
    EXPECT_EQ(inode_of("/a/b/c/."), c);
    EXPECT_EQ(inode_of("/a/b/c/../c"), c);
    EXPECT_EQ(inode_of("/a/./b/../b/c/"), c);
    EXPECT_EQ(inode_of("/"), root().vnode->inode_number());
    EXPECT_EQ(inode_of("/.."), root().vnode->inode_number()) << ".. at the root stays at the root";
    EXPECT_EQ(inode_of("/../../a/.."), root().vnode->inode_number());
}

TEST_F(PathWalkTest, RelativeToBase)
{
    auto base = vfs().resolve(m_root_context, root(), "/a/b", fs::FollowFinal::Yes).release_value();
    auto file = vfs().resolve(m_root_context, base, "file", fs::FollowFinal::Yes);
    ASSERT_FALSE(file.is_error());
    EXPECT_EQ(file.value().vnode->inode_number(), inode_of("/a/b/file"));
    auto up = vfs().resolve(m_root_context, base, "../..", fs::FollowFinal::Yes);
    ASSERT_FALSE(up.is_error());
    EXPECT_EQ(up.value().vnode, root().vnode);
    auto absolute = vfs().resolve(m_root_context, base, "/a", fs::FollowFinal::Yes);
    ASSERT_FALSE(absolute.is_error());
    EXPECT_EQ(absolute.value().vnode->inode_number(), inode_of("/a"));
}

TEST_F(PathWalkTest, MissingAndNonDirectoryComponents)
{
    EXPECT_EQ(resolve_error(""), ENOENT);
    EXPECT_EQ(resolve_error("/a/missing"), ENOENT);
    EXPECT_EQ(resolve_error("/a/missing/x"), ENOENT);
    EXPECT_EQ(resolve_error("/a/b/file/x"), ENOTDIR);
    EXPECT_EQ(resolve_error("/a/b/file/"), ENOTDIR) << "a trailing slash needs a directory";
    EXPECT_EQ(resolve_error("/a/b/file/."), ENOTDIR);
    EXPECT_EQ(resolve_error("/a/b/file"), 0);
    EXPECT_EQ(resolve_error("/a/b/c/"), 0);
}

TEST_F(PathWalkTest, NameAndPathLengthLimits)
{
    std::string longest(255, 'n');
    write_file(("/a/" + longest).c_str(), "x");
    EXPECT_EQ(resolve_error(("/a/" + longest).c_str()), 0);
    EXPECT_EQ(resolve_error(("/a/" + longest + "n").c_str()), ENAMETOOLONG);
    EXPECT_EQ(resolve_error(("/missing/" + longest + "n").c_str()), ENOENT) << "the walk fails at the first problem";

    // 4095 bytes is the longest path (PATH_MAX counts the NUL).
    std::string path = "/a" + std::string(4092, '/') + "b";
    ASSERT_EQ(path.size(), 4095u);
    EXPECT_EQ(resolve_error(path.c_str()), 0);
    path += "/";
    EXPECT_EQ(resolve_error(path.c_str()), ENAMETOOLONG);
}

TEST_F(PathWalkTest, SymlinksAbsoluteAndRelative)
{
    symlink("/a/b", "/abs");
    symlink("b/c", "/a/rel");
    symlink("../file", "/a/b/c/up");
    symlink("/abs/c", "/chain");
    EXPECT_EQ(inode_of("/abs/file"), inode_of("/a/b/file"));
    EXPECT_EQ(inode_of("/a/rel"), inode_of("/a/b/c"));
    EXPECT_EQ(inode_of("/a/rel/up"), inode_of("/a/b/file"));
    EXPECT_EQ(inode_of("/chain/up"), inode_of("/a/b/file"));
    EXPECT_EQ(inode_of("/a/rel/.."), inode_of("/a/b")) << ".. after a symlink is the target's parent";

    auto link = vfs().resolve(m_root_context, root(), "/abs", fs::FollowFinal::No);
    ASSERT_FALSE(link.is_error());
    EXPECT_TRUE(link.value().vnode->is_symlink()) << "the final link is not followed when not asked";
    auto through = vfs().resolve(m_root_context, root(), "/abs/", fs::FollowFinal::No);
    ASSERT_FALSE(through.is_error());
    EXPECT_TRUE(through.value().vnode->is_directory()) << "a trailing slash follows the final link";
}

TEST_F(PathWalkTest, DanglingAndEmptyTargets)
{
    symlink("/nowhere", "/dangling");
    EXPECT_EQ(resolve_error("/dangling"), ENOENT);
    EXPECT_EQ(resolve_error("/dangling", fs::FollowFinal::No), 0);
    EXPECT_EQ(error_of(vfs().symlink(m_root_context, "", root(), "/empty")), ENOENT);
}

TEST_F(PathWalkTest, SymlinkLoopsGiveEloop)
{
    symlink("/loop2", "/loop1");
    symlink("/loop1", "/loop2");
    symlink("self", "/self");
    EXPECT_EQ(resolve_error("/loop1"), ELOOP);
    EXPECT_EQ(resolve_error("/self/x"), ELOOP);
    EXPECT_EQ(resolve_error("/loop1", fs::FollowFinal::No), 0);

    // A chain of exactly 40 links resolves; 41 is too many (Linux MAXSYMLINKS).
    write_file("/target", "t");
    symlink("/target", "/l0");
    for (int i = 1; i <= 40; ++i)
        symlink(("/l" + std::to_string(i - 1)).c_str(), ("/l" + std::to_string(i)).c_str());
    EXPECT_EQ(resolve_error("/l39"), 0) << "40 hops";
    EXPECT_EQ(resolve_error("/l40"), ELOOP) << "41 hops";
}

TEST_F(PathWalkTest, SearchPermissionOnEveryDirectory)
{
    make_directory("/private", 0700);
    write_file("/private/secret", "s");
    EXPECT_EQ(error_of(vfs().resolve(m_user_context, root(), "/private/secret", fs::FollowFinal::Yes)), EACCES);
    EXPECT_EQ(error_of(vfs().resolve(m_user_context, root(), "/private", fs::FollowFinal::Yes)), 0)
        << "the last component needs no search permission";
    EXPECT_EQ(error_of(vfs().resolve(m_root_context, root(), "/private/secret", fs::FollowFinal::Yes)), 0);
}

TEST_F(PathWalkTest, MountsAreCrossedDownAndUp)
{
    make_directory("/mnt");
    auto other = fs::ramfs::RamFileSystem::try_create(0755).release_value();
    ASSERT_EQ(error_of(other->root()->make_directory("inner", 0755, { 0, 0 })), 0);
    ASSERT_EQ(error_of(vfs().mount(m_root_context, root(), "/mnt", other)), 0);

    auto mounted = vfs().resolve(m_root_context, root(), "/mnt", fs::FollowFinal::Yes).release_value();
    EXPECT_EQ(mounted.vnode.ptr(), other->root().ptr()) << "the mount point shows the mounted root";
    auto inner = vfs().resolve(m_root_context, root(), "/mnt/inner", fs::FollowFinal::Yes);
    ASSERT_FALSE(inner.is_error());
    EXPECT_EQ(&inner.value().vnode->file_system(), other.ptr());
    EXPECT_EQ(inode_of("/mnt/.."), root().vnode->inode_number()) << ".. at a mount root leaves the mount";
    EXPECT_EQ(inode_of("/mnt/inner/../../a"), inode_of("/a"));

    auto base = inner.release_value();
    {
        auto out = vfs().resolve(m_root_context, base, "../../a/b", fs::FollowFinal::Yes);
        ASSERT_FALSE(out.is_error());
        EXPECT_EQ(out.value().vnode->inode_number(), inode_of("/a/b"));
    }

    // A symlink in the root filesystem into the mount and back.
    symlink("/mnt/inner", "/into");
    EXPECT_EQ(inode_of("/into/.."), other->root()->inode_number());

    // Busy while a location inside is held; free afterwards.
    EXPECT_EQ(error_of(vfs().unmount(m_root_context, root(), "/mnt")), EBUSY);
    base = {};
    mounted = {};
    EXPECT_EQ(error_of(vfs().unmount(m_root_context, root(), "/mnt/inner")), EINVAL) << "not a mount root";
    EXPECT_EQ(error_of(vfs().unmount(m_root_context, root(), "/mnt")), 0);
    EXPECT_EQ(resolve_error("/mnt/inner"), ENOENT) << "the covered directory is back";
}

TEST_F(PathWalkTest, StackedMounts)
{
    make_directory("/mnt");
    auto first = fs::ramfs::RamFileSystem::try_create(0755).release_value();
    auto second = fs::ramfs::RamFileSystem::try_create(0755).release_value();
    ASSERT_EQ(error_of(first->root()->make_directory("one", 0755, { 0, 0 })), 0);
    ASSERT_EQ(error_of(second->root()->make_directory("two", 0755, { 0, 0 })), 0);
    ASSERT_EQ(error_of(vfs().mount(m_root_context, root(), "/mnt", first)), 0);
    ASSERT_EQ(error_of(vfs().mount(m_root_context, root(), "/mnt", second)), 0);
    EXPECT_EQ(resolve_error("/mnt/two"), 0);
    EXPECT_EQ(resolve_error("/mnt/one"), ENOENT);
    EXPECT_EQ(inode_of("/mnt/two/../.."), root().vnode->inode_number()) << ".. climbs through both mounts";
    EXPECT_EQ(error_of(vfs().mount(m_root_context, root(), "/a", first)), EBUSY) << "one filesystem, one mount";
    EXPECT_EQ(error_of(vfs().unmount(m_root_context, root(), "/mnt")), 0);
    EXPECT_EQ(resolve_error("/mnt/one"), 0) << "the lower mount shows again";
    EXPECT_EQ(vfs().mounts().count(), 2u);
}

TEST_F(PathWalkTest, ProcessRootIsACeiling)
{
    auto jail_root = vfs().resolve(m_root_context, root(), "/a", fs::FollowFinal::Yes).release_value();
    fs::Context jailed { jail_root, fs::Credentials::root() };
    auto up = vfs().resolve(jailed, jail_root, "../../..", fs::FollowFinal::Yes);
    ASSERT_FALSE(up.is_error());
    EXPECT_EQ(up.value().vnode, jail_root.vnode);
    auto absolute = vfs().resolve(jailed, jail_root, "/b/file", fs::FollowFinal::Yes);
    ASSERT_FALSE(absolute.is_error()) << "absolute paths start at the process root";
    EXPECT_EQ(absolute.value().vnode->inode_number(), inode_of("/a/b/file"));
}

TEST_F(PathWalkTest, ResolveParentReportsTheLastComponent)
{
    auto where = vfs().resolve_parent(m_root_context, root(), "/a/b/newname/");
    ASSERT_FALSE(where.is_error());
    EXPECT_EQ(where.value().name(), StringView("newname"));
    EXPECT_TRUE(where.value().trailing_slash);
    EXPECT_EQ(where.value().parent.vnode->inode_number(), inode_of("/a/b"));

    symlink("/a/b", "/link");
    auto through = vfs().resolve_parent(m_root_context, root(), "/link/x");
    ASSERT_FALSE(through.is_error());
    EXPECT_EQ(through.value().parent.vnode->inode_number(), inode_of("/a/b")) << "inner links are followed";
    auto final_link = vfs().resolve_parent(m_root_context, root(), "/link");
    ASSERT_FALSE(final_link.is_error());
    EXPECT_EQ(final_link.value().name(), StringView("link")) << "the final link is not";

    EXPECT_EQ(vfs().resolve_parent(m_root_context, root(), "/").value().kind, fs::ParentAndName::Kind::Dot);
    EXPECT_EQ(vfs().resolve_parent(m_root_context, root(), "/a/..").value().kind, fs::ParentAndName::Kind::DotDot);
}

} // namespace
