// Hashed directories that Osprey builds and grows: thousands of names in
// one directory index it when it outgrows its first block, split leaves and
// index nodes and add a level under the root. After each phase every name is
// found, the listing has each exactly once, e2fsck -fn (which checks the
// htree) is clean and debugfs sees the index and the names. A listing in
// progress while the directory splits sees every name that stayed; names
// with equal hashes stay reachable when a split separates them.
#include "Ext4Fixture.h"
#include <algorithm>
#include <fs/ext4/Htree.h>
#include <map>
#include <random>
#include <regex>
#include <set>

namespace {

using namespace ext4_test;

struct GrowthLayout {
    const char* name;
    const char* options;
    const char* tweak; // debugfs -w requests after mkfs, ';'-separated
    u64 size_mb;
    usize names;
    usize long_length;  // names are up to this long
    bool expect_levels; // enough names for an index level under the root
};

constexpr GrowthLayout GROWTH_LAYOUTS[] = {
    { "default", "", "", 64, 3000, 60, false },
    { "block1k", "-b 1024", "", 64, 2500, 240, true },
    { "block1k_nocsum", "-b 1024 -O ^metadata_csum", "", 64, 2500, 240, true },
    { "unsigned_tea", "-b 1024", "ssv flags 2;ssv def_hash_version tea", 64, 1500, 200, true },
    { "unsigned_legacy", "-b 1024 -O ^metadata_csum", "ssv flags 2;ssv def_hash_version legacy", 64, 1500, 200, true },
    { "ext2", "-t ext2 -b 1024", "", 64, 1500, 120, false },
};

StringView view(const std::string& text)
{
    return { text.data(), text.size() };
}

class HtreeGrowthTest
    : public ImageTest
    , public ::testing::WithParamInterface<GrowthLayout> {
protected:
    void SetUp() override
    {
        ImageTest::SetUp();
        if (find_tool("mkfs.ext4").empty() || find_tool("e2fsck").empty() || find_tool("debugfs").empty())
            GTEST_SKIP() << "e2fsprogs not installed";
        m_image = path("image");
        ASSERT_EQ(make_image(m_image, GetParam().size_mb, GetParam().options), "");
        std::string tweaks = GetParam().tweak;
        std::stringstream requests(tweaks);
        std::string request;
        while (std::getline(requests, request, ';')) {
            std::string output;
            ASSERT_EQ(run_command(find_tool("debugfs") + " -w -R " + shell_quote(request) + " " + shell_quote(m_image),
                          &output),
                0)
                << output;
        }
        ASSERT_FALSE(mount(m_image).is_error());
    }

    // Name `index`: unique prefix, then padding to a length that varies.
    std::string name_for(usize index) const
    {
        std::string name = "f" + std::to_string(index) + "_";
        usize length = 8 + (index * 7919) % GetParam().long_length;
        if (name.size() < length)
            name.append(length - name.size(), char('a' + index % 26));
        return name;
    }

    bool is_indexed(fs::Vnode& directory)
    {
        return static_cast<ext4::Ext4Vnode&>(directory).inode().has_flag(ext4::inode_flag::INDEX);
    }

    // Every name in `present` is found with its inode, every one in
    // `absent` is not, the listing has exactly `present` (plus "." and
    // ".."); then e2fsck and debugfs agree on the image.
    void check_directory(const std::map<std::string, u64>& present, const std::set<std::string>& absent)
    {
        RefPtr<fs::Vnode> big = root()->lookup("big").release_value();
        EXPECT_TRUE(is_indexed(*big));
        for (auto& [name, inode] : present) {
            auto found = big->lookup(view(name));
            ASSERT_FALSE(found.is_error()) << name;
            EXPECT_EQ(found.value()->attributes().inode, inode) << name;
        }
        for (auto& name : absent)
            EXPECT_EQ(big->lookup(view(name)).error().code(), ENOENT) << name;
        std::vector<std::string> listed = list_names(*big);
        std::sort(listed.begin(), listed.end());
        std::vector<std::string> expected { ".", ".." };
        for (auto& [name, inode] : present)
            expected.push_back(name);
        std::sort(expected.begin(), expected.end());
        EXPECT_EQ(listed, expected);
        big.clear();

        ASSERT_FALSE(unmount().is_error());
        std::string report;
        EXPECT_TRUE(fsck_clean(m_image, &report)) << report;
        EXPECT_EQ(report.find("HTREE"), std::string::npos) << report;
        std::string tree = debugfs(m_image, "htree /big");
        EXPECT_NE(tree.find("Root node dump"), std::string::npos) << tree.substr(0, 2000);
        if (GetParam().expect_levels) {
            EXPECT_NE(tree.find("Indirect levels: 1"), std::string::npos) << tree.substr(0, 2000);
            // The root's count: more than one node, so a node was split.
            std::smatch match;
            ASSERT_TRUE(std::regex_search(tree, match, std::regex("Number of entries \\(count\\): ([0-9]+)")));
            EXPECT_GE(std::stoul(match[1].str()), 2u) << tree.substr(0, 2000);
        }
        std::string listing = debugfs(m_image, "ls -p /big");
        usize shown = 0;
        for (auto& [name, inode] : present) {
            if (listing.find("/" + name + "/") != std::string::npos)
                ++shown;
        }
        EXPECT_EQ(shown, present.size());
        ASSERT_FALSE(mount(m_image).is_error());
    }

    std::string m_image;
};

TEST_P(HtreeGrowthTest, ThousandsOfNamesIndexSplitAndStayValid)
{
    RefPtr<fs::Vnode> big = root()->make_directory("big", 0755, { 0, 0 }).release_value();
    std::map<std::string, u64> present;
    for (usize i = 0; i < GetParam().names; ++i) {
        std::string name = name_for(i);
        auto made = big->create(view(name), 0644, 0, { 0, 0 });
        ASSERT_FALSE(made.is_error()) << name << ": " << made.error().code();
        present[name] = made.value()->attributes().inode;
    }
    u64 blocks = big->attributes().size / m_file_system->geometry().block_size;
    big.clear();
    // Half-full leaves at worst: the directory is far from one block a name.
    EXPECT_LT(blocks, GetParam().names / 2);
    check_directory(present, {});
    if (HasFatalFailure())
        return;

    // Delete a random half, then add new names and some of the old ones back.
    std::mt19937 generator(unsigned(GetParam().names));
    std::vector<std::string> names;
    names.reserve(present.size());
    for (auto& [name, inode] : present)
        names.push_back(name);
    std::shuffle(names.begin(), names.end(), generator);
    big = root()->lookup("big").release_value();
    std::set<std::string> absent;
    for (usize i = 0; i < names.size() / 2; ++i) {
        ASSERT_FALSE(big->unlink(view(names[i])).is_error()) << names[i];
        present.erase(names[i]);
        absent.insert(names[i]);
    }
    for (usize i = 0; i < names.size() / 4; ++i) {
        std::string name = i % 2 ? names[i] : name_for(GetParam().names + i);
        auto made = big->create(view(name), 0644, 0, { 0, 0 });
        ASSERT_FALSE(made.is_error()) << name;
        present[name] = made.value()->attributes().inode;
        absent.erase(name);
    }
    big.clear();
    check_directory(present, absent);
}

INSTANTIATE_TEST_SUITE_P(Layouts, HtreeGrowthTest, ::testing::ValuesIn(GROWTH_LAYOUTS),
    [](const ::testing::TestParamInfo<GrowthLayout>& info) { return std::string(info.param.name); });

TEST_F(ImageTest, FullTreeFallsBackToALinearDirectory)
{
    // 1 KiB blocks and 255-byte names: about three names a leaf, so the two
    // index levels (124 nodes of 127 leaves without metadata_csum) fill up
    // after some 30,000 names; the next leaf split that needs a new node
    // finds no room anywhere and the index is removed.
    REQUIRE_E2FSPROGS();
    std::string image = path("image");
    ASSERT_EQ(make_image(image, 200, "-b 1024 -N 60000 -O ^metadata_csum"), "");
    ASSERT_FALSE(mount(image, false, 16 << 20).is_error());
    RefPtr<fs::Vnode> big = root()->make_directory("big", 0755, { 0, 0 }).release_value();
    auto is_indexed = [&] {
        return static_cast<ext4::Ext4Vnode&>(*big).inode().has_flag(ext4::inode_flag::INDEX);
    };
    auto long_name = [](usize index) {
        std::string name = "g" + std::to_string(index) + "_";
        name.append(255 - name.size(), char('a' + index % 26));
        return name;
    };
    usize made = 0;
    bool was_indexed = false;
    for (; made < 55000; ++made) {
        ASSERT_FALSE(big->create(view(long_name(made)), 0644, 0, { 0, 0 }).is_error()) << made;
        was_indexed = was_indexed || is_indexed();
        if (was_indexed && !is_indexed())
            break;
    }
    ASSERT_TRUE(was_indexed);
    ASSERT_FALSE(is_indexed()) << "the tree never filled up";
    // Two levels of index held this many names (one level: a few hundred).
    EXPECT_GT(made, 10000u);
    ++made;
    // A few more names go into the linear directory.
    for (usize i = made; i < made + 20; ++i)
        ASSERT_FALSE(big->create(view(long_name(i)), 0644, 0, { 0, 0 }).is_error()) << i;
    made += 20;
    for (usize i = 0; i < made; i += 997)
        EXPECT_FALSE(big->lookup(view(long_name(i))).is_error()) << i;
    EXPECT_FALSE(big->lookup(view(long_name(made - 1))).is_error());
    EXPECT_EQ(list_names(*big).size(), made + 2);
    big.clear();
    ASSERT_FALSE(unmount().is_error());
    std::string report;
    EXPECT_TRUE(fsck_clean(image, &report)) << report;
}

TEST_F(ImageTest, EqualHashesContinueAcrossLeaves)
{
    // Pairs of long names with equal hashes (found by a birthday search with
    // the image's fixed seed): leaf splits fall between the two names of a
    // pair, so index entries carry the continuation bit and lookups must
    // follow them into the next leaf.
    REQUIRE_E2FSPROGS();
    std::string image = path("image");
    ASSERT_EQ(make_image(image, 32, "-b 1024 -E hash_seed=12345678-9abc-def0-1234-56789abcdef0"), "");
    ASSERT_FALSE(mount(image).is_error());
    const ext4::Geometry& g = m_file_system->geometry();
    u8 version = ext4::htree::effective_version(g, g.default_hash_version);
    auto name_for = [](usize index) {
        std::string name = "c" + std::to_string(index) + "_";
        name.append(60 - name.size(), 'h');
        return name;
    };
    std::map<u32, usize> seen;
    std::vector<std::string> names;
    for (usize index = 0; names.size() < 80 && index < 2000000; ++index) {
        std::string name = name_for(index);
        u32 hash = ext4::htree::hash_name(version, g.hash_seed, view(name));
        auto [it, inserted] = seen.emplace(hash, index);
        if (!inserted) {
            names.push_back(name_for(it->second));
            names.push_back(name);
        }
    }
    ASSERT_EQ(names.size(), 80u);
    RefPtr<fs::Vnode> dir = root()->make_directory("same", 0755, { 0, 0 }).release_value();
    for (auto& name : names)
        ASSERT_FALSE(dir->create(view(name), 0644, 0, { 0, 0 }).is_error()) << name;
    // Other names split the leaves holding the pairs again and again.
    for (usize i = 0; i < 2000; ++i) {
        std::string filler = "fill" + std::to_string(i) + "_";
        filler.append(20 + (i * 37) % 60, 'f');
        ASSERT_FALSE(dir->create(view(filler), 0644, 0, { 0, 0 }).is_error()) << filler;
    }
    for (auto& name : names)
        EXPECT_FALSE(dir->lookup(view(name)).is_error()) << name;
    // Removing one of a pair leaves the other reachable.
    for (usize i = 0; i < names.size(); i += 4)
        ASSERT_FALSE(dir->unlink(view(names[i])).is_error()) << names[i];
    for (usize i = 0; i < names.size(); ++i)
        EXPECT_EQ(dir->lookup(view(names[i])).is_error(), i % 4 == 0) << names[i];
    dir.clear();
    ASSERT_FALSE(unmount().is_error());
    std::string report;
    EXPECT_TRUE(fsck_clean(image, &report)) << report;
    // At least one index entry has bit 0 set: a continued range.
    std::string tree = debugfs(image, "htree /same");
    EXPECT_TRUE(std::regex_search(tree, std::regex("Hash 0x[0-9a-f]{7}[13579bdf]"))) << tree.substr(0, 3000);
}

// Collects names and stops after `limit` of them (a partial readdir).
struct PartialCollector final : fs::DirectoryVisitor {
    std::multiset<std::string> names;
    usize limit { 0 };
    bool visit(const fs::DirectoryEntry& entry) override
    {
        if (names.size() >= limit)
            return false;
        names.emplace(entry.name.characters(), entry.name.length());
        return true;
    }
};

// Lists `directory` from `cookie` until `collector` stops or the end;
// returns the cookie to resume at.
u64 list_from(fs::Vnode& directory, u64 cookie, PartialCollector& collector)
{
    for (;;) {
        auto next = directory.read_directory(cookie, collector);
        EXPECT_FALSE(next.is_error());
        if (next.is_error() || next.value() == cookie)
            return cookie;
        cookie = next.value();
    }
}

TEST_F(ImageTest, ListingInProgressSeesEveryNameThatStayed)
{
    REQUIRE_E2FSPROGS();
    std::string image = path("image");
    ASSERT_EQ(make_image(image, 64, "-b 1024"), "");
    ASSERT_FALSE(mount(image).is_error());
    // Two directories: one still linear in one block (it gets indexed while
    // listed), one already indexed with many leaves (they split).
    for (usize initial : { usize(12), usize(600) }) {
        std::string directory_name = "d" + std::to_string(initial);
        RefPtr<fs::Vnode> directory = root()->make_directory(view(directory_name), 0755, { 0, 0 }).release_value();
        std::set<std::string> originals;
        for (usize i = 0; i < initial; ++i) {
            std::string name = "original_" + std::to_string(i) + std::string(40 + i % 50, 'o');
            ASSERT_FALSE(directory->create(view(name), 0644, 0, { 0, 0 }).is_error());
            originals.insert(name);
        }
        // Listings stopped after every few entries: each keeps what it saw
        // and where to resume, so positions fall in every block.
        struct Stopped {
            u64 cookie;
            PartialCollector collector;
        };
        std::vector<Stopped> stopped;
        for (usize seen = 1; seen < initial + 2; seen += 3) {
            Stopped listing;
            listing.collector.limit = seen;
            listing.cookie = list_from(*directory, 0, listing.collector);
            ASSERT_EQ(listing.collector.names.size(), seen);
            stopped.push_back(std::move(listing));
        }
        for (usize i = 0; i < 1500; ++i) {
            std::string name = "added_" + std::to_string(i) + std::string(60 + i % 90, 'a');
            ASSERT_FALSE(directory->create(view(name), 0644, 0, { 0, 0 }).is_error());
        }
        EXPECT_TRUE(static_cast<ext4::Ext4Vnode&>(*directory).inode().has_flag(ext4::inode_flag::INDEX));
        for (auto& listing : stopped) {
            listing.collector.limit = usize(-1);
            list_from(*directory, listing.cookie, listing.collector);
            for (auto& name : originals)
                ASSERT_GE(listing.collector.names.count(name), 1u) << directory_name << ": " << name;
            EXPECT_EQ(listing.collector.names.count("."), 1u);
            EXPECT_EQ(listing.collector.names.count(".."), 1u);
        }
    }
    ASSERT_FALSE(unmount().is_error());
    std::string report;
    EXPECT_TRUE(fsck_clean(image, &report)) << report;
}

} // namespace
