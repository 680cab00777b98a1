// dir_nlink: a hashed directory with more than 65,000 subdirectories stores
// link count 1 (and the filesystem gets the dir_nlink feature), which rmdir
// keeps; e2fsck accepts it. A linear directory at 65,000 links refuses more
// subdirectories with EMLINK, for mkdir and for rename.
#include "Ext4Fixture.h"

namespace {

using namespace ext4_test;

constexpr u32 LINK_MAX = 65000;

StringView view(const std::string& text)
{
    return { text.data(), text.size() };
}

bool has_dir_nlink(ext4::Ext4FileSystem& fs)
{
    return fs.geometry().has_ro_compat(ext4::ro_compat::DIR_NLINK);
}

TEST_F(ImageTest, HashedDirectoryPastTheLinkLimitCountsOne)
{
    REQUIRE_E2FSPROGS();
    std::string image = path("image");
    // Without dir_nlink at first: the filesystem must turn it on.
    ASSERT_EQ(make_image(image, 160, "-b 1024 -N 70000 -O ^dir_nlink"), "");
    ASSERT_FALSE(mount(image, false, 16 << 20).is_error());
    ASSERT_FALSE(has_dir_nlink(*m_file_system));
    RefPtr<fs::Vnode> parent = root()->make_directory("parent", 0755, { 0, 0 }).release_value();
    u32 made = 0;
    for (; made < LINK_MAX - 2; ++made)
        ASSERT_FALSE(parent->make_directory(view("d" + std::to_string(made)), 0755, { 0, 0 }).is_error()) << made;
    EXPECT_EQ(parent->attributes().link_count, LINK_MAX);
    EXPECT_FALSE(has_dir_nlink(*m_file_system));
    for (; made < LINK_MAX + 10; ++made)
        ASSERT_FALSE(parent->make_directory(view("d" + std::to_string(made)), 0755, { 0, 0 }).is_error()) << made;
    EXPECT_EQ(parent->attributes().link_count, 1u);
    EXPECT_TRUE(has_dir_nlink(*m_file_system));
    // rmdir leaves 1 alone.
    for (u32 i = 0; i < 20; ++i)
        ASSERT_FALSE(parent->remove_directory(view("d" + std::to_string(i))).is_error());
    EXPECT_EQ(parent->attributes().link_count, 1u);
    // A directory moved in from elsewhere: still 1, and its old parent drops one.
    RefPtr<fs::Vnode> other = root()->make_directory("other", 0755, { 0, 0 }).release_value();
    ASSERT_FALSE(other->make_directory("moving", 0755, { 0, 0 }).is_error());
    ASSERT_FALSE(other->rename("moving", *parent, "moved").is_error());
    EXPECT_EQ(parent->attributes().link_count, 1u);
    EXPECT_EQ(other->attributes().link_count, 2u);
    parent.clear();
    other.clear();
    ASSERT_FALSE(unmount().is_error());
    std::string report;
    EXPECT_TRUE(fsck_clean(image, &report)) << report;
    EXPECT_NE(debugfs(image, "stats").find("dir_nlink"), std::string::npos);
    EXPECT_NE(debugfs(image, "stat /parent").find("Links: 1 "), std::string::npos);
}

TEST_F(ImageTest, LinearDirectoryAtTheLinkLimitRefusesSubdirectories)
{
    REQUIRE_E2FSPROGS();
    std::string image = path("image");
    ASSERT_EQ(make_image(image, 16, "-O ^dir_index"), "");
    ASSERT_FALSE(mount(image).is_error());
    RefPtr<fs::Vnode> full = root()->make_directory("full", 0755, { 0, 0 }).release_value();
    RefPtr<fs::Vnode> other = root()->make_directory("other", 0755, { 0, 0 }).release_value();
    ASSERT_FALSE(other->make_directory("moving", 0755, { 0, 0 }).is_error());
    for (int i = 0; i < 200; ++i)
        ASSERT_FALSE(full->make_directory(view("sub" + std::to_string(i)), 0755, { 0, 0 }).is_error());
    full.clear();
    other.clear();
    ASSERT_FALSE(unmount().is_error());
    // Many subdirectories of a linear directory take long to make: the
    // count is set to the limit directly (the image is not checked after).
    ASSERT_EQ(debugfs(image, "stat /full").find("Links: 202 ") != std::string::npos, true);
    std::string output;
    ASSERT_EQ(run_command(find_tool("debugfs") + " -w -R " + shell_quote("sif /full links_count 65000") + " "
                      + shell_quote(image),
                  &output),
        0)
        << output;
    ASSERT_FALSE(mount(image).is_error());
    full = root()->lookup("full").release_value();
    other = root()->lookup("other").release_value();
    EXPECT_FALSE(static_cast<ext4::Ext4Vnode&>(*full).inode().has_flag(ext4::inode_flag::INDEX));
    EXPECT_EQ(full->attributes().link_count, LINK_MAX);
    EXPECT_EQ(full->make_directory("one_more", 0755, { 0, 0 }).error().code(), EMLINK);
    EXPECT_EQ(other->rename("moving", *full, "moved").error().code(), EMLINK);
    // Files and removals still work; after one rmdir there is room again.
    EXPECT_FALSE(full->create("file", 0644, 0, { 0, 0 }).is_error());
    ASSERT_FALSE(full->remove_directory("sub0").is_error());
    EXPECT_EQ(full->attributes().link_count, LINK_MAX - 1);
    EXPECT_FALSE(full->make_directory("one_more", 0755, { 0, 0 }).is_error());
    EXPECT_EQ(full->attributes().link_count, LINK_MAX);
}

} // namespace
