#pragma once

// Shared set-up for the VFS and ramfs tests: a Vfs with a fresh ramfs as its
// root, root and user contexts, small helpers, and a leak check: every test
// must end with as many live vnodes and open file descriptions as it began
// with (the fixture tears the tree down first).
#include <fs/ramfs/RamFileSystem.h>
#include <fs/vfs/Vfs.h>
#include <gtest/gtest.h>
#include <string>

namespace fs_test {

inline std::string as_string(fs::OpenFile& file, usize limit = 1 << 20)
{
    std::string text;
    u8 buffer[700];
    while (text.size() < limit) {
        auto count = file.read({ buffer, sizeof(buffer) });
        if (count.is_error() || count.value() == 0)
            break;
        text.append(reinterpret_cast<const char*>(buffer), count.value());
    }
    return text;
}

inline ReadonlyBytes bytes_of(const std::string& text)
{
    return { reinterpret_cast<const u8*>(text.data()), text.size() };
}

inline int error_of(const ErrorOr<void>& result)
{
    return result.is_error() ? result.error().code() : 0;
}

template<typename T>
int error_of(const ErrorOr<T>& result)
{
    return result.is_error() ? result.error().code() : 0;
}

class VfsTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_vnodes_before = fs::live_vnode_count();
        m_files_before = fs::live_open_file_count();
        m_vfs = new fs::Vfs();
        auto root = fs::ramfs::RamFileSystem::try_create(0755);
        ASSERT_FALSE(root.is_error());
        ASSERT_FALSE(m_vfs->mount_root(root.release_value()).is_error());
        m_root_context = { m_vfs->root(), fs::Credentials::root() };
        m_user_context = { m_vfs->root(), fs::Credentials::user(1000, 1000) };
    }

    void TearDown() override
    {
        m_root_context = {};
        m_user_context = {};
        delete m_vfs;
        EXPECT_EQ(fs::live_vnode_count(), m_vnodes_before) << "vnodes leaked";
        EXPECT_EQ(fs::live_open_file_count(), m_files_before) << "open files leaked";
    }

    fs::Vfs& vfs() { return *m_vfs; }
    fs::Location root() { return m_vfs->root(); }

    void make_directory(const char* path, u32 mode = 0755)
    {
        ASSERT_EQ(error_of(vfs().make_directory(m_root_context, root(), path, mode)), 0) << path;
    }

    void write_file(const char* path, const std::string& text, u32 mode = 0644)
    {
        auto file = vfs().open(m_root_context, root(), path,
            fs::open_flag::WriteOnly | fs::open_flag::Create | fs::open_flag::Truncate, mode);
        ASSERT_FALSE(file.is_error()) << path << ": " << lib::errno_name(file.error().code());
        auto written = file.value()->write(bytes_of(text));
        ASSERT_FALSE(written.is_error());
        ASSERT_EQ(written.value(), text.size());
    }

    std::string read_file(const char* path, const fs::Context* context = nullptr)
    {
        auto file = vfs().open(context ? *context : m_root_context, root(), path, fs::open_flag::ReadOnly, 0);
        if (file.is_error())
            return std::string("<") + lib::errno_name(file.error().code()) + ">";
        return as_string(*file.value());
    }

    void symlink(const char* target, const char* path)
    {
        ASSERT_EQ(error_of(vfs().symlink(m_root_context, target, root(), path)), 0) << path;
    }

    int resolve_error(const char* path, fs::FollowFinal follow = fs::FollowFinal::Yes)
    {
        return error_of(vfs().resolve(m_root_context, root(), path, follow));
    }

    fs::Context m_root_context;
    fs::Context m_user_context;

private:
    fs::Vfs* m_vfs { nullptr };
    i64 m_vnodes_before { 0 };
    i64 m_files_before { 0 };
};

} // namespace fs_test
