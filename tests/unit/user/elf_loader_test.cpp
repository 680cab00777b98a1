// user::parse_elf: good static executables and static PIEs give the right
// load plan; a corpus of broken files (every truncation, every bad field,
// every bad segment shape) is refused with ENOEXEC, never accepted and
// never a crash (the test runs under ASan and UBSan).
#include "ElfBuilder.h"
#include <gtest/gtest.h>
#include <kernel/user/ElfLoader.h>
#include <kernel/user/UserLayout.h>

using test::ElfBuilder;
using test::SegmentSpec;
using user::ElfImage;
using user::parse_elf;
using user::Protection;

namespace {

ErrorOr<ElfImage> parse(const std::vector<u8>& file)
{
    return parse_elf({ file.data(), file.size() });
}

void expect_refused(const std::vector<u8>& file, const char* what)
{
    auto result = parse(file);
    ASSERT_TRUE(result.is_error()) << what << " was accepted";
    EXPECT_EQ(result.error().code(), ENOEXEC) << what;
}

elf::Header header_of(const std::vector<u8>& file)
{
    return test::read_struct<elf::Header>(file, 0);
}

elf::ProgramHeader program_header(const std::vector<u8>& file, size_t index)
{
    return test::read_struct<elf::ProgramHeader>(file, test::program_header_offset(index));
}

template<typename Edit>
std::vector<u8> with_header(Edit edit)
{
    auto file = ElfBuilder::static_executable().build();
    auto header = header_of(file);
    edit(header);
    test::write_struct(file, 0, header);
    return file;
}

template<typename Edit>
std::vector<u8> with_segment(size_t index, Edit edit)
{
    auto file = ElfBuilder::static_executable().build();
    auto segment = program_header(file, index);
    edit(segment);
    test::write_struct(file, test::program_header_offset(index), segment);
    return file;
}

} // namespace

TEST(ElfLoader, AcceptsAStaticExecutable)
{
    auto file = ElfBuilder::static_executable().build();
    auto result = parse(file);
    ASSERT_FALSE(result.is_error()) << lib::errno_name(result.error().code());
    const ElfImage& image = result.value();
    EXPECT_EQ(image.kind, user::ElfKind::Executable);
    EXPECT_EQ(image.load_bias, 0u);
    EXPECT_EQ(image.entry, 0x401000u);
    ASSERT_EQ(image.segment_count, 3u);
    EXPECT_EQ(image.segments[0].start, 0x400000u);
    EXPECT_EQ(image.segments[0].protection, Protection::Read);
    EXPECT_EQ(image.segments[1].protection, Protection::Read | Protection::Execute);
    EXPECT_EQ(image.segments[2].protection, Protection::Read | Protection::Write);
    EXPECT_EQ(image.segments[2].file_size, 0x100u);
    EXPECT_EQ(image.segments[2].memory_size, 0x2000u);
    EXPECT_EQ(image.segments[2].page_end(), 0x405000u);
    EXPECT_EQ(image.end, 0x405000u);
    // No PT_PHDR: the table is found in the first segment's file bytes.
    EXPECT_EQ(image.program_headers, 0x400000u + sizeof(elf::Header));
    EXPECT_EQ(image.program_header_size, sizeof(elf::ProgramHeader));
    EXPECT_EQ(image.program_header_count, 4u);
}

TEST(ElfLoader, MovesAStaticPieToItsBase)
{
    auto file = ElfBuilder::static_pie().build();
    auto result = parse(file);
    ASSERT_FALSE(result.is_error()) << lib::errno_name(result.error().code());
    const ElfImage& image = result.value();
    EXPECT_EQ(image.kind, user::ElfKind::StaticPie);
    EXPECT_EQ(image.load_bias, user::STATIC_PIE_BASE);
    EXPECT_EQ(image.entry, user::STATIC_PIE_BASE + 0x1320);
    ASSERT_EQ(image.segment_count, 3u);
    EXPECT_EQ(image.segments[0].start, user::STATIC_PIE_BASE);
    EXPECT_EQ(image.segments[1].start, user::STATIC_PIE_BASE + 0x1320);
    EXPECT_EQ(image.segments[2].start, user::STATIC_PIE_BASE + 0x3680);
    EXPECT_EQ(image.program_headers, user::STATIC_PIE_BASE + 0x40); // PT_PHDR, biased
    EXPECT_EQ(image.end, user::STATIC_PIE_BASE + 0x4000);
}

TEST(ElfLoader, APieLinkedAboveZeroStillStartsAtTheBase)
{
    ElfBuilder builder;
    builder.type(elf::TYPE_DYN).entry(0x10000100);
    builder.segment({ elf::PT_LOAD, elf::PF_R | elf::PF_X, 0x10000000, 0x1000, 0x1000 });
    auto result = parse(builder.build());
    ASSERT_FALSE(result.is_error());
    EXPECT_EQ(result.value().segments[0].start, user::STATIC_PIE_BASE);
    EXPECT_EQ(result.value().entry, user::STATIC_PIE_BASE + 0x100);
}

TEST(ElfLoader, IgnoresEmptyLoadsAndUnknownSegmentTypes)
{
    auto builder = ElfBuilder::static_executable();
    builder.segment({ elf::PT_LOAD, elf::PF_R, 0x500000, 0, 0 });
    builder.segment({ elf::PT_TLS, elf::PF_R, 0x403000, 0x10, 0x20, 8 });
    builder.segment({ 0x6fff1234, 0, 0, 0, 0, 0 });
    auto result = parse(builder.build());
    ASSERT_FALSE(result.is_error());
    EXPECT_EQ(result.value().segment_count, 3u);
}

TEST(ElfLoader, EveryTruncationIsRefused)
{
    for (const auto& builder : { ElfBuilder::static_executable(), ElfBuilder::static_pie() }) {
        auto file = builder.build();
        ASSERT_FALSE(parse(file).is_error());
        for (size_t length = 0; length < file.size(); ++length) {
            std::vector<u8> prefix(file.begin(), file.begin() + static_cast<long>(length));
            auto result = parse(prefix);
            ASSERT_TRUE(result.is_error()) << "accepted a file cut to " << length << " of " << file.size() << " bytes";
            EXPECT_EQ(result.error().code(), ENOEXEC);
        }
    }
}

TEST(ElfLoader, RefusesBadHeaders)
{
    ASSERT_EQ(ElfBuilder::static_executable().build().size(), 0x3100u); // the sizes below assume it
    expect_refused({}, "an empty file");
    expect_refused(with_header([](elf::Header& h) { h.ident[0] = 0x7e; }), "bad magic byte 0");
    expect_refused(with_header([](elf::Header& h) { h.ident[3] = 'f'; }), "bad magic byte 3");
    expect_refused(with_header([](elf::Header& h) { h.ident[elf::IDENT_CLASS] = 1; }), "ELFCLASS32");
    expect_refused(with_header([](elf::Header& h) { h.ident[elf::IDENT_DATA] = 2; }), "big endian");
    expect_refused(with_header([](elf::Header& h) { h.ident[elf::IDENT_VERSION] = 0; }), "ident version 0");
    expect_refused(with_header([](elf::Header& h) { h.ident[elf::IDENT_OSABI] = 9; }), "FreeBSD OS ABI");
    expect_refused(with_header([](elf::Header& h) { h.type = 1; }), "ET_REL");
    expect_refused(with_header([](elf::Header& h) { h.type = 4; }), "ET_CORE");
    expect_refused(with_header([](elf::Header& h) { h.machine = 3; }), "EM_386");
    expect_refused(with_header([](elf::Header& h) { h.machine = 183; }), "EM_AARCH64");
    expect_refused(with_header([](elf::Header& h) { h.version = 2; }), "e_version 2");
    expect_refused(with_header([](elf::Header& h) { h.header_size = 52; }), "e_ehsize 52");
    expect_refused(with_header([](elf::Header& h) { h.program_header_size = 32; }), "e_phentsize 32");
    expect_refused(with_header([](elf::Header& h) { h.program_header_size = 64; }), "e_phentsize 64");
    expect_refused(with_header([](elf::Header& h) { h.program_header_count = 0; }), "no program headers");
    expect_refused(with_header([](elf::Header& h) { h.program_header_count = 0xffff; }), "PN_XNUM program headers");
    expect_refused(with_header([](elf::Header& h) { h.program_header_offset = 65; }), "a misaligned table");
    expect_refused(
        with_header([](elf::Header& h) { h.program_header_offset = ~u64(0) - 7; }), "a table offset that wraps");
    expect_refused(with_header([](elf::Header& h) { h.program_header_offset = 0x100000; }), "a table past the end");
    expect_refused(
        with_header([](elf::Header& h) { h.program_header_offset = 0x3100 - 2 * sizeof(elf::ProgramHeader); }),
        "a table running past the end");
    // Accepted OS ABIs: System V and GNU.
    EXPECT_FALSE(parse(with_header([](elf::Header& h) { h.ident[elf::IDENT_OSABI] = elf::OSABI_GNU; })).is_error());
}

TEST(ElfLoader, RefusesBadSegments)
{
    using PH = elf::ProgramHeader;
    expect_refused(with_segment(1, [](PH& p) { p.file_size = p.memory_size + 1; }), "p_filesz > p_memsz");
    expect_refused(with_segment(2, [](PH& p) { p.offset = 0x100000; }), "file bytes past the end");
    expect_refused(with_segment(2, [](PH& p) { p.offset = ~u64(0) - 0x10; }), "an offset that wraps");
    expect_refused(with_segment(1, [](PH& p) { p.virtual_address = 0xffffffff80001000; }), "a kernel address");
    expect_refused(with_segment(2, [](PH& p) { p.virtual_address = 0x00007ffffffff000; }), "the top of user space");
    expect_refused(with_segment(2, [](PH& p) { p.memory_size = u64(1) << 40; }), "a huge p_memsz");
    expect_refused(with_segment(2, [](PH& p) { p.memory_size = ~u64(0); }), "p_memsz that wraps");
    expect_refused(with_segment(0, [](PH& p) { p.virtual_address = 0x1000; }), "below USER_MIN_ADDRESS");
    expect_refused(with_segment(1, [](PH& p) { p.virtual_address += 8; }), "p_vaddr not congruent to p_offset");
    expect_refused(with_segment(1, [](PH& p) { p.alignment = 0x3000; }), "p_align not a power of two");
    expect_refused(with_segment(1, [](PH& p) { p.alignment = 0x800000; }), "p_vaddr not congruent modulo p_align");
    expect_refused(with_segment(1, [](PH& p) { p.virtual_address = 0x400000; }), "overlapping segments");
    expect_refused(with_segment(2,
                       [](PH& p) {
                           p.virtual_address = 0x402600; // the text ends at 0x402500, in the same page
                           p.offset = 0x2600;
                       }),
        "segments sharing a page");
    expect_refused(with_segment(2, [](PH& p) { p.virtual_address = 0x3ff000; }), "segments out of order");
    expect_refused(with_segment(3, [](PH& p) { p.type = elf::PT_INTERP; }), "PT_INTERP");
    expect_refused(with_segment(3, [](PH& p) { p.type = elf::PT_SHLIB; }), "PT_SHLIB");
    expect_refused(with_segment(3, [](PH& p) { p.type = elf::PT_PHDR; }), "PT_PHDR after the loads");
    expect_refused(with_segment(1, [](PH& p) { p.flags = elf::PF_R; }), "an entry in a non-executable segment");

    expect_refused(with_header([](elf::Header& h) { h.entry = 0x400100; }), "an entry in the read-only headers");
    expect_refused(with_header([](elf::Header& h) { h.entry = 0x402500; }), "an entry just past the text");
    expect_refused(with_header([](elf::Header& h) { h.entry = 0; }), "entry 0");
}

TEST(ElfLoader, RefusesBadImageShapes)
{
    ElfBuilder no_loads;
    no_loads.type(elf::TYPE_EXEC).entry(0x401000).segment({ elf::PT_NOTE, elf::PF_R, 0, 0, 0, 4 });
    expect_refused(no_loads.build(), "no PT_LOAD");

    ElfBuilder too_many;
    too_many.type(elf::TYPE_EXEC).entry(0x400000);
    for (u64 i = 0; i <= ElfImage::MAX_SEGMENTS; ++i)
        too_many.segment({ elf::PT_LOAD, elf::PF_R | elf::PF_X, 0x400000 + i * 0x1000, 0x10, 0x10 });
    expect_refused(too_many.build(), "more than MAX_SEGMENTS loads");

    ElfBuilder wide;
    wide.type(elf::TYPE_EXEC).entry(0x400000);
    wide.segment({ elf::PT_LOAD, elf::PF_R | elf::PF_X, 0x400000, 0x10, 0x10 });
    wide.segment({ elf::PT_LOAD, elf::PF_R | elf::PF_W, 0x400000 + user::MAX_IMAGE_BYTES, 0x10, 0x10 });
    expect_refused(wide.build(), "an image wider than MAX_IMAGE_BYTES");

    ElfBuilder into_stack;
    into_stack.type(elf::TYPE_EXEC).entry(user::USER_MMAP_TOP - 0x1000);
    into_stack.segment({ elf::PT_LOAD, elf::PF_R | elf::PF_X, user::USER_MMAP_TOP - 0x1000, 0x10, 0x2000 });
    expect_refused(into_stack.build(), "a segment reaching the stack's guard gap");

    ElfBuilder pie_entry_below;
    pie_entry_below.type(elf::TYPE_DYN).entry(0x100);
    pie_entry_below.segment({ elf::PT_LOAD, elf::PF_R | elf::PF_X, 0x10000, 0x10, 0x10 });
    expect_refused(pie_entry_below.build(), "a PIE entry below its first segment");

    auto pie = ElfBuilder::static_pie().build();
    auto phdr = program_header(pie, 0);
    phdr.virtual_address = 0x2800; // between the loads, in no segment's file bytes
    test::write_struct(pie, test::program_header_offset(0), phdr);
    expect_refused(pie, "PT_PHDR outside every segment");
}

TEST(ElfLoader, RandomCorruptionNeverCrashes)
{
    // Flip bytes of the header and table at random: each result is either
    // refused with ENOEXEC or a plan that respects the loader's invariants.
    auto good = ElfBuilder::static_executable().build();
    u64 state = 0x9e3779b97f4a7c15;
    auto next = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    size_t table_end = test::program_header_offset(4);
    for (int round = 0; round < 20000; ++round) {
        auto file = good;
        for (int flips = 1 + static_cast<int>(next() % 4); flips > 0; --flips)
            file[next() % table_end] = static_cast<u8>(next());
        auto result = parse(file);
        if (result.is_error()) {
            EXPECT_EQ(result.error().code(), ENOEXEC);
            continue;
        }
        const ElfImage& image = result.value();
        for (size_t i = 0; i < image.segment_count; ++i) {
            const auto& segment = image.segments[i];
            EXPECT_GE(segment.page_start(), user::USER_MIN_ADDRESS);
            EXPECT_LE(segment.page_end(), user::USER_MMAP_TOP);
            EXPECT_LE(segment.file_size, segment.memory_size);
            EXPECT_LE(segment.file_offset + segment.file_size, file.size());
            if (i > 0)
                EXPECT_GE(segment.page_start(), image.segments[i - 1].page_end());
        }
    }
}
