// Permission checks: the owner/group/other triples, supplementary groups,
// root's bypass (read and write always, execute only with some x bit), the
// sticky directory rule, chmod/chown rules, and how the VFS applies them to
// open, create, unlink and rename.
#include "FsTestSupport.h"

#include <fs/vfs/Permissions.h>

using namespace fs_test;

namespace {

fs::Attributes file_with(u32 mode, u32 uid, u32 gid)
{
    fs::Attributes attributes;
    attributes.mode = fs::mode::Regular | mode;
    attributes.uid = uid;
    attributes.gid = gid;
    return attributes;
}

int access_error(const fs::Attributes& attributes, const fs::Credentials& credentials, u32 wanted)
{
    return error_of(fs::check_access(attributes, credentials, wanted));
}

constexpr u32 R = fs::access::Read;
constexpr u32 W = fs::access::Write;
constexpr u32 X = fs::access::Execute;

TEST(Permissions, OwnerGroupOtherTriples)
{
    auto file = file_with(0640, 100, 200);
    auto owner = fs::Credentials::user(100, 999);
    auto member = fs::Credentials::user(101, 200);
    auto other = fs::Credentials::user(102, 300);
    EXPECT_EQ(access_error(file, owner, R | W), 0);
    EXPECT_EQ(access_error(file, owner, X), EACCES);
    EXPECT_EQ(access_error(file, member, R), 0);
    EXPECT_EQ(access_error(file, member, W), EACCES);
    EXPECT_EQ(access_error(file, other, R), EACCES);

    // The owner's triple decides for the owner even when others may do more.
    auto inverted = file_with(0077, 100, 200);
    EXPECT_EQ(access_error(inverted, owner, R), EACCES);
    EXPECT_EQ(access_error(inverted, other, R | W | X), 0);

    other.groups[0] = 200;
    other.group_count = 1;
    EXPECT_EQ(access_error(file, other, R), 0) << "a supplementary group counts";
}

TEST(Permissions, RootBypassesExceptExecuteWithoutAnyXBit)
{
    auto root = fs::Credentials::root();
    EXPECT_EQ(access_error(file_with(0000, 5, 5), root, R | W), 0);
    EXPECT_EQ(access_error(file_with(0000, 5, 5), root, X), EACCES);
    EXPECT_EQ(access_error(file_with(0001, 5, 5), root, X), 0) << "any x bit lets root execute";
    fs::Attributes directory;
    directory.mode = fs::mode::Directory | 0000;
    EXPECT_EQ(access_error(directory, root, X), 0) << "root searches any directory";
}

TEST(Permissions, StickyDirectories)
{
    fs::Attributes tmp;
    tmp.mode = fs::mode::Directory | 01777;
    tmp.uid = 0;
    auto victim = file_with(0644, 100, 100);
    EXPECT_EQ(error_of(fs::check_sticky(tmp, victim, fs::Credentials::user(100, 1))), 0) << "the file's owner";
    EXPECT_EQ(error_of(fs::check_sticky(tmp, victim, fs::Credentials::user(101, 1))), EPERM);
    EXPECT_EQ(error_of(fs::check_sticky(tmp, victim, fs::Credentials::root())), 0);
    tmp.uid = 101;
    EXPECT_EQ(error_of(fs::check_sticky(tmp, victim, fs::Credentials::user(101, 1))), 0) << "the directory's owner";
    tmp.mode = fs::mode::Directory | 0777;
    EXPECT_EQ(error_of(fs::check_sticky(tmp, victim, fs::Credentials::user(102, 1))), 0) << "not sticky";
}

TEST(Permissions, ChangeRules)
{
    auto file = file_with(0644, 100, 200);
    auto owner = fs::Credentials::user(100, 200);
    owner.groups[0] = 201;
    owner.group_count = 1;
    fs::AttributeChange chmod;
    chmod.set_mode = true;
    chmod.mode = 0600;
    EXPECT_EQ(error_of(fs::check_change(file, chmod, owner)), 0);
    EXPECT_EQ(error_of(fs::check_change(file, chmod, fs::Credentials::user(101, 200))), EPERM);
    fs::AttributeChange chown;
    chown.set_uid = true;
    chown.uid = 101;
    EXPECT_EQ(error_of(fs::check_change(file, chown, owner)), EPERM);
    EXPECT_EQ(error_of(fs::check_change(file, chown, fs::Credentials::root())), 0);
    fs::AttributeChange chgrp;
    chgrp.set_gid = true;
    chgrp.gid = 201;
    EXPECT_EQ(error_of(fs::check_change(file, chgrp, owner)), 0) << "to one of the owner's groups";
    chgrp.gid = 202;
    EXPECT_EQ(error_of(fs::check_change(file, chgrp, owner)), EPERM);
}

class VfsPermissionTest : public VfsTest { };

TEST_F(VfsPermissionTest, OpenNeedsTheMatchingBits)
{
    write_file("/secret", "s", 0600);
    write_file("/public", "p", 0644);
    EXPECT_EQ(read_file("/secret", &m_user_context), "<EACCES>");
    EXPECT_EQ(read_file("/public", &m_user_context), "p");
    EXPECT_EQ(error_of(vfs().open(m_user_context, root(), "/public", fs::open_flag::WriteOnly, 0)), EACCES);
    EXPECT_EQ(
        error_of(vfs().open(m_user_context, root(), "/public", fs::open_flag::ReadOnly | fs::open_flag::Truncate, 0)),
        EACCES)
        << "O_TRUNC needs write permission";
    EXPECT_EQ(read_file("/secret"), "s") << "root reads anything";
    EXPECT_EQ(error_of(vfs().check_access(m_user_context, root(), "/public", fs::access::Read)), 0);
    EXPECT_EQ(error_of(vfs().check_access(m_user_context, root(), "/public", fs::access::Write)), EACCES);
}

TEST_F(VfsPermissionTest, CreatingAndRemovingNeedAWritableDirectory)
{
    make_directory("/ro", 0755);
    make_directory("/mine", 0777);
    EXPECT_EQ(
        error_of(vfs().open(m_user_context, root(), "/ro/f", fs::open_flag::Create | fs::open_flag::WriteOnly, 0644)),
        EACCES);
    EXPECT_EQ(error_of(vfs().make_directory(m_user_context, root(), "/ro/d", 0755)), EACCES);
    EXPECT_EQ(error_of(vfs().make_directory(m_user_context, root(), "/ro", 0755)), EEXIST)
        << "existence is found first";
    ASSERT_FALSE(vfs()
                     .open(m_user_context, root(), "/mine/f", fs::open_flag::Create | fs::open_flag::WriteOnly, 0400)
                     .is_error())
        << "a file just made opens whatever its mode";
    auto attributes = vfs().stat(m_root_context, root(), "/mine/f", fs::FollowFinal::Yes).value();
    EXPECT_EQ(attributes.uid, 1000u);
    EXPECT_EQ(attributes.gid, 1000u);
    EXPECT_EQ(attributes.mode & 0777, 0400u);

    write_file("/ro/file", "x");
    EXPECT_EQ(error_of(vfs().unlink(m_user_context, root(), "/ro/file")), EACCES);
    EXPECT_EQ(error_of(vfs().rename(m_user_context, root(), "/ro/file", root(), "/mine/file")), EACCES);
    EXPECT_EQ(error_of(vfs().unlink(m_user_context, root(), "/mine/f")), 0);
}

TEST_F(VfsPermissionTest, StickyTmpProtectsOthersFiles)
{
    make_directory("/tmp", 01777);
    write_file("/tmp/roots", "r");
    EXPECT_EQ(error_of(vfs().unlink(m_user_context, root(), "/tmp/roots")), EPERM);
    auto other_user = m_user_context;
    other_user.credentials = fs::Credentials::user(1001, 1001);
    ASSERT_FALSE(vfs()
                     .open(m_user_context, root(), "/tmp/users", fs::open_flag::Create | fs::open_flag::WriteOnly, 0666)
                     .is_error());
    EXPECT_EQ(error_of(vfs().rename(other_user, root(), "/tmp/users", root(), "/tmp/stolen")), EPERM);
    EXPECT_EQ(error_of(vfs().unlink(m_user_context, root(), "/tmp/users")), 0);
}

TEST_F(VfsPermissionTest, SetgidDirectoriesAndChmod)
{
    make_directory("/shared", 02777);
    EXPECT_EQ(vfs().stat(m_root_context, root(), "/shared", fs::FollowFinal::Yes).value().mode & 07777, 0777u)
        << "mkdir drops setgid from the mode it is given (Linux)";
    fs::AttributeChange setgid;
    setgid.set_mode = true;
    setgid.mode = 02777;
    setgid.set_gid = true;
    setgid.gid = 500;
    ASSERT_EQ(error_of(vfs().change_attributes(m_root_context, root(), "/shared", setgid, fs::FollowFinal::Yes)), 0);
    ASSERT_EQ(error_of(vfs().make_directory(m_user_context, root(), "/shared/sub", 0755)), 0);
    auto sub = vfs().stat(m_root_context, root(), "/shared/sub", fs::FollowFinal::Yes).value();
    EXPECT_EQ(sub.gid, 500u) << "a setgid directory passes on its group";
    EXPECT_TRUE(sub.mode & fs::mode::SetGid) << "and its setgid bit to subdirectories";

    fs::AttributeChange chmod;
    chmod.set_mode = true;
    chmod.mode = 02755;
    ASSERT_EQ(error_of(vfs().change_attributes(m_user_context, root(), "/shared/sub", chmod, fs::FollowFinal::Yes)), 0);
    sub = vfs().stat(m_root_context, root(), "/shared/sub", fs::FollowFinal::Yes).value();
    EXPECT_EQ(sub.mode & 07777, 0755u) << "a non-member's chmod drops setgid";
}

} // namespace
