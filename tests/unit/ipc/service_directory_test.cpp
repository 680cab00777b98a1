// The registry's table (ipc/ServiceDirectory.h) with a stand-in endpoint:
// name rules, uniqueness, the limit, withdrawing by the owner only, a dead
// owner's names, and the listing order.
#include <gtest/gtest.h>
#include <ipc/ServiceDirectory.h>

#include <string>

namespace {

using Directory = ipc::ServiceDirectory<int>;

std::string repeat(char c, usize count)
{
    return std::string(count, c);
}

TEST(IpcServiceDirectory, NameRules)
{
    EXPECT_FALSE(ipc::check_service_name("echo").is_error());
    EXPECT_FALSE(ipc::check_service_name("a.b_c-D9").is_error());
    EXPECT_EQ(ipc::check_service_name("").error().code(), EINVAL);
    EXPECT_EQ(ipc::check_service_name("two words").error().code(), EINVAL);
    EXPECT_EQ(ipc::check_service_name("slash/").error().code(), EINVAL);
    std::string longest = repeat('n', IPC_SERVICE_NAME_MAX);
    EXPECT_FALSE(ipc::check_service_name({ longest.data(), longest.size() }).is_error());
    std::string too_long = repeat('n', IPC_SERVICE_NAME_MAX + 1);
    EXPECT_EQ(ipc::check_service_name({ too_long.data(), too_long.size() }).error().code(), ENAMETOOLONG);
}

TEST(IpcServiceDirectory, NamesAreUniqueAndFindGivesTheEndpoint)
{
    Directory directory;
    int first = 11, second = 22;
    ASSERT_FALSE(directory.add("echo", first, 100).is_error());
    EXPECT_EQ(directory.add("echo", second, 200).error().code(), EEXIST);
    EXPECT_EQ(second, 22); // a refused endpoint stays with the caller
    ASSERT_NE(directory.find("echo"), nullptr);
    EXPECT_EQ(*directory.find("echo"), 11);
    EXPECT_EQ(directory.find("kv"), nullptr);
    EXPECT_EQ(directory.add("bad name", second, 200).error().code(), EINVAL);
}

TEST(IpcServiceDirectory, BoundedNumberOfNames)
{
    Directory directory;
    for (u32 i = 0; i < IPC_SERVICE_LIMIT; ++i) {
        std::string name = "s" + std::to_string(i);
        int endpoint = static_cast<int>(i);
        ASSERT_FALSE(directory.add({ name.data(), name.size() }, endpoint, 1).is_error()) << i;
    }
    int endpoint = 999;
    EXPECT_EQ(directory.add("one.more", endpoint, 1).error().code(), ENOSPC);
    EXPECT_EQ(directory.size(), IPC_SERVICE_LIMIT);
}

TEST(IpcServiceDirectory, OnlyTheOwnerWithdraws)
{
    Directory directory;
    int endpoint = 5;
    ASSERT_FALSE(directory.add("kv", endpoint, 42).is_error());
    int removed = 0;
    EXPECT_EQ(directory.withdraw("kv", 43, removed).error().code(), EPERM);
    EXPECT_NE(directory.find("kv"), nullptr);
    EXPECT_FALSE(directory.withdraw("kv", 42, removed).is_error());
    EXPECT_EQ(removed, 5);
    EXPECT_EQ(directory.find("kv"), nullptr);
    EXPECT_EQ(directory.withdraw("kv", 42, removed).error().code(), ENOENT);
}

TEST(IpcServiceDirectory, ADeadOwnersNamesAllGo)
{
    Directory directory;
    int a = 1, b = 2, c = 3;
    ASSERT_FALSE(directory.add("a", a, 7).is_error());
    ASSERT_FALSE(directory.add("b", b, 8).is_error());
    ASSERT_FALSE(directory.add("c", c, 7).is_error());
    int removed = 0;
    int count = 0;
    while (directory.withdraw_one_of(7, removed))
        ++count;
    EXPECT_EQ(count, 2);
    EXPECT_EQ(directory.find("a"), nullptr);
    EXPECT_EQ(directory.find("c"), nullptr);
    EXPECT_NE(directory.find("b"), nullptr);
}

TEST(IpcServiceDirectory, ListsInRegistrationOrder)
{
    Directory directory;
    int endpoint = 0;
    for (const char* name : { "one", "two", "three" })
        ASSERT_FALSE(directory.add(name, endpoint, 9).is_error());
    int removed = 0;
    ASSERT_FALSE(directory.withdraw("one", 9, removed).is_error());
    ASSERT_FALSE(directory.add("four", endpoint, 10).is_error()); // reuses the first slot
    osprey_service_entry entries[4];
    EXPECT_EQ(directory.list({ entries, 4 }), 3u);
    EXPECT_STREQ(entries[0].name, "two");
    EXPECT_STREQ(entries[1].name, "three");
    EXPECT_STREQ(entries[2].name, "four");
    EXPECT_EQ(entries[2].owner_pid, 10);
    EXPECT_EQ(directory.list({ entries, 1 }), 3u); // the total, whatever fits
    EXPECT_STREQ(entries[0].name, "two");
}

} // namespace
