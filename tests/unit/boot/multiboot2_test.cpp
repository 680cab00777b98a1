// boot::parse_multiboot2 on crafted information blocks (Multiboot2 spec 1.0,
// section 3.6): a good block, then every way a block can be malformed. The
// buffers are exactly total_size long, so ASan catches any read past the end.
#include <boot/BootInfo.h>
#include <cstring>
#include <gtest/gtest.h>
#include <memory>
#include <string>
#include <vector>

namespace {

struct MapEntry {
    u64 base;
    u64 length;
    u32 type;
};

class Block {
public:
    Block() { put32(0), put32(0); }

    Block& tag(u32 type, const std::vector<u8>& payload, u32 size_override = 0)
    {
        put32(type);
        put32(size_override ? size_override : u32(8 + payload.size()));
        m_bytes.insert(m_bytes.end(), payload.begin(), payload.end());
        while (m_bytes.size() % 8)
            m_bytes.push_back(0);
        return *this;
    }
    Block& string_tag(u32 type, const std::string& text)
    {
        std::vector<u8> payload(text.begin(), text.end());
        payload.push_back(0);
        return tag(type, payload);
    }
    Block& module(u32 start, u32 end, const std::string& name)
    {
        std::vector<u8> payload;
        append32(payload, start);
        append32(payload, end);
        payload.insert(payload.end(), name.begin(), name.end());
        payload.push_back(0);
        return tag(3, payload);
    }
    Block& memory_map(const std::vector<MapEntry>& entries, u32 entry_size = 24)
    {
        std::vector<u8> payload;
        append32(payload, entry_size);
        append32(payload, 0); // entry_version
        for (const auto& entry : entries) {
            append64(payload, entry.base);
            append64(payload, entry.length);
            append32(payload, entry.type);
            append32(payload, 0);
            for (u32 i = 24; i < entry_size && entry_size < 64; ++i)
                payload.push_back(0);
        }
        return tag(6, payload);
    }
    Block& end() { return tag(0, {}); }

    // The finished block, in a heap buffer of exactly `total_size` bytes
    // (or `cut` bytes less, to truncate it).
    std::vector<u8> finish(usize cut = 0) const
    {
        std::vector<u8> bytes = m_bytes;
        u32 total = u32(bytes.size() - cut);
        std::memcpy(bytes.data(), &total, 4);
        bytes.resize(total);
        bytes.shrink_to_fit();
        return bytes;
    }

private:
    static void append32(std::vector<u8>& out, u32 value)
    {
        for (int i = 0; i < 4; ++i)
            out.push_back(u8(value >> (8 * i)));
    }
    static void append64(std::vector<u8>& out, u64 value)
    {
        append32(out, u32(value));
        append32(out, u32(value >> 32));
    }
    void put32(u32 value) { append32(m_bytes, value); }

    std::vector<u8> m_bytes;
};

int parse(const std::vector<u8>& bytes, boot::BootInfo& info)
{
    // A heap copy of exactly the block's size, so ASan sees any overread.
    std::unique_ptr<u8[]> copy(new u8[bytes.size()]);
    std::memcpy(copy.get(), bytes.data(), bytes.size());
    auto result = boot::parse_multiboot2(copy.get(), bytes.size(), 0x10000, info);
    return result.is_error() ? result.error().code() : 0;
}

int parse(const std::vector<u8>& bytes)
{
    auto info = std::make_unique<boot::BootInfo>();
    return parse(bytes, *info);
}

} // namespace

TEST(Multiboot2, GoodBlock)
{
    std::vector<u8> rsdp(36, 0x5a);
    auto bytes = Block()
                     .string_tag(1, "kshell root=/dev/vda loglevel=7")
                     .string_tag(2, "GRUB 2.06")
                     .module(0x200000, 0x201000, "symbols")
                     .module(0x300000, 0x380000, "initramfs extra")
                     .memory_map({ { 0, 0x9fc00, 1 }, { 0x100000, 0x7ff00000, 1 }, { 0xfec00000, 0x1000, 2 },
                         { 0x100000000, 0x80000000, 1 }, { 0x7ffe0000, 0x20000, 3 } })
                     .tag(15, rsdp)
                     .tag(99, { 1, 2, 3 }) // unknown tags are skipped
                     .end()
                     .finish();
    auto info = std::make_unique<boot::BootInfo>();
    ASSERT_EQ(parse(bytes, *info), 0);
    EXPECT_STREQ(info->command_line, "kshell root=/dev/vda loglevel=7");
    EXPECT_STREQ(info->loader_name, "GRUB 2.06");
    ASSERT_EQ(info->module_count, 2u);
    EXPECT_EQ(info->modules[0].start, 0x200000u);
    EXPECT_EQ(info->modules[0].end, 0x201000u);
    EXPECT_STREQ(info->modules[1].name, "initramfs extra");
    ASSERT_EQ(info->memory_region_count, 5u);
    EXPECT_EQ(info->memory_map[3].base, 0x100000000u);
    EXPECT_EQ(info->memory_map[3].length, 0x80000000u);
    EXPECT_EQ(info->memory_map[2].type, boot::MemoryType::Reserved);
    EXPECT_EQ(info->memory_map[4].type, boot::MemoryType::AcpiReclaimable);
    EXPECT_FALSE(info->memory_map_truncated);
    EXPECT_EQ(info->rsdp_length, 36u);
    EXPECT_EQ(info->rsdp[35], 0x5a);
    EXPECT_EQ(info->info_start, 0x10000u);
    EXPECT_EQ(info->info_end, 0x10000u + bytes.size());
    ASSERT_NE(info->find_module("symbols"), nullptr);
    EXPECT_EQ(info->find_module("symbols")->start, 0x200000u);
    EXPECT_EQ(info->find_module("extra"), &info->modules[1]);
    EXPECT_EQ(info->find_module("missing"), nullptr);
}

TEST(Multiboot2, BadTotalSize)
{
    auto bytes = Block().string_tag(1, "x").end().finish();
    auto info = std::make_unique<boot::BootInfo>();
    // total_size larger than what the caller can read.
    EXPECT_EQ(boot::parse_multiboot2(bytes.data(), bytes.size() - 8, 0, *info).error().code(), EINVAL);
    // total_size below the 8-byte header plus an end tag.
    std::vector<u8> tiny = { 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0 };
    EXPECT_EQ(parse(tiny), EINVAL);
    EXPECT_EQ(boot::parse_multiboot2(bytes.data(), 12, 0, *info).error().code(), EINVAL);
    EXPECT_EQ(boot::parse_multiboot2(nullptr, 64, 0, *info).error().code(), EINVAL);
}

TEST(Multiboot2, TruncatedBlockOrMissingEndTag)
{
    // Cut the end tag off: the block ends after the last full tag.
    EXPECT_EQ(parse(Block().string_tag(1, "abc").end().finish(8)), EINVAL);
    // Cut in the middle of a tag header.
    EXPECT_EQ(parse(Block().string_tag(1, "abcdefghijk").end().finish(12)), EINVAL);
    // No end tag at all.
    EXPECT_EQ(parse(Block().string_tag(1, "abc").finish()), EINVAL);
    // An end tag of the wrong size.
    EXPECT_EQ(parse(Block().tag(0, { 0, 0, 0, 0, 0, 0, 0, 0 }).finish()), EINVAL);
}

TEST(Multiboot2, TagSizeBelowHeader)
{
    EXPECT_EQ(parse(Block().tag(1, { 'a', 0, 0, 0, 0, 0, 0, 0 }, 4).end().finish()), EINVAL);
    EXPECT_EQ(parse(Block().tag(1, { 'a', 0, 0, 0, 0, 0, 0, 0 }, 0xffffffff).end().finish()), EINVAL);
}

TEST(Multiboot2, TagPastTheEnd)
{
    EXPECT_EQ(parse(Block().tag(1, { 'a', 0, 0, 0, 0, 0, 0, 0 }, 64).end().finish()), EINVAL);
    // A module tag too short for its start and end fields.
    EXPECT_EQ(parse(Block().tag(3, { 0, 0, 0, 0 }).end().finish()), EINVAL);
    // A module that ends before it starts.
    EXPECT_EQ(parse(Block().module(0x2000, 0x1000, "m").end().finish()), EINVAL);
}

TEST(Multiboot2, MemoryMapWithBadEntrySize)
{
    std::vector<MapEntry> one = { { 0x100000, 0x100000, 1 } };
    EXPECT_EQ(parse(Block().memory_map(one, 20).end().finish()), EINVAL);
    EXPECT_EQ(parse(Block().memory_map(one, 0).end().finish()), EINVAL);
    EXPECT_EQ(parse(Block().memory_map(one, 28).end().finish()), EINVAL);
    // Larger entries (a future version) are fine: the extra bytes are skipped.
    auto info = std::make_unique<boot::BootInfo>();
    ASSERT_EQ(
        parse(Block().memory_map({ { 0x100000, 0x1000, 1 }, { 0x200000, 0x2000, 1 } }, 32).end().finish(), *info), 0);
    ASSERT_EQ(info->memory_region_count, 2u);
    EXPECT_EQ(info->memory_map[1].base, 0x200000u);
    // A huge entry size must not wrap the offset arithmetic into a read past
    // the tag (this read 24 bytes past the block before the fix).
    ASSERT_EQ(parse(Block().memory_map({}, 0xfffffff8).end().finish(), *info), 0);
    EXPECT_EQ(info->memory_region_count, 0u);
    EXPECT_EQ(parse(Block().memory_map(one, 0xfffffff8).end().finish()), EINVAL);
    // Entries must fill the tag exactly: one 24-byte entry plus 8 stray bytes.
    std::vector<u8> ragged = { 24, 0, 0, 0, 0, 0, 0, 0 };
    ragged.resize(8 + 24 + 8, 0);
    ragged[8 + 9] = 0x10; // length 0x1000
    ragged[8 + 16] = 1;   // usable
    EXPECT_EQ(parse(Block().tag(6, ragged).end().finish()), EINVAL);
    ragged.resize(8 + 24);
    EXPECT_EQ(parse(Block().tag(6, ragged).end().finish()), 0);
    // A memory map tag too short for its header.
    EXPECT_EQ(parse(Block().tag(6, { 24, 0, 0, 0 }).end().finish()), EINVAL);
}

TEST(Multiboot2, MemoryMapEntriesPassThroughAsGiven)
{
    auto info = std::make_unique<boot::BootInfo>();
    auto bytes = Block()
                     .memory_map({
                         { 0x200000, 0x100000, 1 }, { 0x100000, 0x180000, 1 }, // overlaps the first
                         { 0x180000, 0x1000, 2 },                              // reserved inside both
                         { 0x400000, 0, 1 },                                   // empty: dropped
                         { 0xfffffffffffff000, 0x2000, 1 },                    // wraps: clamped
                         { 0x500000, 0x1000, 42 },                             // unknown type: reserved
                     })
                     .end()
                     .finish();
    ASSERT_EQ(parse(bytes, *info), 0);
    ASSERT_EQ(info->memory_region_count, 5u);
    EXPECT_EQ(info->memory_map[0].base, 0x200000u);
    EXPECT_EQ(info->memory_map[1].base, 0x100000u);
    EXPECT_EQ(info->memory_map[1].length, 0x180000u);
    EXPECT_EQ(info->memory_map[2].type, boot::MemoryType::Reserved);
    EXPECT_EQ(info->memory_map[3].base + info->memory_map[3].length, ~u64(0));
    EXPECT_EQ(info->memory_map[4].type, boot::MemoryType::Reserved);
}

TEST(Multiboot2, TooManyMemoryMapEntriesAreTruncated)
{
    std::vector<MapEntry> many;
    for (u64 i = 0; i < boot::BootInfo::MAX_MEMORY_REGIONS + 10; ++i)
        many.push_back({ i * 0x100000, 0x1000, 1 });
    auto info = std::make_unique<boot::BootInfo>();
    ASSERT_EQ(parse(Block().memory_map(many).end().finish(), *info), 0);
    EXPECT_EQ(info->memory_region_count, boot::BootInfo::MAX_MEMORY_REGIONS);
    EXPECT_TRUE(info->memory_map_truncated);
}

TEST(Multiboot2, UnterminatedStringsStayInTheirTag)
{
    auto info = std::make_unique<boot::BootInfo>();
    ASSERT_EQ(parse(Block().tag(2, { 'G', 'R', 'U', 'B' }).tag(1, { 'a', 'b' }).end().finish(), *info), 0);
    EXPECT_STREQ(info->loader_name, "GRUB");
    EXPECT_STREQ(info->command_line, "ab");
    std::string longer(1000, 'x');
    ASSERT_EQ(parse(Block().string_tag(1, longer).end().finish(), *info), 0);
    EXPECT_EQ(std::strlen(info->command_line), boot::BootInfo::MAX_COMMAND_LINE - 1);
}

TEST(Multiboot2, NewRsdpWinsOverOld)
{
    std::vector<u8> old_rsdp(20, 0x11);
    std::vector<u8> new_rsdp(36, 0x22);
    auto info = std::make_unique<boot::BootInfo>();
    ASSERT_EQ(parse(Block().tag(15, new_rsdp).tag(14, old_rsdp).end().finish(), *info), 0);
    EXPECT_EQ(info->rsdp_length, 36u);
    EXPECT_EQ(info->rsdp[0], 0x22);
    ASSERT_EQ(parse(Block().tag(14, old_rsdp).end().finish(), *info), 0);
    EXPECT_EQ(info->rsdp_length, 20u);
}

TEST(Multiboot2, CommandLineHelpers)
{
    StringView line = "kshell root=/dev/vda  quiet loglevel=7 kshellx";
    EXPECT_TRUE(boot::command_line_has(line, "kshell"));
    EXPECT_TRUE(boot::command_line_has(line, "quiet"));
    EXPECT_TRUE(boot::command_line_has(line, "root"));
    EXPECT_TRUE(boot::command_line_has(line, "kshellx"));
    EXPECT_FALSE(boot::command_line_has(line, "ksh"));
    EXPECT_FALSE(boot::command_line_has(line, "dev"));
    EXPECT_FALSE(boot::command_line_has("", "kshell"));
    EXPECT_TRUE(boot::command_line_value(line, "root") == StringView("/dev/vda"));
    EXPECT_TRUE(boot::command_line_value(line, "loglevel") == StringView("7"));
    EXPECT_TRUE(boot::command_line_value(line, "quiet").is_empty());
    EXPECT_TRUE(boot::command_line_value(line, "missing").is_empty());
    EXPECT_TRUE(boot::command_line_value("a=", "a").is_empty());
}
