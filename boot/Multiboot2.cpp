// Multiboot2 boot information parser (Multiboot2 specification 1.0, section 3.6).
//
// The block starts with u32 total_size, u32 reserved, then 8-byte aligned tags
// of { u32 type, u32 size, payload }, ending with a type-0 tag of size 8. Every
// read is checked against both total_size and the bytes the caller says are
// readable, so a hostile or corrupt block yields EINVAL, not a wild read.
#include <boot/BootInfo.h>

namespace boot {

namespace {

enum class Tag : u32 {
    End = 0,
    CommandLine = 1,
    LoaderName = 2,
    Module = 3,
    MemoryMap = 6,
    AcpiOldRsdp = 14,
    AcpiNewRsdp = 15,
};

u32 read_u32(const u8* p)
{
    return u32(p[0]) | u32(p[1]) << 8 | u32(p[2]) << 16 | u32(p[3]) << 24;
}

u64 read_u64(const u8* p)
{
    return u64(read_u32(p)) | u64(read_u32(p + 4)) << 32;
}

// Copies a possibly unterminated string of at most `length` bytes.
void copy_string(char* destination, usize capacity, const u8* source, usize length)
{
    usize n = 0;
    while (n < length && n + 1 < capacity && source[n])
        destination[n] = static_cast<char>(source[n]), ++n;
    destination[n] = '\0';
}

ErrorOr<void> parse_memory_map(const u8* tag, u32 size, BootInfo& out)
{
    if (size < 16)
        return Error::from_errno(EINVAL);
    u32 entry_size = read_u32(tag + 8);
    // Section 3.6.8: `size` is the 16-byte header plus whole entries. 64-bit
    // offsets, so a huge entry_size cannot wrap the loop back into the tag.
    if (entry_size < 24 || entry_size % 8 != 0 || (size - 16) % entry_size != 0)
        return Error::from_errno(EINVAL);
    for (u64 offset = 16; offset + entry_size <= size; offset += entry_size) {
        const u8* entry = tag + offset;
        u64 base = read_u64(entry);
        u64 length = read_u64(entry + 8);
        u32 type = read_u32(entry + 16);
        if (length == 0)
            continue;
        if (base + length < base)
            length = ~u64(0) - base; // clamp an entry that wraps past 2^64
        if (out.memory_region_count == BootInfo::MAX_MEMORY_REGIONS) {
            out.memory_map_truncated = true;
            continue;
        }
        MemoryType kind = (type >= 1 && type <= 5) ? static_cast<MemoryType>(type) : MemoryType::Reserved;
        out.memory_map[out.memory_region_count++] = { base, length, kind };
    }
    return {};
}

} // namespace

ErrorOr<void> parse_multiboot2(const u8* data, usize available, PhysAddr physical, BootInfo& out)
{
    out = {};
    if (!data || available < 16)
        return Error::from_errno(EINVAL);
    u32 total_size = read_u32(data);
    if (total_size < 16 || total_size > available)
        return Error::from_errno(EINVAL);
    out.info_start = physical;
    out.info_end = physical + total_size;

    bool saw_end = false;
    u64 offset = 8; // 64-bit: advancing past a tag near 4 GiB must not wrap
    while (offset + 8 <= total_size) {
        const u8* tag = data + offset;
        auto type = static_cast<Tag>(read_u32(tag));
        u32 size = read_u32(tag + 4);
        if (size < 8 || size > total_size - offset)
            return Error::from_errno(EINVAL);
        if (type == Tag::End) {
            if (size != 8)
                return Error::from_errno(EINVAL);
            saw_end = true;
            break;
        }
        switch (type) {
        case Tag::CommandLine:
            copy_string(out.command_line, sizeof(out.command_line), tag + 8, size - 8);
            break;
        case Tag::LoaderName:
            copy_string(out.loader_name, sizeof(out.loader_name), tag + 8, size - 8);
            break;
        case Tag::Module: {
            if (size < 16)
                return Error::from_errno(EINVAL);
            u32 start = read_u32(tag + 8);
            u32 end = read_u32(tag + 12);
            if (end < start)
                return Error::from_errno(EINVAL);
            if (out.module_count == BootInfo::MAX_MODULES)
                break;
            auto& module = out.modules[out.module_count++];
            module.start = start;
            module.end = end;
            copy_string(module.name, sizeof(module.name), tag + 16, size - 16);
            break;
        }
        case Tag::MemoryMap:
            TRY(parse_memory_map(tag, size, out));
            break;
        case Tag::AcpiOldRsdp:
        case Tag::AcpiNewRsdp: {
            usize length = size - 8;
            if (length > sizeof(out.rsdp))
                length = sizeof(out.rsdp);
            // Prefer the ACPI 2.0+ RSDP when both tags are present.
            if (type == Tag::AcpiOldRsdp && out.rsdp_length > 20)
                break;
            for (usize i = 0; i < length; ++i)
                out.rsdp[i] = tag[8 + i];
            out.rsdp_length = length;
            break;
        }
        default:
            break; // tags we do not use
        }
        offset += align_up<u64>(size, 8);
    }
    if (!saw_end)
        return Error::from_errno(EINVAL);
    return {};
}

const Module* BootInfo::find_module(StringView name) const
{
    for (usize i = 0; i < module_count; ++i) {
        if (command_line_has(modules[i].name, name))
            return &modules[i];
    }
    return nullptr;
}

bool command_line_has(StringView command_line, StringView word)
{
    usize start = 0;
    while (start < command_line.length()) {
        usize end = command_line.find(' ', start);
        if (end == StringView::npos)
            end = command_line.length();
        StringView token = command_line.substring(start, end - start);
        if (token == word || (token.starts_with(word) && token.length() > word.length() && token[word.length()] == '='))
            return true;
        start = end + 1;
    }
    return false;
}

StringView command_line_value(StringView command_line, StringView key)
{
    usize start = 0;
    while (start < command_line.length()) {
        usize end = command_line.find(' ', start);
        if (end == StringView::npos)
            end = command_line.length();
        StringView token = command_line.substring(start, end - start);
        if (token.starts_with(key) && token.length() > key.length() && token[key.length()] == '=')
            return token.substring(key.length() + 1);
        start = end + 1;
    }
    return {};
}

} // namespace boot
