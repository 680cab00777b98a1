// relatime's rule (fs/vfs/AccessTime.h) and the atime words /proc/mounts
// shows for each set of mount flags.
#include <fs/vfs/AccessTime.h>
#include <gtest/gtest.h>

namespace {

fs::Attributes times(i64 access, i64 modify, i64 change)
{
    fs::Attributes attributes;
    attributes.access_time = { access, 500 };
    attributes.modify_time = { modify, 500 };
    attributes.change_time = { change, 500 };
    return attributes;
}

constexpr i64 NOW = 2000000000;
constexpr i64 DAY = i64(24) * 60 * 60;

TEST(AccessTime, RelatimeUpdatesWhenNotAfterModifyOrChange)
{
    EXPECT_TRUE(fs::relatime_wants_update(times(NOW - 10, NOW - 5, NOW - 20), { NOW, 0 }));
    EXPECT_TRUE(fs::relatime_wants_update(times(NOW - 10, NOW - 20, NOW - 5), { NOW, 0 }));
    // Equal counts as not after (Linux compares with >=).
    EXPECT_TRUE(fs::relatime_wants_update(times(NOW - 10, NOW - 10, NOW - 20), { NOW, 0 }));
    EXPECT_FALSE(fs::relatime_wants_update(times(NOW - 10, NOW - 20, NOW - 20), { NOW, 0 }));
}

TEST(AccessTime, RelatimeUpdatesADayOldAtime)
{
    EXPECT_FALSE(fs::relatime_wants_update(times(NOW - DAY + 1, NOW - 2 * DAY, NOW - 2 * DAY), { NOW, 0 }));
    EXPECT_TRUE(fs::relatime_wants_update(times(NOW - DAY, NOW - 2 * DAY, NOW - 2 * DAY), { NOW, 0 }));
}

TEST(AccessTime, MountOptionWords)
{
    EXPECT_EQ(fs::access_time_options(0), StringView(",relatime"));
    EXPECT_EQ(fs::access_time_options(fs::mount_flag::NoAtime), StringView(",noatime"));
    EXPECT_EQ(fs::access_time_options(fs::mount_flag::NoAtime | fs::mount_flag::StrictAtime), StringView(",noatime"));
    EXPECT_EQ(fs::access_time_options(fs::mount_flag::StrictAtime), StringView(""));
    EXPECT_EQ(fs::access_time_options(fs::mount_flag::NoDirAtime), StringView(",nodiratime,relatime"));
    EXPECT_EQ(
        fs::access_time_options(fs::mount_flag::NoDirAtime | fs::mount_flag::StrictAtime), StringView(",nodiratime"));
}

} // namespace
