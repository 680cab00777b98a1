// Table-driven CRC32C and CRC16; the tables are built at compile time from
// the polynomials.
#include <fs/ext4/Crc.h>

namespace ext4 {

namespace {

struct Crc32Table {
    u32 entries[256];
};

constexpr Crc32Table make_crc32c_table()
{
    Crc32Table table {};
    for (u32 i = 0; i < 256; ++i) {
        u32 value = i;
        for (int bit = 0; bit < 8; ++bit)
            value = (value & 1) ? (value >> 1) ^ 0x82F63B78u : value >> 1;
        table.entries[i] = value;
    }
    return table;
}

struct Crc16Table {
    u16 entries[256];
};

constexpr Crc16Table make_crc16_table()
{
    Crc16Table table {};
    for (u32 i = 0; i < 256; ++i) {
        u32 value = i;
        for (int bit = 0; bit < 8; ++bit)
            value = (value & 1) ? (value >> 1) ^ 0xA001u : value >> 1;
        table.entries[i] = u16(value);
    }
    return table;
}

constexpr Crc32Table CRC32C_TABLE = make_crc32c_table();
constexpr Crc16Table CRC16_TABLE = make_crc16_table();

} // namespace

u32 crc32c(u32 seed, const void* data, usize length)
{
    const u8* bytes = static_cast<const u8*>(data);
    u32 crc = seed;
    for (usize i = 0; i < length; ++i)
        crc = CRC32C_TABLE.entries[(crc ^ bytes[i]) & 0xFF] ^ (crc >> 8);
    return crc;
}

u32 crc32c_u32(u32 seed, u32 value)
{
    u8 bytes[4] = { u8(value), u8(value >> 8), u8(value >> 16), u8(value >> 24) };
    return crc32c(seed, bytes, 4);
}

u16 crc16(u16 seed, const void* data, usize length)
{
    const u8* bytes = static_cast<const u8*>(data);
    u16 crc = seed;
    for (usize i = 0; i < length; ++i)
        crc = u16(CRC16_TABLE.entries[(crc ^ bytes[i]) & 0xFF] ^ (crc >> 8));
    return crc;
}

} // namespace ext4
