// Writing: every namespace and data operation on images of each layout,
// then e2fsck -fn must find the image clean and debugfs must see what was
// written. A long randomized sequence is checked against an in-memory model.
#include "Ext4Fixture.h"
#include <algorithm>
#include <filesystem>
#include <map>
#include <random>

namespace {

using namespace ext4_test;

struct Layout {
    const char* name;
    const char* options;
    u64 size_mb;
};

constexpr Layout LAYOUTS[] = {
    { "default", "", 64 },
    { "block1k", "-b 1024", 64 },
    { "ext2", "-t ext2", 64 },
    { "ext3", "-t ext3", 64 },
    { "nocsum", "-O ^metadata_csum", 64 },
    { "fewinodes", "-N 64", 32 },
    { "large4k", "-b 4096", 1200 },
};

std::string random_bytes(std::mt19937& generator, usize size)
{
    std::string bytes(size, '\0');
    for (auto& byte : bytes)
        byte = char(generator());
    return bytes;
}

ReadonlyBytes bytes_of(const std::string& text)
{
    return { reinterpret_cast<const u8*>(text.data()), text.size() };
}

StringView view(const std::string& text)
{
    return { text.data(), text.size() };
}

class WriteTest
    : public ImageTest
    , public ::testing::WithParamInterface<Layout> {
protected:
    void SetUp() override
    {
        ImageTest::SetUp();
        if (find_tool("mkfs.ext4").empty() || find_tool("e2fsck").empty() || find_tool("debugfs").empty())
            GTEST_SKIP() << "e2fsprogs not installed";
        m_image = path("image");
        ASSERT_EQ(make_image(m_image, GetParam().size_mb, GetParam().options), "");
        ASSERT_FALSE(mount(m_image).is_error());
        ASSERT_FALSE(m_file_system->is_read_only());
    }

    void expect_clean()
    {
        ASSERT_FALSE(unmount().is_error());
        std::string report;
        EXPECT_TRUE(fsck_clean(m_image, &report)) << report;
    }

    std::string m_image;
};

TEST_P(WriteTest, NamespaceAndDataOperations)
{
    RefPtr<fs::Vnode> top = root();
    fs::NewOwner owner { 1000, 100 };
    RefPtr<fs::Vnode> file = top->create("file", 0644, 0, owner).release_value();
    std::mt19937 generator(7);
    std::string model;
    u32 block_size = m_file_system->geometry().block_size;
    // Writes at random offsets, some past the end (holes), some overlapping.
    for (int i = 0; i < 60; ++i) {
        u64 offset = generator() % (u64(40) * block_size);
        std::string data = random_bytes(generator, 1 + generator() % (u64(3) * block_size));
        auto written = file->write(offset, bytes_of(data), fs::WriteMode::AtOffset);
        ASSERT_FALSE(written.is_error()) << written.error().code();
        EXPECT_EQ(written.value().written, data.size());
        if (model.size() < offset + data.size())
            model.resize(offset + data.size(), '\0');
        model.replace(offset, data.size(), data);
    }
    EXPECT_EQ(read_all(*file), model);
    EXPECT_EQ(file->attributes().size, model.size());
    EXPECT_EQ(file->attributes().uid, 1000u);
    EXPECT_EQ(file->attributes().gid, 100u);

    // Append, truncate down into a block, up again (zeros), to zero.
    auto appended = file->write(0, bytes_of("tail"), fs::WriteMode::Append).release_value();
    model += "tail";
    EXPECT_EQ(appended.end_offset, model.size());
    ASSERT_FALSE(file->truncate(block_size * 3 + 100).is_error());
    model.resize(block_size * 3 + 100);
    EXPECT_EQ(read_all(*file), model);
    ASSERT_FALSE(file->truncate(u64(block_size) * 10).is_error());
    model.resize(usize(block_size) * 10, '\0');
    EXPECT_EQ(read_all(*file), model);

    // Directories, links, symlinks, renames.
    RefPtr<fs::Vnode> dir = top->make_directory("dir", 0755, owner).release_value();
    RefPtr<fs::Vnode> sub = dir->make_directory("sub", 0700, owner).release_value();
    EXPECT_EQ(dir->attributes().link_count, 3u);
    EXPECT_EQ(top->make_directory("dir", 0755, owner).error().code(), EEXIST);
    ASSERT_FALSE(dir->link("hard", *file).is_error());
    EXPECT_EQ(file->attributes().link_count, 2u);
    std::string long_target(300, 'y');
    ASSERT_FALSE(top->make_symlink("fast", "dir/hard", owner).is_error());
    ASSERT_FALSE(top->make_symlink("slow", view(long_target), owner).is_error());
    char buffer[512];
    RefPtr<fs::Vnode> slow = top->lookup("slow").release_value();
    auto length = slow->read_link({ reinterpret_cast<u8*>(buffer), sizeof(buffer) }).release_value();
    EXPECT_EQ(std::string(buffer, length), long_target);

    RefPtr<fs::Vnode> moved = sub->create("moved", 0600, 0, owner).release_value();
    ASSERT_FALSE(moved->write(0, bytes_of("moving"), fs::WriteMode::AtOffset).is_error());
    ASSERT_FALSE(sub->rename("moved", *top, "renamed").is_error());
    EXPECT_EQ(sub->lookup("moved").error().code(), ENOENT);
    EXPECT_EQ(read_all(*top->lookup("renamed").release_value()), "moving");
    // Over an existing file: the old target's inode loses its name.
    RefPtr<fs::Vnode> victim = top->create("victim", 0644, 0, owner).release_value();
    ASSERT_FALSE(top->rename("renamed", *top, "victim").is_error());
    EXPECT_EQ(victim->attributes().link_count, 0u);
    victim.clear();
    // A directory across parents: link counts of both parents follow.
    ASSERT_FALSE(dir->rename("sub", *top, "sub2").is_error());
    EXPECT_EQ(dir->attributes().link_count, 2u);
    EXPECT_EQ(top->lookup("sub2").release_value()->lookup("..").release_value()->inode_number(), top->inode_number());
    RefPtr<fs::Vnode> sub2 = top->lookup("sub2").release_value();
    EXPECT_EQ(top->rename("sub2", *sub2, "loop").error().code(), EINVAL);
    EXPECT_EQ(top->rename("file", *top, "dir").error().code(), EISDIR);
    EXPECT_EQ(top->rename("sub2", *top, "file").error().code(), ENOTDIR);
    EXPECT_EQ(top->remove_directory("dir").error().code(), ENOTEMPTY);
    EXPECT_EQ(top->unlink("dir").error().code(), EISDIR);
    EXPECT_EQ(top->remove_directory("file").error().code(), ENOTDIR);
    ASSERT_FALSE(dir->unlink("hard").is_error());
    EXPECT_EQ(file->attributes().link_count, 1u);
    ASSERT_FALSE(top->remove_directory("dir").is_error());
    EXPECT_EQ(top->lookup("dir").error().code(), ENOENT);
    // Devices, fifos keep their numbers.
    RefPtr<fs::Vnode> device
        = top->create("tty", fs::mode::CharacterDevice | 0620, (4 << 8) | 1, owner).release_value();
    EXPECT_EQ(device->attributes().rdev, u64((4 << 8) | 1));
    ASSERT_FALSE(top->create("fifo", fs::mode::Fifo | 0600, 0, owner).is_error());

    // Timestamps keep nanoseconds (with extra inode space).
    fs::AttributeChange change;
    change.set_modify_time = true;
    change.modify_time = { 1700000000, 123456789 };
    ASSERT_FALSE(file->set_attributes(change).is_error());
    if (m_file_system->geometry().inode_size > 128)
        EXPECT_EQ(file->attributes().modify_time, change.modify_time);

    // Release every vnode, then check with e2fsck and debugfs.
    file.clear();
    dir.clear();
    sub.clear();
    sub2.clear();
    slow.clear();
    moved.clear();
    device.clear();
    top.clear();
    expect_clean();
    EXPECT_EQ(debugfs(m_image, "cat /sub2/../victim"), "moving");
    std::string listing = debugfs(m_image, "ls -l /");
    for (const char* name : { "file", "fast", "slow", "sub2", "victim", "tty", "fifo" })
        EXPECT_NE(listing.find(name), std::string::npos) << name << "\n" << listing;
    EXPECT_EQ(listing.find(" dir "), std::string::npos);
    std::string dumped = path("dumped");
    run_command(find_tool("debugfs") + " -R " + shell_quote("dump /file " + dumped) + " " + shell_quote(m_image));
    EXPECT_TRUE(read_host_file(dumped) == model);
    EXPECT_NE(debugfs(m_image, "stat /fast").find("Fast link dest: \"dir/hard\""), std::string::npos);
}

TEST_P(WriteTest, RandomizedSequenceMatchesAModel)
{
    // The model: path -> contents for files, "/" suffix marks directories.
    std::map<std::string, std::string> files;
    std::vector<std::string> directories { "" };
    std::mt19937 generator(GetParam().size_mb * 31 + GetParam().options[0]);
    u32 block_size = m_file_system->geometry().block_size;
    u64 free_inodes = m_file_system->usage().free_inodes;
    RefPtr<fs::Vnode> top = root();
    auto parent_of = [&](const std::string& path) {
        auto slash = path.rfind('/');
        return slash == std::string::npos ? std::string() : path.substr(0, slash);
    };
    auto leaf_of = [&](const std::string& path) {
        auto slash = path.rfind('/');
        return slash == std::string::npos ? path : path.substr(slash + 1);
    };
    auto vnode_at = [&](const std::string& path) {
        return resolve(*top, path).release_value();
    };
    // Names from a small pool, a third of them long: directories outgrow
    // their first block, get an index and split leaves as names come and go.
    auto random_name = [&] {
        u32 number = generator() % 60;
        std::string name = "n" + std::to_string(number);
        if (number % 3 == 0)
            name.append(100 + number * 2, 'w');
        return name;
    };
    int steps = 700;
    for (int step = 0; step < steps; ++step) {
        int action = int(generator() % 100);
        std::string directory = directories[generator() % directories.size()];
        std::string name = random_name();
        std::string full = directory.empty() ? name : join_path(directory, name);
        bool exists_as_file = files.count(full);
        bool exists_as_dir = std::find(directories.begin(), directories.end(), full) != directories.end();
        if (action < 30) {
            // Create or write a file.
            if (exists_as_dir)
                continue;
            if (!exists_as_file) {
                auto made = vnode_at(directory)->create(view(name), 0644, 0, { 0, 0 });
                if (made.is_error()) {
                    ASSERT_EQ(made.error().code(), ENOSPC);
                    continue;
                }
                files[full] = "";
            }
            u64 offset = generator() % (u64(12) * block_size);
            std::string data = random_bytes(generator, generator() % (2 * block_size + 5));
            auto written = vnode_at(full)->write(offset, bytes_of(data), fs::WriteMode::AtOffset);
            if (written.is_error()) {
                ASSERT_EQ(written.error().code(), ENOSPC);
                continue;
            }
            ASSERT_EQ(written.value().written, data.size());
            std::string& contents = files[full];
            if (contents.size() < offset + data.size())
                contents.resize(offset + data.size(), '\0');
            contents.replace(offset, data.size(), data);
        } else if (action < 40) {
            if (!exists_as_file)
                continue;
            u64 size = generator() % (u64(14) * block_size);
            ASSERT_FALSE(vnode_at(full)->truncate(size).is_error());
            files[full].resize(size, '\0');
        } else if (action < 52) {
            if (exists_as_file || exists_as_dir || directories.size() > 12)
                continue;
            auto made = vnode_at(directory)->make_directory(view(name), 0755, { 0, 0 });
            if (made.is_error()) {
                ASSERT_EQ(made.error().code(), ENOSPC);
                continue;
            }
            directories.push_back(full);
        } else if (action < 64) {
            if (!exists_as_file)
                continue;
            ASSERT_FALSE(vnode_at(directory)->unlink(view(name)).is_error());
            files.erase(full);
        } else if (action < 70) {
            if (!exists_as_dir)
                continue;
            auto removed = vnode_at(directory)->remove_directory(view(name));
            bool empty = true;
            for (auto& [path, contents] : files)
                empty = empty && parent_of(path) != full;
            for (auto& other : directories)
                empty = empty && (other == full || parent_of(other) != full);
            if (empty) {
                ASSERT_FALSE(removed.is_error());
                directories.erase(std::find(directories.begin(), directories.end(), full));
            } else {
                ASSERT_EQ(removed.error().code(), ENOTEMPTY);
            }
        } else if (action < 85) {
            // Rename a file to a random name in a random directory.
            if (!exists_as_file)
                continue;
            std::string to_directory = directories[generator() % directories.size()];
            std::string to_name = random_name();
            std::string to_full = to_directory.empty() ? to_name : join_path(to_directory, to_name);
            if (std::find(directories.begin(), directories.end(), to_full) != directories.end())
                continue;
            auto result = vnode_at(directory)->rename(view(name), *vnode_at(to_directory), view(to_name));
            if (result.is_error()) {
                ASSERT_EQ(result.error().code(), ENOSPC);
                continue;
            }
            std::string contents = files[full];
            files.erase(full);
            files[to_full] = contents;
        } else if (action < 92) {
            // A hard link, removed again later by unlink.
            if (!exists_as_file)
                continue;
            std::string link_name = "l" + std::to_string(generator() % 1000);
            std::string link_full = directory.empty() ? link_name : join_path(directory, link_name);
            if (files.count(link_full))
                continue;
            auto result = vnode_at(directory)->link(view(link_name), *vnode_at(full));
            if (result.is_error()) {
                ASSERT_EQ(result.error().code(), ENOSPC);
                continue;
            }
            // Linked names share contents: writes through one show in the other.
            std::string appended = "+" + std::to_string(step);
            ASSERT_FALSE(vnode_at(link_full)->write(0, bytes_of(appended), fs::WriteMode::Append).is_error());
            files[full] += appended;
            // Keep the model simple: drop the link right away.
            ASSERT_FALSE(vnode_at(directory)->unlink(view(link_name)).is_error());
        } else {
            // Check a random file now.
            if (!exists_as_file)
                continue;
            ASSERT_EQ(read_all(*vnode_at(full)), files[full]) << full;
        }
        if (step % 100 == 99)
            ASSERT_FALSE(m_file_system->sync().is_error());
    }
    for (auto& [path, contents] : files)
        ASSERT_EQ(read_all(*vnode_at(path)), contents) << path;
    for (auto& directory : directories) {
        std::vector<std::string> expected;
        for (auto& [path, contents] : files) {
            if (parent_of(path) == directory)
                expected.push_back(leaf_of(path));
        }
        for (auto& other : directories) {
            if (!other.empty() && parent_of(other) == directory)
                expected.push_back(leaf_of(other));
        }
        std::vector<std::string> listed;
        for (auto& name : list_names(*vnode_at(directory))) {
            if (name != "." && name != ".." && name != "lost+found")
                listed.push_back(name);
        }
        std::sort(expected.begin(), expected.end());
        std::sort(listed.begin(), listed.end());
        EXPECT_EQ(listed, expected) << "/" << directory;
    }
    // With 1 KiB blocks and enough inodes the sequence indexed directories.
    int indexed = 0;
    for (auto& directory : directories)
        indexed += static_cast<ext4::Ext4Vnode&>(*vnode_at(directory)).inode().has_flag(ext4::inode_flag::INDEX);
    if (std::string(GetParam().name) == "block1k")
        EXPECT_GT(indexed, 0);
    top.clear();
    expect_clean();
    // Remount: everything is still there; debugfs agrees on a sample.
    ASSERT_FALSE(mount(m_image).is_error());
    top = root();
    for (auto& [path, contents] : files)
        ASSERT_EQ(read_all(*vnode_at(path)), contents) << path;
    EXPECT_EQ(m_file_system->usage().free_inodes, free_inodes - files.size() - (directories.size() - 1));
    top.clear();
    ASSERT_FALSE(unmount().is_error());
    int sampled = 0;
    for (auto& [path, contents] : files) {
        if (sampled++ == 8)
            break;
        std::string dumped = this->path("dumped");
        unlink(dumped.c_str());
        std::string request = "dump /";
        request += path;
        request += ' ';
        request += dumped;
        std::string command = find_tool("debugfs");
        command += " -R ";
        command += shell_quote(request);
        command += ' ';
        command += shell_quote(m_image);
        run_command(command);
        EXPECT_TRUE(read_host_file(dumped) == contents) << path;
    }
}

TEST_P(WriteTest, UnlinkedOpenFileLivesUntilLastReference)
{
    RefPtr<fs::Vnode> top = root();
    u64 free_inodes = m_file_system->usage().free_inodes;
    u64 free_blocks = m_file_system->usage().free_blocks;
    RefPtr<fs::Vnode> file = top->create("open", 0644, 0, { 0, 0 }).release_value();
    RefPtr<fs::Vnode> second = file; // a second user (another open file)
    u64 number = file->inode_number();
    std::string data(50000, 'q');
    ASSERT_FALSE(file->write(0, bytes_of(data), fs::WriteMode::AtOffset).is_error());
    ASSERT_FALSE(top->unlink("open").is_error());
    EXPECT_EQ(top->lookup("open").error().code(), ENOENT);
    EXPECT_EQ(file->attributes().link_count, 0u);
    ASSERT_FALSE(file->write(data.size(), bytes_of("more"), fs::WriteMode::AtOffset).is_error());
    EXPECT_EQ(read_all(*file), data + "more");
    // In use: on the orphan list, on disk too.
    ASSERT_EQ(m_file_system->orphans().size(), 1u);
    ASSERT_FALSE(m_file_system->sync().is_error());
    EXPECT_EQ(m_file_system->usage().free_inodes, free_inodes - 1);
    EXPECT_NE(debugfs(m_image, "stats").find("First orphan inode:       " + std::to_string(number)), std::string::npos);
    second.clear();
    EXPECT_EQ(m_file_system->orphans().size(), 1u);
    file.clear(); // the last reference: freed now, without another operation
    EXPECT_EQ(m_file_system->orphans().size(), 0u);
    EXPECT_EQ(m_file_system->usage().free_inodes, free_inodes);
    EXPECT_EQ(m_file_system->usage().free_blocks, free_blocks);
    top.clear();
    expect_clean();
}

TEST_P(WriteTest, OrphanListKeepsItsChainAndTheNextMountFreesIt)
{
    RefPtr<fs::Vnode> top = root();
    u64 free_inodes = m_file_system->usage().free_inodes;
    u64 free_blocks = m_file_system->usage().free_blocks;
    std::vector<RefPtr<fs::Vnode>> files;
    for (int i = 0; i < 4; ++i) {
        std::string name = "orphan" + std::to_string(i);
        files.push_back(top->create(view(name), 0644, 0, { 0, 0 }).release_value());
        ASSERT_FALSE(
            files.back()->write(0, bytes_of(std::string(9000, char('a' + i))), fs::WriteMode::AtOffset).is_error());
        ASSERT_FALSE(top->unlink(view(name)).is_error());
    }
    RefPtr<fs::Vnode> directory = top->make_directory("gone", 0755, { 0, 0 }).release_value();
    ASSERT_FALSE(top->remove_directory("gone").is_error());
    ASSERT_EQ(m_file_system->orphans().size(), 5u);
    u64 kept = files[0]->inode_number();
    u64 dropped = files[1]->inode_number();
    // Drop one from the middle of the chain and the head.
    files[1].clear();
    directory.clear();
    ASSERT_EQ(m_file_system->orphans().size(), 3u);
    ASSERT_FALSE(m_file_system->sync().is_error());
    // As after a crash: a copy of the image now, with three orphans. Preen
    // mode processes the list as Linux's boot-time fsck does.
    std::string crashed = path("crashed");
    ASSERT_EQ(run_command("cp " + shell_quote(m_image) + " " + shell_quote(crashed)), 0);
    // (Exit status 1: it marked the not cleanly unmounted image clean.)
    std::string preen;
    EXPECT_LE(run_command(find_tool("e2fsck") + " -p " + shell_quote(crashed), &preen), 1) << preen;
    EXPECT_NE(preen.find("Clearing orphaned inode " + std::to_string(kept) + " "), std::string::npos) << preen;
    EXPECT_EQ(preen.find("Clearing orphaned inode " + std::to_string(dropped) + " "), std::string::npos) << preen;
    usize cleared = 0;
    for (usize at = preen.find("Clearing orphaned"); at != std::string::npos;
         at = preen.find("Clearing orphaned", at + 1))
        ++cleared;
    EXPECT_EQ(cleared, 3u) << preen;
    std::string report;
    EXPECT_TRUE(fsck_clean(crashed, &report)) << report;
    // Our own mount of the crashed copy frees them too.
    std::string crashed_again = path("crashed2");
    ASSERT_EQ(run_command("cp " + shell_quote(m_image) + " " + shell_quote(crashed_again)), 0);
    files.clear();
    top.clear();
    ASSERT_EQ(m_file_system->usage().free_inodes, free_inodes);
    ASSERT_EQ(m_file_system->usage().free_blocks, free_blocks);
    expect_clean();
    m_image = crashed_again;
    ASSERT_FALSE(mount(m_image).is_error());
    EXPECT_EQ(m_file_system->usage().free_inodes, free_inodes);
    EXPECT_EQ(m_file_system->usage().free_blocks, free_blocks);
    expect_clean();
}

TEST_P(WriteTest, RenameNoReplaceChecksUnderTheLock)
{
    RefPtr<fs::Vnode> top = root();
    ASSERT_FALSE(top->create("a", 0644, 0, { 0, 0 }).is_error());
    ASSERT_FALSE(top->create("b", 0644, 0, { 0, 0 }).is_error());
    EXPECT_EQ(top->rename("a", *top, "b", fs::RenameMode::NoReplace).error().code(), EEXIST);
    // Even a second name of the same file counts as existing (Linux too).
    RefPtr<fs::Vnode> a = top->lookup("a").release_value();
    ASSERT_FALSE(top->link("a2", *a).is_error());
    EXPECT_EQ(top->rename("a", *top, "a2", fs::RenameMode::NoReplace).error().code(), EEXIST);
    ASSERT_FALSE(top->rename("a", *top, "c", fs::RenameMode::NoReplace).is_error());
    EXPECT_EQ(top->lookup("a").error().code(), ENOENT);
    EXPECT_EQ(top->lookup("c").release_value()->inode_number(), a->inode_number());
    a.clear();
    top.clear();
    expect_clean();
}

TEST_P(WriteTest, AccessTimeUpdateKeepsTheChangeTime)
{
    RefPtr<fs::Vnode> top = root();
    RefPtr<fs::Vnode> file = top->create("read", 0644, 0, { 0, 0 }).release_value();
    fs::Attributes before = file->attributes();
    fs::AttributeChange change;
    change.set_access_time = true;
    change.access_time = { 1800000000, 987654321 };
    change.keep_change_time = true;
    ASSERT_FALSE(file->set_attributes(change).is_error());
    fs::Attributes after = file->attributes();
    EXPECT_EQ(after.change_time, before.change_time);
    bool nanoseconds = m_file_system->geometry().inode_size > 128;
    fs::Timespec expected_access = nanoseconds ? change.access_time : fs::Timespec { 1800000000, 0 };
    EXPECT_EQ(after.access_time, expected_access);
    file.clear();
    top.clear();
    expect_clean();
    // On disk: seconds, and nanoseconds << 2 in the extra word.
    std::string stat = debugfs(m_image, "stat /read");
    EXPECT_NE(stat.find(nanoseconds ? "atime: 0x6b49d200:eb79a2c4" : "atime: 0x6b49d200"), std::string::npos) << stat;
}

TEST_P(WriteTest, SparseFileBeyondFourGiB)
{
    RefPtr<fs::Vnode> top = root();
    RefPtr<fs::Vnode> file = top->create("huge", 0644, 0, { 0, 0 }).release_value();
    u64 offset = (u64(4) << 30) + 12345;
    auto written = file->write(offset, bytes_of("far away"), fs::WriteMode::AtOffset);
    if (!m_file_system->geometry().has_incompat(ext4::incompat::EXTENTS)
        && m_file_system->geometry().block_size == 1024) {
        // 1 KiB block maps reach 16 GiB: fine too.
        ASSERT_FALSE(written.is_error());
    }
    ASSERT_FALSE(written.is_error()) << written.error().code();
    EXPECT_EQ(file->attributes().size, offset + 8);
    u8 buffer[16] = {};
    ASSERT_EQ(file->read(offset, { buffer, 8 }).release_value(), 8u);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(buffer), 8), "far away");
    ASSERT_EQ(file->read(u64(2) << 30, { buffer, 16 }).release_value(), 16u);
    for (u8 byte : buffer)
        EXPECT_EQ(byte, 0);
    EXPECT_LE(file->attributes().blocks, 64u);
    ASSERT_FALSE(file->truncate(5000).is_error());
    EXPECT_EQ(file->attributes().size, 5000u);
    ASSERT_FALSE(file->write(offset, bytes_of("again"), fs::WriteMode::AtOffset).is_error());
    file.clear();
    top.clear();
    expect_clean();
    EXPECT_NE(debugfs(m_image, "stat /huge").find(std::to_string(offset + 5)), std::string::npos);
}

TEST_P(WriteTest, RunningOutOfSpaceFailsCleanly)
{
    RefPtr<fs::Vnode> top = root();
    // Inodes: create files until ENOSPC.
    int created = 0;
    for (; created < 100000; ++created) {
        auto made = top->create(view("f" + std::to_string(created)), 0644, 0, { 0, 0 });
        if (made.is_error()) {
            EXPECT_EQ(made.error().code(), ENOSPC);
            break;
        }
        if (created > 3000 && GetParam().size_mb > 40)
            break; // enough for the big layouts
    }
    EXPECT_GT(created, 0);
    // Blocks: one file grows until ENOSPC (only on the small images).
    if (GetParam().size_mb <= 64) {
        ASSERT_FALSE(top->unlink("f0").is_error());
        RefPtr<fs::Vnode> file = top->create("filler", 0644, 0, { 0, 0 }).release_value();
        std::string chunk(1 << 20, 'z');
        u64 offset = 0;
        for (;;) {
            auto written = file->write(offset, bytes_of(chunk), fs::WriteMode::AtOffset);
            if (written.is_error()) {
                EXPECT_EQ(written.error().code(), ENOSPC);
                break;
            }
            offset += written.value().written;
            if (written.value().written < chunk.size())
                continue;
        }
        EXPECT_GT(offset, u64(10) << 20);
        EXPECT_EQ(file->attributes().size, offset);
    }
    top.clear();
    expect_clean();
}

TEST_P(WriteTest, IndexedDirectoryStaysValid)
{
    // A directory with enough entries for e2fsck -D to index it.
    if (std::string(GetParam().options).find("-N") != std::string::npos)
        GTEST_SKIP() << "too few inodes for the directory";
    ASSERT_FALSE(unmount().is_error());
    std::string source = path("source");
    std::filesystem::create_directories(source + "/big");
    for (int i = 0; i < 300; ++i)
        write_host_file(source + "/big/name_" + std::to_string(i), "x");
    ASSERT_EQ(
        make_image(m_image, GetParam().size_mb, std::string(GetParam().options) + " -d " + shell_quote(source)), "");
    run_command(find_tool("e2fsck") + " -fyD " + shell_quote(m_image));
    ASSERT_FALSE(mount(m_image).is_error());
    RefPtr<fs::Vnode> big = root()->lookup("big").release_value();
    auto is_indexed = [&] {
        return static_cast<ext4::Ext4Vnode&>(*big).inode().has_flag(ext4::inode_flag::INDEX);
    };
    ASSERT_TRUE(is_indexed());
    // Removals free room in every leaf; new names then go into the leaf their
    // hash selects and the index stays valid (e2fsck checks it below).
    for (int i = 0; i < 100; ++i)
        ASSERT_FALSE(big->unlink(view("name_" + std::to_string(i))).is_error());
    for (int i = 300; i < 310; ++i)
        ASSERT_FALSE(big->create(view("name_" + std::to_string(i)), 0644, 0, { 0, 0 }).is_error());
    EXPECT_TRUE(is_indexed());
    ASSERT_FALSE(big->rename("name_150", *big, "name_renamed").is_error());
    for (int i = 100; i < 310; i += 7)
        EXPECT_FALSE(big->lookup(view("name_" + std::to_string(i == 150 ? 151 : i))).is_error()) << i;
    EXPECT_EQ(big->lookup("name_7").error().code(), ENOENT);
    ASSERT_FALSE(m_file_system->sync().is_error());
    std::string report;
    EXPECT_TRUE(fsck_clean(m_image, &report)) << report;
    // Many more names: full leaves split and the index stays valid.
    for (int i = 310; i < 700; ++i)
        ASSERT_FALSE(big->create(view("name_" + std::to_string(i)), 0644, 0, { 0, 0 }).is_error());
    EXPECT_TRUE(is_indexed());
    EXPECT_EQ(list_names(*big).size(), 2u + 200 + 400);
    EXPECT_FALSE(big->lookup("name_699").is_error());
    big.clear();
    expect_clean();
    EXPECT_NE(debugfs(m_image, "ls /big").find("name_renamed"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Layouts, WriteTest, ::testing::ValuesIn(LAYOUTS),
    [](const ::testing::TestParamInfo<Layout>& info) { return std::string(info.param.name); });

} // namespace

namespace {

using namespace ext4_test;

// Extent trees of depth two and more: thousands of one-block extents written
// in a scrambled order (splits in the middle, insertions before the first
// key), then truncated step by step; e2fsck checks the tree each time.
TEST_F(ImageTest, ExtentTreeGrowsSplitsAndShrinks)
{
    REQUIRE_E2FSPROGS();
    std::string image = path("image");
    ASSERT_EQ(make_image(image, 64, "-b 1024"), "");
    ASSERT_FALSE(mount(image).is_error());
    RefPtr<fs::Vnode> file = root()->create("fragmented", 0644, 0, { 0, 0 }).release_value();
    // Every other block, so no two extents merge: 1500 extents need a tree
    // of depth 2 (the root holds 4 entries, a 1 KiB node 84).
    std::vector<u32> order;
    for (u32 i = 0; i < 1500; ++i)
        order.push_back(i);
    std::mt19937 generator(99);
    std::shuffle(order.begin(), order.end(), generator);
    std::string model;
    for (u32 index : order) {
        u64 offset = u64(index) * 2 * 1024;
        std::string data(1024, char('a' + index % 26));
        ASSERT_FALSE(file->write(offset, bytes_of(data), fs::WriteMode::AtOffset).is_error()) << index;
        if (model.size() < offset + data.size())
            model.resize(offset + data.size(), '\0');
        model.replace(offset, data.size(), data);
    }
    EXPECT_EQ(read_all(*file), model);
    auto depth = [&] {
        return ext4::load16(static_cast<ext4::Ext4Vnode&>(*file).inode().block_area(), 6);
    };
    EXPECT_GE(depth(), 2);
    ASSERT_FALSE(m_file_system->sync().is_error());
    std::string report;
    EXPECT_TRUE(fsck_clean(image, &report)) << report;
    for (u64 size : { u64(2000) * 1024 + 500, u64(300) * 1024, u64(7) * 1024 + 1, u64(0) }) {
        ASSERT_FALSE(file->truncate(size).is_error());
        model.resize(size);
        EXPECT_EQ(read_all(*file), model);
        ASSERT_FALSE(m_file_system->sync().is_error());
        EXPECT_TRUE(fsck_clean(image, &report)) << size << "\n" << report;
    }
    EXPECT_EQ(depth(), 0);
    EXPECT_EQ(file->attributes().blocks, 0u);
    file.clear();
    ASSERT_FALSE(unmount().is_error());
    EXPECT_TRUE(fsck_clean(image, &report)) << report;
}

} // namespace
