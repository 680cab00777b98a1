// ramfs directories at scale: the name index (lookup, unlink and re-add of
// many names, a random workload checked against a model), the cookie index
// (listings that resume at every returned cookie and at cookies of removed
// entries, a listing that runs while entries come and go), and allocation
// failure of the index leaving the directory unchanged.
#include "../support/HostAllocator.h"

#include <fs/ramfs/RamDirectory.h>
#include <fs/ramfs/RamFileSystem.h>
#include <gtest/gtest.h>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using fs::ramfs::RamDirectory;

struct Listed {
    std::string name;
    u64 inode;
    u64 next_cookie;
};

// Collects up to `limit` entries, skipping "." and "..".
class Collector final : public fs::DirectoryVisitor {
public:
    explicit Collector(usize limit = ~usize(0))
        : m_limit(limit)
    {
    }
    bool visit(const fs::DirectoryEntry& entry) override
    {
        if (m_seen == m_limit)
            return false;
        ++m_seen;
        std::string name(entry.name.characters(), entry.name.length());
        if (name != "." && name != "..")
            entries.push_back({ name, entry.inode, entry.next_cookie });
        return true;
    }
    std::vector<Listed> entries;

private:
    usize m_limit;
    usize m_seen { 0 };
};

std::string name_of(usize i)
{
    return "file-" + std::to_string(i);
}

StringView view(const std::string& name)
{
    return { name.data(), name.size() };
}

class RamDirectoryIndexTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto file_system = fs::ramfs::RamFileSystem::try_create(0755);
        ASSERT_FALSE(file_system.is_error());
        m_file_system = file_system.release_value();
    }
    void TearDown() override { m_file_system = nullptr; }

    RamDirectory& root() { return m_file_system->root_directory(); }

    int create(RamDirectory& directory, const std::string& name)
    {
        auto result = directory.create(view(name), fs::mode::Regular | 0644, 0, { 0, 0 });
        return result.is_error() ? result.error().code() : 0;
    }
    int unlink(RamDirectory& directory, const std::string& name)
    {
        auto result = directory.unlink(view(name));
        return result.is_error() ? result.error().code() : 0;
    }
    bool exists(RamDirectory& directory, const std::string& name) { return !directory.lookup(view(name)).is_error(); }

    std::vector<Listed> list_from(RamDirectory& directory, u64 cookie)
    {
        Collector collector;
        auto end = directory.read_directory(cookie, collector);
        EXPECT_FALSE(end.is_error());
        return collector.entries;
    }
    std::multiset<std::string> names(RamDirectory& directory)
    {
        std::multiset<std::string> result;
        for (auto& entry : list_from(directory, 0))
            result.insert(entry.name);
        return result;
    }

    RefPtr<fs::ramfs::RamFileSystem> m_file_system;
};

TEST_F(RamDirectoryIndexTest, ManyNamesLookupUnlinkAndReadd)
{
    constexpr usize COUNT = 12000;
    for (usize i = 0; i < COUNT; ++i)
        ASSERT_EQ(create(root(), name_of(i)), 0) << i;
    EXPECT_EQ(create(root(), name_of(COUNT / 2)), EEXIST);
    for (usize i = 0; i < COUNT; ++i)
        ASSERT_TRUE(exists(root(), name_of(i))) << i;
    EXPECT_FALSE(exists(root(), name_of(COUNT)));

    for (usize i = 1; i < COUNT; i += 2)
        ASSERT_EQ(unlink(root(), name_of(i)), 0) << i;
    for (usize i = 0; i < COUNT; ++i)
        ASSERT_EQ(exists(root(), name_of(i)), i % 2 == 0) << i;
    EXPECT_EQ(unlink(root(), name_of(1)), ENOENT);
    EXPECT_EQ(names(root()).size(), COUNT / 2);

    for (usize i = 1; i < COUNT; i += 2)
        ASSERT_EQ(create(root(), name_of(i)), 0) << i;
    auto listed = names(root());
    ASSERT_EQ(listed.size(), COUNT);
    for (usize i = 0; i < COUNT; ++i)
        ASSERT_EQ(listed.count(name_of(i)), 1u) << i;

    EXPECT_EQ(root().attributes().size, (COUNT + 2) * 20);
}

TEST_F(RamDirectoryIndexTest, RandomWorkloadMatchesModel)
{
    auto made = root().make_directory("other", 0755, { 0, 0 });
    ASSERT_FALSE(made.is_error());
    auto& other = static_cast<RamDirectory&>(*made.value());
    RamDirectory* directories[2] = { &root(), &other };
    std::set<std::string> model[2] = { { "other" }, {} };

    std::mt19937 random(42);
    for (int step = 0; step < 20000; ++step) {
        usize side = random() % 2;
        std::string name = name_of(random() % 600);
        switch (random() % 3) {
        case 0:
            ASSERT_EQ(create(*directories[side], name), model[side].count(name) ? EEXIST : 0);
            model[side].insert(name);
            break;
        case 1:
            ASSERT_EQ(unlink(*directories[side], name), model[side].count(name) ? 0 : ENOENT);
            model[side].erase(name);
            break;
        case 2: {
            std::string target = name_of(random() % 600);
            auto result
                = directories[side]->rename(view(name), *directories[1 - side], view(target), fs::RenameMode::Replace);
            ASSERT_EQ(result.is_error() ? result.error().code() : 0, model[side].count(name) ? 0 : ENOENT);
            if (model[side].erase(name))
                model[1 - side].insert(target);
            break;
        }
        }
        if (step % 1000 == 0) {
            for (usize i = 0; i < 2; ++i)
                ASSERT_EQ(names(*directories[i]), std::multiset<std::string>(model[i].begin(), model[i].end()));
        }
    }
    for (usize i = 0; i < 2; ++i) {
        for (usize n = 0; n < 600; ++n)
            ASSERT_EQ(exists(*directories[i], name_of(n)), model[i].count(name_of(n)) == 1) << n;
    }
}

TEST_F(RamDirectoryIndexTest, ResumingAtEveryCookieGivesTheRest)
{
    constexpr usize COUNT = 1500;
    for (usize i = 0; i < COUNT; ++i)
        ASSERT_EQ(create(root(), name_of(i)), 0);
    // Gaps in the cookies: every third entry goes.
    for (usize i = 0; i < COUNT; i += 3)
        ASSERT_EQ(unlink(root(), name_of(i)), 0);

    auto full = list_from(root(), 0);
    ASSERT_EQ(full.size(), COUNT - (COUNT + 2) / 3);
    for (usize i = 0; i < full.size(); ++i) {
        auto rest = list_from(root(), full[i].next_cookie);
        ASSERT_EQ(rest.size(), full.size() - i - 1) << i;
        for (usize j = 0; j < rest.size(); ++j)
            ASSERT_EQ(rest[j].name, full[i + 1 + j].name) << i << " " << j;
    }

    // A cookie whose entry was removed since it was returned resumes at the
    // next entry that is still there.
    usize middle = full.size() / 2;
    u64 resume = full[middle].next_cookie;
    ASSERT_EQ(unlink(root(), full[middle + 1].name), 0);
    auto rest = list_from(root(), resume);
    ASSERT_FALSE(rest.empty());
    EXPECT_EQ(rest.front().name, full[middle + 2].name);
    EXPECT_EQ(rest.size(), full.size() - middle - 2);

    // "." and ".." come first, and a rewound listing sees new entries.
    Collector dots(2);
    ASSERT_FALSE(root().read_directory(0, dots).is_error());
    EXPECT_TRUE(dots.entries.empty());
    ASSERT_EQ(create(root(), "newcomer"), 0);
    EXPECT_EQ(names(root()).count("newcomer"), 1u);
}

TEST_F(RamDirectoryIndexTest, ListingWhileEntriesComeAndGoSeesEachStayedEntryOnce)
{
    constexpr usize COUNT = 4000;
    for (usize i = 0; i < COUNT; ++i)
        ASSERT_EQ(create(root(), name_of(i)), 0);

    std::mt19937 random(7);
    std::set<std::string> removed;
    std::map<std::string, int> seen;
    usize next_new = COUNT;
    u64 cookie = 0;
    for (;;) {
        Collector batch(1 + random() % 50);
        auto end = root().read_directory(cookie, batch);
        ASSERT_FALSE(end.is_error());
        for (auto& entry : batch.entries)
            ++seen[entry.name];
        if (end.value() == cookie && batch.entries.empty() && cookie > 1)
            break;
        cookie = end.value();
        // Between batches: remove some entries (seen or not), add some, and
        // rename one (a rename is a removal plus an addition). The changes
        // stop after a while, or the listing would chase the new entries.
        if (next_new >= COUNT * 3 / 2)
            continue;
        for (int k = 0; k < 5; ++k) {
            std::string victim = name_of(random() % next_new);
            if (!removed.count(victim) && unlink(root(), victim) == 0)
                removed.insert(victim);
        }
        for (int k = 0; k < 5; ++k)
            ASSERT_EQ(create(root(), name_of(next_new++)), 0);
        std::string from = name_of(random() % next_new);
        if (!removed.count(from)) {
            std::string to = name_of(next_new++);
            ASSERT_FALSE(root().rename(view(from), root(), view(to), fs::RenameMode::Replace).is_error());
            removed.insert(from);
        }
    }

    usize stayed = 0;
    for (usize i = 0; i < COUNT; ++i) {
        std::string name = name_of(i);
        if (removed.count(name))
            continue;
        ++stayed;
        ASSERT_EQ(seen[name], 1) << name << " stayed for the whole listing";
    }
    EXPECT_GT(stayed, COUNT / 2);
    for (auto& [name, count] : seen)
        ASSERT_EQ(count, 1) << name << " was returned more than once";
}

TEST_F(RamDirectoryIndexTest, IndexGrowthFailureLeavesDirectoryUnchanged)
{
    auto failing_creates = [&](const std::string& name) {
        usize failures = 0;
        for (usize successes = 0;; ++successes) {
            auto before = names(root());
            usize live = host_allocator::live_allocations();
            int error;
            {
                host_allocator::FailureScope scope(successes);
                error = create(root(), name);
            }
            if (error == 0)
                return failures;
            EXPECT_EQ(error, ENOMEM);
            EXPECT_EQ(names(root()), before) << "failure after " << successes << " allocations";
            EXPECT_FALSE(exists(root(), name));
            EXPECT_EQ(host_allocator::live_allocations(), live) << "leak after " << successes << " allocations";
            ++failures;
        }
    };

    // The first entry allocates the index too; the second does not; the
    // index is full again after 16 entries.
    usize with_growth = failing_creates(name_of(0));
    usize without_growth = failing_creates(name_of(1));
    EXPECT_EQ(with_growth, without_growth + 1);
    for (usize i = 2; i < 16; ++i)
        ASSERT_EQ(create(root(), name_of(i)), 0);
    EXPECT_EQ(failing_creates(name_of(16)), without_growth + 1);

    // rename and link into a full index (16 entries grew it to 64 buckets):
    // the new entry's two allocations succeed, the index's fails; ENOMEM,
    // every name as it was, nothing left allocated.
    for (usize i = 17; i < 64; ++i)
        ASSERT_EQ(create(root(), name_of(i)), 0);
    auto before = names(root());
    usize live = host_allocator::live_allocations();
    {
        host_allocator::FailureScope scope(2);
        auto renamed = root().rename("file-3", root(), "moved", fs::RenameMode::Replace);
        ASSERT_TRUE(renamed.is_error());
        EXPECT_EQ(renamed.error().code(), ENOMEM);
        auto target = root().lookup("file-4");
        ASSERT_FALSE(target.is_error());
        host_allocator::fail_after(2);
        auto linked = root().link("second-name", *target.value());
        ASSERT_TRUE(linked.is_error());
        EXPECT_EQ(linked.error().code(), ENOMEM);
    }
    EXPECT_EQ(names(root()), before);
    EXPECT_EQ(host_allocator::live_allocations(), live);
    ASSERT_FALSE(root().rename("file-3", root(), "moved", fs::RenameMode::Replace).is_error());
    EXPECT_TRUE(exists(root(), "moved"));
    EXPECT_FALSE(exists(root(), "file-3"));
}

} // namespace
