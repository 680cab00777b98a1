// ext4 under the VFS: mounted over a ramfs directory, used through paths,
// open files and getdents-style listings, with ".." crossing back out of the
// mount, then unmounted (EBUSY while a file is open) and checked by e2fsck.
#include "Ext4Fixture.h"
#include <fs/ramfs/RamFileSystem.h>
#include <fs/vfs/Vfs.h>

namespace {

using namespace ext4_test;

TEST_F(ImageTest, WorksUnderTheVfs)
{
    REQUIRE_E2FSPROGS();
    std::string image = path("image");
    ASSERT_EQ(make_image(image, 32, ""), "");
    ASSERT_FALSE(mount(image).is_error());
    {
        fs::Vfs vfs;
        ASSERT_FALSE(vfs.mount_root(fs::ramfs::RamFileSystem::try_create(0755).release_value()).is_error());
        fs::Context context { vfs.root(), fs::Credentials::root() };
        ASSERT_FALSE(vfs.make_directory(context, vfs.root(), "/mnt", 0755).is_error());
        ASSERT_FALSE(vfs.mount(context, vfs.root(), "/mnt", *m_file_system).is_error());

        ASSERT_FALSE(vfs.make_directory(context, vfs.root(), "/mnt/dir", 0750).is_error());
        std::string text = "through the VFS\n";
        {
            auto file = vfs.open(context, vfs.root(), "/mnt/dir/file",
                fs::open_flag::Create | fs::open_flag::ReadWrite | fs::open_flag::Exclusive, 0640);
            ASSERT_FALSE(file.is_error());
            ASSERT_EQ(file.value()->write({ reinterpret_cast<const u8*>(text.data()), text.size() }).release_value(),
                text.size());
            // Busy while the file is open.
            EXPECT_EQ(vfs.unmount(context, vfs.root(), "/mnt").error().code(), EBUSY);
        }
        auto reopened = vfs.open(context, vfs.root(), "/mnt/dir/../dir/file", fs::open_flag::ReadOnly, 0);
        ASSERT_FALSE(reopened.is_error());
        u8 buffer[64] = {};
        ASSERT_EQ(reopened.value()->read({ buffer, sizeof(buffer) }).release_value(), text.size());
        EXPECT_EQ(std::string(reinterpret_cast<char*>(buffer), text.size()), text);

        ASSERT_FALSE(vfs.symlink(context, "dir/file", vfs.root(), "/mnt/link").is_error());
        auto through_link = vfs.stat(context, vfs.root(), "/mnt/link", fs::FollowFinal::Yes);
        ASSERT_FALSE(through_link.is_error());
        EXPECT_EQ(through_link.value().size, text.size());
        EXPECT_EQ(through_link.value().mode, fs::mode::Regular | 0640);
        ASSERT_FALSE(vfs.rename(context, vfs.root(), "/mnt/dir/file", vfs.root(), "/mnt/moved").is_error());
        EXPECT_EQ(vfs.stat(context, vfs.root(), "/mnt/link", fs::FollowFinal::Yes).error().code(), ENOENT);
        // ".." at the mount's root leads back to the ramfs.
        auto up = vfs.resolve(context, vfs.root(), "/mnt/..", fs::FollowFinal::Yes);
        ASSERT_FALSE(up.is_error());
        EXPECT_EQ(up.value().vnode, vfs.root().vnode);
        // A listing through the open-file interface.
        auto directory = vfs.open(context, vfs.root(), "/mnt", fs::open_flag::ReadOnly | fs::open_flag::Directory, 0);
        ASSERT_FALSE(directory.is_error());
        u8 entries[4096];
        auto listed = directory.value()->read_directory({ entries, sizeof(entries) });
        ASSERT_FALSE(listed.is_error());
        std::string names(reinterpret_cast<char*>(entries), listed.value());
        for (const char* name : { "lost+found", "dir", "link", "moved" })
            EXPECT_NE(names.find(name), std::string::npos) << name;
        // EXDEV across filesystems.
        EXPECT_EQ(vfs.rename(context, vfs.root(), "/mnt/moved", vfs.root(), "/moved").error().code(), EXDEV);

        {
            auto dropped = reopened.release_value();
        }
        {
            auto dropped = directory.release_value();
        }
        ASSERT_FALSE(vfs.unmount(context, vfs.root(), "/mnt").is_error());
        context = {};
        vfs.unmount_all();
    }
    ASSERT_FALSE(unmount().is_error());
    std::string report;
    EXPECT_TRUE(fsck_clean(image, &report)) << report;
    EXPECT_NE(debugfs(image, "cat /moved").find("through the VFS"), std::string::npos);
}

} // namespace
