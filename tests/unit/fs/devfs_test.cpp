// devfs: the memory devices through the VFS (open, read, write, stat as
// character devices with Linux's numbers), the directory listing, the
// refusal of namespace changes, device registration, and ChaCha20 against
// RFC 8439's test vector.
#include "FsTestSupport.h"
#include <algorithm>
#include <fs/devfs/DevFileSystem.h>
#include <fs/devfs/DeviceFile.h>
#include <fs/devfs/Random.h>
#include <set>
#include <vector>

namespace {

using fs_test::error_of;

class DevfsTest : public fs_test::VfsTest {
protected:
    void SetUp() override
    {
        VfsTest::SetUp();
        make_directory("/dev");
        auto devfs = fs::devfs::DevFileSystem::try_create();
        ASSERT_FALSE(devfs.is_error());
        m_devfs = devfs.value();
        ASSERT_EQ(error_of(vfs().mount(m_root_context, root(), "/dev", devfs.release_value())), 0);
    }

    void TearDown() override
    {
        m_devfs = nullptr;
        VfsTest::TearDown();
    }

    NonnullRefPtr<fs::OpenFile> open(const char* path, u32 flags)
    {
        auto file = vfs().open(m_root_context, root(), path, flags, 0);
        EXPECT_FALSE(file.is_error()) << path;
        return file.release_value();
    }

    RefPtr<fs::devfs::DevFileSystem> m_devfs;
};

struct Expected {
    const char* path;
    u64 rdev;
};

TEST_F(DevfsTest, NodesAreCharacterDevicesWithLinuxNumbers)
{
    const Expected expected[] = {
        { "/dev/null", 0x103 },
        { "/dev/zero", 0x105 },
        { "/dev/full", 0x107 },
        { "/dev/random", 0x108 },
        { "/dev/urandom", 0x109 },
    };
    for (auto [path, rdev] : expected) {
        auto attributes = vfs().stat(m_root_context, root(), path, fs::FollowFinal::Yes);
        ASSERT_FALSE(attributes.is_error()) << path;
        EXPECT_EQ(attributes.value().type(), fs::FileType::CharacterDevice) << path;
        EXPECT_EQ(attributes.value().mode & 07777, 0666u) << path;
        EXPECT_EQ(attributes.value().rdev, rdev) << path;
        // An open description reports the node too.
        auto file = open(path, fs::open_flag::ReadOnly);
        EXPECT_EQ(file->stat().value().rdev, rdev);
    }
    EXPECT_EQ(fs::devfs::encode_device(5, 1), 0x501u);
    // Large numbers use the split encoding: minor bits 8+ go above the major.
    EXPECT_EQ(fs::devfs::encode_device(259, 300), 0x1032cu | (1ull << 20));
}

TEST_F(DevfsTest, NullZeroAndFullBehaveAsOnLinux)
{
    u8 buffer[300];
    std::fill(std::begin(buffer), std::end(buffer), 0xaa);
    auto null = open("/dev/null", fs::open_flag::ReadWrite);
    EXPECT_EQ(null->read({ buffer, sizeof(buffer) }).value(), 0u);
    EXPECT_EQ(null->write({ buffer, sizeof(buffer) }).value(), sizeof(buffer));
    EXPECT_EQ(null->seek(100, fs::SeekFrom::Start).value(), 0u);

    auto zero = open("/dev/zero", fs::open_flag::ReadWrite);
    EXPECT_EQ(zero->read({ buffer, sizeof(buffer) }).value(), sizeof(buffer));
    EXPECT_TRUE(std::all_of(std::begin(buffer), std::end(buffer), [](u8 b) { return b == 0; }));
    EXPECT_EQ(zero->write({ buffer, 10 }).value(), 10u);

    std::fill(std::begin(buffer), std::end(buffer), 0xaa);
    auto full = open("/dev/full", fs::open_flag::ReadWrite);
    EXPECT_EQ(error_of(full->write({ buffer, 1 })), ENOSPC);
    EXPECT_EQ(full->read({ buffer, sizeof(buffer) }).value(), sizeof(buffer));
    EXPECT_EQ(buffer[299], 0);
}

TEST_F(DevfsTest, UrandomOutputLooksUniformAndNeverRepeats)
{
    auto urandom = open("/dev/urandom", fs::open_flag::ReadOnly);
    std::vector<u8> a(1 << 16);
    std::vector<u8> b(1 << 16);
    ASSERT_EQ(urandom->read({ a.data(), a.size() }).value(), a.size());
    ASSERT_EQ(urandom->read({ b.data(), b.size() }).value(), b.size());
    EXPECT_NE(a, b);
    // Each byte value appears about 256 times in 64 KiB; a chi-square over
    // 255 degrees of freedom above 400 has a probability below 1e-8.
    usize counts[256] = {};
    for (u8 byte : a)
        ++counts[byte];
    double chi_square = 0;
    for (usize count : counts) {
        double deviation = static_cast<double>(count) - 256.0;
        chi_square += deviation * deviation / 256.0;
    }
    EXPECT_LT(chi_square, 400.0);
    // No two 16-byte blocks equal (a stuck generator would repeat).
    std::set<std::vector<u8>> blocks;
    for (usize i = 0; i + 16 <= a.size(); i += 16)
        blocks.insert(std::vector<u8>(a.data() + i, a.data() + i + 16));
    EXPECT_EQ(blocks.size(), a.size() / 16);
}

TEST_F(DevfsTest, ListingShowsEveryDeviceAndNamespaceChangesAreRefused)
{
    auto directory = open("/dev", fs::open_flag::ReadOnly | fs::open_flag::Directory);
    u8 buffer[2048];
    auto size = directory->read_directory({ buffer, sizeof(buffer) });
    ASSERT_FALSE(size.is_error());
    std::set<std::string> names;
    for (usize offset = 0; offset < size.value();) {
        u16 record_length;
        __builtin_memcpy(&record_length, buffer + offset + 16, 2);
        names.insert(reinterpret_cast<const char*>(buffer + offset + 19));
        offset += record_length;
    }
    EXPECT_EQ(names, (std::set<std::string> { ".", "..", "null", "zero", "full", "random", "urandom" }));
    EXPECT_EQ(error_of(vfs().unlink(m_root_context, root(), "/dev/null")), EPERM);
    EXPECT_EQ(error_of(vfs().make_directory(m_root_context, root(), "/dev/x", 0755)), EPERM);
    EXPECT_EQ(error_of(vfs().open(
                  m_root_context, root(), "/dev/new", fs::open_flag::Create | fs::open_flag::WriteOnly, 0644)),
        EPERM);
    EXPECT_EQ(error_of(vfs().open(m_root_context, root(), "/dev/nope", fs::open_flag::ReadOnly, 0)), ENOENT);
}

class CountingDevice final : public fs::devfs::DeviceFile {
public:
    CountingDevice(fs::Location location, u32 flags)
        : DeviceFile(lib::move(location), flags)
    {
    }
    ErrorOr<usize> read(Bytes buffer) override { return buffer.size() > 3 ? 3 : buffer.size(); }
    ErrorOr<usize> write(ReadonlyBytes data) override { return data.size(); }
    StringView kind_name() const override { return "counting"; }
};

ErrorOr<NonnullRefPtr<fs::OpenFile>> open_counting(fs::Location location, u32 flags)
{
    return NonnullRefPtr<fs::OpenFile>(adopt_ref(*new CountingDevice(lib::move(location), flags)));
}

TEST_F(DevfsTest, RegisteredDevicesOpenAsTheirOwnKind)
{
    ASSERT_EQ(error_of(m_devfs->add_device({ "tty", 5, 0, 0666, open_counting })), 0);
    EXPECT_EQ(error_of(m_devfs->add_device({ "tty", 5, 0, 0666, open_counting })), EEXIST);
    auto tty = open("/dev/tty", fs::open_flag::ReadWrite);
    EXPECT_EQ(tty->kind_name(), StringView("counting"));
    u8 buffer[10];
    EXPECT_EQ(tty->read({ buffer, sizeof(buffer) }).value(), 3u);
    EXPECT_EQ(tty->stat().value().rdev, 0x500u);
    // Mounted devfs stays busy while a device is open.
    EXPECT_EQ(error_of(vfs().unmount(m_root_context, root(), "/dev")), EBUSY);
}

TEST(ChaCha20, Rfc8439BlockTestVector)
{
    // RFC 8439 section 2.3.2.
    u32 key[8];
    for (u32 i = 0; i < 8; ++i)
        key[i] = (4 * i) | (4 * i + 1) << 8 | (4 * i + 2) << 16 | (4 * i + 3) << 24;
    const u32 nonce[3] = { 0x09000000, 0x4a000000, 0x00000000 };
    u8 out[64];
    fs::random::chacha20_block(key, 1, nonce, out);
    const u8 expected[64] = {
        0x10,
        0xf1,
        0xe7,
        0xe4,
        0xd1,
        0x3b,
        0x59,
        0x15,
        0x50,
        0x0f,
        0xdd,
        0x1f,
        0xa3,
        0x20,
        0x71,
        0xc4,
        0xc7,
        0xd1,
        0xf4,
        0xc7,
        0x33,
        0xc0,
        0x68,
        0x03,
        0x04,
        0x22,
        0xaa,
        0x9a,
        0xc3,
        0xd4,
        0x6c,
        0x4e,
        0xd2,
        0x82,
        0x64,
        0x46,
        0x07,
        0x9f,
        0xaa,
        0x09,
        0x14,
        0xc2,
        0xd7,
        0x05,
        0xd9,
        0x8b,
        0x02,
        0xa2,
        0xb5,
        0x12,
        0x9c,
        0xd1,
        0xde,
        0x16,
        0x4e,
        0xb9,
        0xcb,
        0xd0,
        0x83,
        0xe8,
        0xa2,
        0x50,
        0x3c,
        0x4e,
    };
    EXPECT_EQ(std::vector<u8>(out, out + 64), std::vector<u8>(expected, expected + 64));
}

} // namespace
