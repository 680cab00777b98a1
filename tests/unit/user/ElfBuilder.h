#pragma once

// Builds ELF64 executables in memory for the loader tests: a header, a
// program-header table right after it, then each PT_LOAD's file bytes at the
// end of the file (so cutting the file anywhere cuts something the loader
// needs). Fields can be edited after build() to make bad files.
#include <cstring>
#include <kernel/user/Elf.h>
#include <vector>

namespace test {

struct SegmentSpec {
    u32 type;
    u32 flags;
    u64 virtual_address;
    u64 file_size;
    u64 memory_size;
    u64 alignment = 0x1000;
    bool covers_headers = false; // a PT_LOAD at file offset 0: the ELF header and table are in it
};

class ElfBuilder {
public:
    ElfBuilder& type(u16 value)
    {
        m_type = value;
        return *this;
    }
    ElfBuilder& entry(u64 value)
    {
        m_entry = value;
        return *this;
    }
    ElfBuilder& segment(const SegmentSpec& spec)
    {
        m_segments.push_back(spec);
        return *this;
    }

    // File layout: header (64), table (56 each), padding to a page, then the
    // loads' bytes, each at an offset congruent to its address mod 4 KiB.
    std::vector<u8> build() const
    {
        u64 table_end = sizeof(elf::Header) + m_segments.size() * sizeof(elf::ProgramHeader);
        u64 offset = (table_end + 0xfff) & ~u64(0xfff);
        std::vector<elf::ProgramHeader> headers;
        for (const SegmentSpec& spec : m_segments) {
            elf::ProgramHeader header {};
            header.type = spec.type;
            header.flags = spec.flags;
            header.virtual_address = spec.virtual_address;
            header.physical_address = spec.virtual_address;
            header.file_size = spec.file_size;
            header.memory_size = spec.memory_size;
            header.alignment = spec.alignment;
            if (spec.type == elf::PT_LOAD && spec.covers_headers) {
                header.offset = 0;
            } else if (spec.type == elf::PT_LOAD) {
                offset += (spec.virtual_address - offset) & 0xfff;
                header.offset = offset;
                offset += spec.file_size;
            }
            headers.push_back(header);
        }
        std::vector<u8> file(offset, 0);
        elf::Header header {};
        std::memcpy(header.ident, elf::MAGIC, 4);
        header.ident[elf::IDENT_CLASS] = elf::CLASS_64;
        header.ident[elf::IDENT_DATA] = elf::DATA_LITTLE_ENDIAN;
        header.ident[elf::IDENT_VERSION] = elf::VERSION_CURRENT;
        header.type = m_type;
        header.machine = elf::MACHINE_X86_64;
        header.version = elf::VERSION_CURRENT;
        header.entry = m_entry;
        header.program_header_offset = sizeof(elf::Header);
        header.header_size = sizeof(elf::Header);
        header.program_header_size = sizeof(elf::ProgramHeader);
        header.program_header_count = static_cast<u16>(headers.size());
        std::memcpy(file.data(), &header, sizeof(header));
        for (size_t i = 0; i < headers.size(); ++i)
            std::memcpy(file.data() + sizeof(elf::Header) + i * sizeof(elf::ProgramHeader), &headers[i],
                sizeof(elf::ProgramHeader));
        // Recognizable bytes in the segments.
        for (const elf::ProgramHeader& program_header : headers) {
            if (program_header.type != elf::PT_LOAD || program_header.offset == 0)
                continue;
            for (u64 i = 0; i < program_header.file_size; ++i)
                file[program_header.offset + i] = static_cast<u8>(i * 7 + 1);
        }
        return file;
    }

    // A typical static executable at 0x400000: R (headers), RX (text), RW (data + bss).
    static ElfBuilder static_executable()
    {
        ElfBuilder builder;
        builder.type(elf::TYPE_EXEC).entry(0x401000);
        builder.segment({ elf::PT_LOAD, elf::PF_R, 0x400000, 0x200, 0x200, 0x1000, true });
        builder.segment({ elf::PT_LOAD, elf::PF_R | elf::PF_X, 0x401000, 0x1500, 0x1500 });
        builder.segment({ elf::PT_LOAD, elf::PF_R | elf::PF_W, 0x403000, 0x100, 0x2000 });
        builder.segment({ elf::PT_GNU_STACK, elf::PF_R | elf::PF_W, 0, 0, 0, 0 });
        return builder;
    }

    // A static PIE linked at 0, as ld.lld -pie --no-dynamic-linker makes it.
    static ElfBuilder static_pie()
    {
        ElfBuilder builder;
        builder.type(elf::TYPE_DYN).entry(0x1320);
        builder.segment({ elf::PT_PHDR, elf::PF_R, 0x40, 0x118, 0x118, 8 });
        builder.segment({ elf::PT_LOAD, elf::PF_R, 0x0, 0x31b, 0x31b, 0x1000, true });
        builder.segment({ elf::PT_LOAD, elf::PF_R | elf::PF_X, 0x1320, 0x135c, 0x135c });
        builder.segment({ elf::PT_LOAD, elf::PF_R | elf::PF_W, 0x3680, 0x90, 0x90 });
        builder.segment({ elf::PT_DYNAMIC, elf::PF_R | elf::PF_W, 0x3680, 0x90, 0x90, 8 });
        return builder;
    }

private:
    u16 m_type { elf::TYPE_EXEC };
    u64 m_entry { 0 };
    std::vector<SegmentSpec> m_segments;
};

template<typename T>
T read_struct(const std::vector<u8>& file, size_t offset)
{
    T value;
    std::memcpy(&value, file.data() + offset, sizeof(T));
    return value;
}

template<typename T>
void write_struct(std::vector<u8>& file, size_t offset, const T& value)
{
    std::memcpy(file.data() + offset, &value, sizeof(T));
}

inline size_t program_header_offset(size_t index)
{
    return sizeof(elf::Header) + index * sizeof(elf::ProgramHeader);
}

} // namespace test
