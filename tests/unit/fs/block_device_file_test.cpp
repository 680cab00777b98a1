// Block device files (fs/devfs/BlockDeviceFile.cpp) over a memory disk:
// the /dev node's type and numbers, byte-granular reads and writes at
// unaligned offsets (read-modify-write of partial sectors, nothing around
// them touched), end-of-device behaviour, lseek, ioctl BLKFLSBUF, and a
// device error passed on as EIO.
#include "FsTestSupport.h"
#include <cstring>
#include <fs/block/Partitions.h>
#include <fs/devfs/BlockDeviceFile.h>
#include <fs/devfs/DevFileSystem.h>
#include <vector>

namespace {

using fs_test::error_of;

class MemoryDisk final : public block::BlockDevice {
public:
    MemoryDisk(const char* name, u64 sectors)
        : m_name(name)
        , bytes(sectors * 512)
    {
        for (usize i = 0; i < bytes.size(); ++i)
            bytes[i] = static_cast<u8>(i * 13 + (i >> 9));
    }

    StringView name() const override { return m_name; }
    u32 sector_size() const override { return 512; }
    u64 sector_count() const override { return bytes.size() / 512; }
    ErrorOr<void> read_sectors(u64 first, Bytes buffer) override
    {
        TRY(block::check_transfer(*this, first, buffer.size()));
        if (fail_sector >= first && fail_sector < first + buffer.size() / 512)
            return Error::from_errno(EIO);
        ++reads;
        std::memcpy(buffer.data(), bytes.data() + first * 512, buffer.size());
        return {};
    }
    ErrorOr<void> write_sectors(u64 first, ReadonlyBytes data) override
    {
        TRY(block::check_transfer(*this, first, data.size()));
        ++writes;
        std::memcpy(bytes.data() + first * 512, data.data(), data.size());
        return {};
    }
    ErrorOr<void> flush() override
    {
        ++flushes;
        return {};
    }

    const char* m_name;
    std::vector<u8> bytes;
    u64 fail_sector { ~u64(0) };
    usize reads { 0 };
    usize writes { 0 };
    usize flushes { 0 };
};

class BlockFileTest : public fs_test::VfsTest {
protected:
    void SetUp() override
    {
        VfsTest::SetUp();
        make_directory("/dev");
        auto devfs = fs::devfs::DevFileSystem::try_create();
        ASSERT_FALSE(devfs.is_error());
        m_devfs = devfs.value();
        ASSERT_EQ(error_of(vfs().mount(m_root_context, root(), "/dev", devfs.release_value())), 0);
        m_disk = adopt_ref(*new MemoryDisk("vdc", 64));
        ASSERT_FALSE(block::register_device(NonnullRefPtr<block::BlockDevice>(*m_disk)).is_error());
        auto added = fs::devfs::add_block_device_nodes(*m_devfs);
        ASSERT_FALSE(added.is_error());
        EXPECT_EQ(added.value(), 1u);
    }

    void TearDown() override
    {
        block::unregister_device("vdc");
        m_devfs = nullptr;
        m_disk = nullptr;
        VfsTest::TearDown();
    }

    NonnullRefPtr<fs::OpenFile> open(const char* path, u32 flags)
    {
        auto file = vfs().open(m_root_context, root(), path, flags, 0);
        EXPECT_FALSE(file.is_error()) << path;
        return file.release_value();
    }

    RefPtr<fs::devfs::DevFileSystem> m_devfs;
    RefPtr<MemoryDisk> m_disk;
};

TEST_F(BlockFileTest, NodeIsABlockDeviceWithLinuxNumbers)
{
    auto attributes = vfs().stat(m_root_context, root(), "/dev/vdc", fs::FollowFinal::Yes);
    ASSERT_FALSE(attributes.is_error());
    EXPECT_EQ(attributes.value().type(), fs::FileType::BlockDevice);
    EXPECT_EQ(attributes.value().mode & 07777, 0660u);
    EXPECT_EQ(attributes.value().rdev, fs::devfs::encode_device(254, 32));
    // Adding again adds nothing.
    EXPECT_EQ(fs::devfs::add_block_device_nodes(*m_devfs).value(), 0u);
}

TEST_F(BlockFileTest, UnalignedReadSeesTheDisk)
{
    auto file = open("/dev/vdc", fs::open_flag::ReadOnly);
    std::vector<u8> buffer(3000);
    ASSERT_EQ(file->pread(700, { buffer.data(), buffer.size() }).value(), buffer.size());
    EXPECT_EQ(std::memcmp(buffer.data(), m_disk->bytes.data() + 700, buffer.size()), 0);
    // read() moves the offset.
    ASSERT_EQ(file->seek(10, fs::SeekFrom::Start).value(), 10u);
    u8 small[5];
    ASSERT_EQ(file->read({ small, 5 }).value(), 5u);
    ASSERT_EQ(file->read({ small, 5 }).value(), 5u);
    EXPECT_EQ(std::memcmp(small, m_disk->bytes.data() + 15, 5), 0);
    EXPECT_EQ(file->seek(0, fs::SeekFrom::Current).value(), 20u);
}

TEST_F(BlockFileTest, UnalignedWriteKeepsTheBytesAround)
{
    std::vector<u8> before = m_disk->bytes;
    auto file = open("/dev/vdc", fs::open_flag::ReadWrite);
    std::vector<u8> data(2000, 0x5a);
    ASSERT_EQ(file->pwrite(1001, { data.data(), data.size() }).value(), data.size());
    for (usize i = 0; i < m_disk->bytes.size(); ++i) {
        u8 expected = i >= 1001 && i < 3001 ? 0x5a : before[i];
        ASSERT_EQ(m_disk->bytes[i], expected) << "byte " << i;
    }
}

TEST_F(BlockFileTest, AlignedTransfersGoStraightToTheDevice)
{
    auto file = open("/dev/vdc", fs::open_flag::ReadWrite);
    std::vector<u8> data(8192, 0x11);
    m_disk->reads = m_disk->writes = 0;
    ASSERT_EQ(file->pwrite(4096, { data.data(), data.size() }).value(), data.size());
    EXPECT_EQ(m_disk->writes, 1u);
    EXPECT_EQ(m_disk->reads, 0u); // no read-modify-write
    ASSERT_EQ(file->pread(4096, { data.data(), data.size() }).value(), data.size());
    EXPECT_EQ(m_disk->reads, 1u);
}

TEST_F(BlockFileTest, EndOfDeviceAsOnLinux)
{
    auto file = open("/dev/vdc", fs::open_flag::ReadWrite);
    u64 size = u64(64) * 512;
    u8 buffer[1024];
    EXPECT_EQ(file->seek(0, fs::SeekFrom::End).value(), size);
    EXPECT_EQ(file->read({ buffer, sizeof(buffer) }).value(), 0u);
    EXPECT_EQ(file->pread(size - 100, { buffer, sizeof(buffer) }).value(), 100u);
    EXPECT_EQ(file->pwrite(size - 10, { buffer, sizeof(buffer) }).value(), 10u);
    EXPECT_EQ(error_of(file->pwrite(size, { buffer, sizeof(buffer) })), ENOSPC);
    EXPECT_EQ(error_of(file->seek(static_cast<i64>(size) + 1, fs::SeekFrom::Start)), EINVAL);
    EXPECT_EQ(error_of(file->seek(-1, fs::SeekFrom::Start)), EINVAL);
    EXPECT_EQ(error_of(file->seek(INT64_MAX, fs::SeekFrom::End)), EINVAL);
}

TEST_F(BlockFileTest, FlushIoctlReachesTheDevice)
{
    auto file = open("/dev/vdc", fs::open_flag::ReadOnly);
    EXPECT_EQ(file->ioctl(fs::devfs::BlockDeviceFile::BLKFLSBUF, 0).value(), 0u);
    EXPECT_EQ(m_disk->flushes, 1u);
    EXPECT_EQ(error_of(file->ioctl(0x5401, 0)), ENOTTY);
}

TEST_F(BlockFileTest, DeviceErrorsAreEio)
{
    auto file = open("/dev/vdc", fs::open_flag::ReadWrite);
    m_disk->fail_sector = 3;
    u8 buffer[100];
    EXPECT_EQ(error_of(file->pread(3 * 512 + 5, { buffer, sizeof(buffer) })), EIO);
    // A partial-sector write needs the sector first: EIO too, nothing written.
    m_disk->writes = 0;
    EXPECT_EQ(error_of(file->pwrite(3 * 512 + 5, { buffer, sizeof(buffer) })), EIO);
    EXPECT_EQ(m_disk->writes, 0u);
    // Bytes before the bad sector still count.
    std::vector<u8> big(usize(4) * 512);
    EXPECT_EQ(file->pread(u64(2) * 512, { big.data(), 512 + 100 }).value(), 512u);
}

TEST_F(BlockFileTest, MissingDeviceIsEnxio)
{
    block::unregister_device("vdc");
    auto file = vfs().open(m_root_context, root(), "/dev/vdc", fs::open_flag::ReadOnly, 0);
    EXPECT_EQ(error_of(file), ENXIO);
}

} // namespace
