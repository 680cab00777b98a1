// Table-driven CRC32C and CRC16; the tables are built at compile time from
// the polynomials.
#include <fs/ext4/Crc.h>

namespace ext4 {

namespace {

// Slicing by 8: entries[k][b] is the CRC of byte b followed by k zero bytes,
// so eight input bytes take eight lookups and no per-byte shifts.
struct Crc32Table {
    u32 entries[8][256];
};

constexpr Crc32Table make_crc32c_table()
{
    Crc32Table table {};
    for (u32 i = 0; i < 256; ++i) {
        u32 value = i;
        for (int bit = 0; bit < 8; ++bit)
            value = (value & 1) ? (value >> 1) ^ 0x82F63B78u : value >> 1;
        table.entries[0][i] = value;
    }
    for (int slice = 1; slice < 8; ++slice) {
        for (u32 i = 0; i < 256; ++i) {
            u32 previous = table.entries[slice - 1][i];
            table.entries[slice][i] = (previous >> 8) ^ table.entries[0][previous & 0xFF];
        }
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
    const auto& t = CRC32C_TABLE.entries;
    u32 crc = seed;
    usize i = 0;
    for (; i + 8 <= length; i += 8) {
        u32 low = crc ^ (u32(bytes[i]) | u32(bytes[i + 1]) << 8 | u32(bytes[i + 2]) << 16 | u32(bytes[i + 3]) << 24);
        u32 high = u32(bytes[i + 4]) | u32(bytes[i + 5]) << 8 | u32(bytes[i + 6]) << 16 | u32(bytes[i + 7]) << 24;
        crc = t[7][low & 0xFF] ^ t[6][(low >> 8) & 0xFF] ^ t[5][(low >> 16) & 0xFF] ^ t[4][low >> 24]
            ^ t[3][high & 0xFF] ^ t[2][(high >> 8) & 0xFF] ^ t[1][(high >> 16) & 0xFF] ^ t[0][high >> 24];
    }
    for (; i < length; ++i)
        crc = t[0][(crc ^ bytes[i]) & 0xFF] ^ (crc >> 8);
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
