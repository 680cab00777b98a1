// ELF64 validation; the rules are listed in ElfLoader.h. Every offset and
// size from the file is checked with overflow-safe arithmetic (a check is
// always "offset <= limit && size <= limit - offset", never "offset + size <=
// limit") before it is used, and every refusal is ENOEXEC.
#include <kernel/user/Elf.h>
#include <kernel/user/ElfLoader.h>
#include <kernel/user/UserLayout.h>

namespace user {

namespace {

Error not_executable()
{
    return Error::from_errno(ENOEXEC);
}

// [offset, offset + size) lies inside a file of `file_size` bytes.
bool inside(u64 offset, u64 size, u64 file_size)
{
    return offset <= file_size && size <= file_size - offset;
}

template<typename T>
T read_at(Span<const u8> file, u64 offset)
{
    T value;
    __builtin_memcpy(&value, file.data() + offset, sizeof(T));
    return value;
}

Protection protection_from_flags(u32 flags)
{
    Protection protection = Protection::None;
    if (flags & elf::PF_R)
        protection = protection | Protection::Read;
    if (flags & elf::PF_W)
        protection = protection | Protection::Write;
    if (flags & elf::PF_X)
        protection = protection | Protection::Execute;
    return protection;
}

bool header_is_valid(const elf::Header& header)
{
    if (__builtin_memcmp(header.ident, elf::MAGIC, sizeof(elf::MAGIC)) != 0)
        return false;
    if (header.ident[elf::IDENT_CLASS] != elf::CLASS_64 || header.ident[elf::IDENT_DATA] != elf::DATA_LITTLE_ENDIAN
        || header.ident[elf::IDENT_VERSION] != elf::VERSION_CURRENT)
        return false;
    if (header.ident[elf::IDENT_OSABI] != elf::OSABI_SYSV && header.ident[elf::IDENT_OSABI] != elf::OSABI_GNU)
        return false;
    if (header.type != elf::TYPE_EXEC && header.type != elf::TYPE_DYN)
        return false;
    if (header.machine != elf::MACHINE_X86_64 || header.version != elf::VERSION_CURRENT)
        return false;
    if (header.header_size != sizeof(elf::Header) || header.program_header_size != sizeof(elf::ProgramHeader))
        return false;
    if (header.program_header_count == 0 || header.program_header_count > MAX_PROGRAM_HEADERS)
        return false;
    return header.program_header_offset % alignof(u64) == 0;
}

// Checks one PT_LOAD against the file and the previous segment (unbiased
// addresses: the bias is the same for all) and records it.
ErrorOr<void> add_load_segment(ElfImage& image, const elf::ProgramHeader& header, u64 file_size)
{
    if (header.memory_size == 0 && header.file_size == 0)
        return {};
    if (image.segment_count == ElfImage::MAX_SEGMENTS)
        return not_executable();
    if (header.file_size > header.memory_size || header.memory_size > MAX_IMAGE_BYTES)
        return not_executable();
    if (!inside(header.offset, header.file_size, file_size))
        return not_executable();
    if (header.virtual_address >= mm::USER_END)
        return not_executable();
    if ((header.virtual_address - header.offset) % PAGE_SIZE != 0)
        return not_executable();
    if (header.alignment > 1) {
        if (!is_power_of_two(header.alignment) || (header.virtual_address - header.offset) % header.alignment != 0)
            return not_executable();
    }
    ElfSegment segment {
        header.virtual_address,
        header.offset,
        header.file_size,
        header.memory_size,
        protection_from_flags(header.flags),
    };
    // Both values are below 2^47 + 2^30: no overflow in page_end().
    if (image.segment_count > 0 && segment.page_start() < image.segments[image.segment_count - 1].page_end())
        return not_executable(); // out of order, overlapping or sharing a page
    image.segments[image.segment_count++] = segment;
    return {};
}

// Moves a static PIE to STATIC_PIE_BASE and checks that every segment lies in
// the user range allowed for images.
ErrorOr<void> place_segments(ElfImage& image, const elf::Header& header)
{
    VirtAddr first_page = image.segments[0].page_start();
    VirtAddr last_end = image.segments[image.segment_count - 1].page_end();
    if (last_end - first_page > MAX_IMAGE_BYTES)
        return not_executable();

    VirtAddr entry = header.entry;
    if (image.kind == ElfKind::StaticPie) {
        if (entry < first_page)
            return not_executable();
        image.load_bias = STATIC_PIE_BASE - first_page; // modulo 2^64: adds back exactly
        for (usize i = 0; i < image.segment_count; ++i)
            image.segments[i].start = STATIC_PIE_BASE + (image.segments[i].start - first_page);
        entry = STATIC_PIE_BASE + (entry - first_page);
    }
    for (usize i = 0; i < image.segment_count; ++i) {
        const ElfSegment& segment = image.segments[i];
        if (segment.page_start() < USER_MIN_ADDRESS || segment.page_end() > USER_MMAP_TOP)
            return not_executable();
    }
    image.end = image.segments[image.segment_count - 1].page_end();

    for (usize i = 0; i < image.segment_count; ++i) {
        const ElfSegment& segment = image.segments[i];
        if (has_protection(segment.protection, Protection::Execute) && entry >= segment.start
            && entry - segment.start < segment.memory_size) {
            image.entry = entry;
            return {};
        }
    }
    return not_executable();
}

// AT_PHDR: PT_PHDR's address when present (it must lie in a segment's file
// bytes), else the segment whose file bytes hold the table, else 0.
ErrorOr<void> locate_program_headers(
    ElfImage& image, const elf::Header& header, bool has_phdr_segment, u64 phdr_address)
{
    u64 table_size = u64(header.program_header_count) * sizeof(elf::ProgramHeader);
    image.program_headers = 0;
    for (usize i = 0; i < image.segment_count; ++i) {
        const ElfSegment& segment = image.segments[i];
        if (has_phdr_segment) {
            VirtAddr address = phdr_address + image.load_bias;
            if (address >= segment.start && inside(address - segment.start, table_size, segment.file_size)) {
                image.program_headers = address;
                return {};
            }
        } else if (header.program_header_offset >= segment.file_offset
            && inside(header.program_header_offset - segment.file_offset, table_size, segment.file_size)) {
            image.program_headers = segment.start + (header.program_header_offset - segment.file_offset);
            return {};
        }
    }
    if (has_phdr_segment)
        return not_executable();
    return {};
}

} // namespace

ErrorOr<ElfImage> parse_elf(Span<const u8> file)
{
    if (file.size() < sizeof(elf::Header))
        return not_executable();
    auto header = read_at<elf::Header>(file, 0);
    if (!header_is_valid(header))
        return not_executable();
    u64 table_size = u64(header.program_header_count) * sizeof(elf::ProgramHeader);
    if (!inside(header.program_header_offset, table_size, file.size()))
        return not_executable();

    ElfImage image {};
    image.kind = header.type == elf::TYPE_DYN ? ElfKind::StaticPie : ElfKind::Executable;
    image.program_header_size = header.program_header_size;
    image.program_header_count = header.program_header_count;

    bool has_phdr_segment = false;
    u64 phdr_address = 0;
    for (u16 i = 0; i < header.program_header_count; ++i) {
        auto program_header
            = read_at<elf::ProgramHeader>(file, header.program_header_offset + u64(i) * sizeof(elf::ProgramHeader));
        switch (program_header.type) {
        case elf::PT_INTERP: // needs a dynamic linker, which Osprey does not have
        case elf::PT_SHLIB:
            return not_executable();
        case elf::PT_PHDR:
            if (has_phdr_segment || image.segment_count > 0) // gABI: once, before any PT_LOAD
                return not_executable();
            has_phdr_segment = true;
            phdr_address = program_header.virtual_address;
            if (phdr_address >= mm::USER_END)
                return not_executable();
            break;
        case elf::PT_LOAD:
            TRY(add_load_segment(image, program_header, file.size()));
            break;
        default:
            break;
        }
    }
    if (image.segment_count == 0)
        return not_executable();
    TRY(place_segments(image, header));
    TRY(locate_program_headers(image, header, has_phdr_segment, phdr_address));
    return image;
}

} // namespace user
