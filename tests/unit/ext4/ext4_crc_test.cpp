// CRC32C (slicing by 8) against the standard check value and a bit-by-bit
// reference over every length and alignment up to 64 bytes and a block.
#include <fs/ext4/Crc.h>
#include <gtest/gtest.h>
#include <random>
#include <vector>

namespace {

u32 bitwise_crc32c(u32 crc, const u8* data, usize length)
{
    for (usize i = 0; i < length; ++i) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 1) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
    }
    return crc;
}

TEST(Crc32c, CheckValue)
{
    EXPECT_EQ(~ext4::crc32c(~0u, "123456789", 9), 0xE3069283u);
}

TEST(Crc32c, MatchesBitwiseReference)
{
    std::mt19937 generator(7);
    std::vector<u8> bytes(4096 + 8);
    for (auto& byte : bytes)
        byte = u8(generator());
    for (usize start = 0; start < 8; ++start) {
        for (usize length = 0; length <= 64; ++length)
            ASSERT_EQ(ext4::crc32c(0x12345678u, bytes.data() + start, length),
                bitwise_crc32c(0x12345678u, bytes.data() + start, length))
                << start << " " << length;
        EXPECT_EQ(ext4::crc32c(~0u, bytes.data() + start, 4096), bitwise_crc32c(~0u, bytes.data() + start, 4096));
    }
}

} // namespace
