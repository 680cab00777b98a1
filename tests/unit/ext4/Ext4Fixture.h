#pragma once

// A fixture for tests on a real image: makes images with mkfs.ext4 in a
// temporary directory, mounts them through a FileDevice and unmounts.
#include "Ext4TestSupport.h"
#include <chrono>
#include <fs/ext4/Ext4Vnode.h>

namespace ext4_test {

inline u64 host_clock_ns()
{
    return u64(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
                   .count());
}

class ImageTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_directory = make_temp_dir();
        ASSERT_FALSE(m_directory.empty());
        fs::set_clock(host_clock_ns);
    }
    void TearDown() override
    {
        m_file_system.clear();
        fs::set_clock(nullptr);
        remove_tree(m_directory);
    }

    std::string path(const std::string& name) const { return m_directory + "/" + name; }

    // Mounts the image at `image`; the result stays in m_file_system.
    ErrorOr<void> mount(const std::string& image, bool read_only = false, usize cache_bytes = 1 << 20)
    {
        auto device = FileDevice::open(image);
        if (!device)
            return Error::from_errno(ENOENT);
        ext4::MountOptions options;
        options.read_only = read_only;
        options.cache_bytes = cache_bytes;
        m_file_system = TRY(ext4::Ext4FileSystem::mount(*device, options));
        return {};
    }
    ErrorOr<void> unmount()
    {
        if (!m_file_system)
            return {};
        auto result = m_file_system->unmount();
        m_file_system.clear();
        return result;
    }
    NonnullRefPtr<fs::Vnode> root() { return m_file_system->root(); }

    std::string m_directory;
    RefPtr<ext4::Ext4FileSystem> m_file_system;
};

} // namespace ext4_test
