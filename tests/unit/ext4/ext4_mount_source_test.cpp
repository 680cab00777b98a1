// mount(2)'s path to ext4: a source naming a registered block device.
#include "Ext4Fixture.h"
#include <fs/ext4/MountSource.h>

namespace {

using namespace ext4_test;

TEST_F(ImageTest, MountSourceFindsRegisteredDevices)
{
    REQUIRE_E2FSPROGS();
    std::string image = path("image");
    ASSERT_EQ(make_image(image, 16, ""), "");
    auto device = FileDevice::open(image);
    ASSERT_FALSE(block::register_device(*device).is_error());
    {
        auto mounted = ext4::mount_source("/dev/img0", false);
        ASSERT_FALSE(mounted.is_error());
        EXPECT_EQ(mounted.value()->name(), "ext4");
        EXPECT_TRUE(mounted.value()->root()->is_directory());
        auto read_only = ext4::mount_source("img0", true);
        ASSERT_FALSE(read_only.is_error());
        EXPECT_EQ(static_cast<ext4::Ext4FileSystem&>(*read_only.value()).is_read_only(), true);
    }
    EXPECT_EQ(ext4::mount_source("/dev/nothing", false).error().code(), ENOENT);
    EXPECT_EQ(ext4::mount_source("/tmp/img0", false).error().code(), ENOTBLK);
    EXPECT_EQ(ext4::mount_source("/dev/", false).error().code(), ENOENT);
    block::unregister_device("img0");
    std::string report;
    EXPECT_TRUE(fsck_clean(image, &report)) << report;
}

TEST_F(ImageTest, MountRefusesWhatIsNotExt)
{
    std::string image = path("zeros");
    write_host_file(image, std::string(1 << 20, '\0'));
    EXPECT_EQ(mount(image).error().code(), EINVAL);
    write_host_file(image, std::string(1000, '\0')); // smaller than a superblock's end
    EXPECT_EQ(mount(image).error().code(), EINVAL);
}

} // namespace
