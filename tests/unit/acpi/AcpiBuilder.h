#pragma once

// Crafts ACPI tables in a fake physical memory for the parser tests: a byte
// buffer standing for physical addresses [BASE, BASE + size).
#include <cstring>
#include <kernel/acpi/Acpi.h>
#include <string>
#include <vector>

namespace acpi_test {

class FakeMemory final : public acpi::PhysicalMemory {
public:
    static constexpr PhysAddr BASE = 0x000e0000;

    explicit FakeMemory(usize size = 64 * KiB)
        : m_bytes(size, 0)
    {
    }

    const u8* map(PhysAddr address, usize length) override
    {
        ++m_map_calls;
        if (address < BASE || address - BASE > m_bytes.size() || length > m_bytes.size() - (address - BASE))
            return nullptr;
        return m_bytes.data() + (address - BASE);
    }

    // Reserves `length` bytes (8-byte aligned) and returns their physical address.
    PhysAddr allocate(usize length)
    {
        PhysAddr address = BASE + m_next;
        m_next = (m_next + length + 7) & ~usize(7);
        return address;
    }

    u8* at(PhysAddr address) { return m_bytes.data() + (address - BASE); }
    PhysAddr end() const { return BASE + m_bytes.size(); }
    usize map_calls() const { return m_map_calls; }

    // Writes a table at a fresh address and returns it.
    PhysAddr place(const std::vector<u8>& table)
    {
        PhysAddr address = allocate(table.size());
        std::memcpy(at(address), table.data(), table.size());
        return address;
    }

private:
    std::vector<u8> m_bytes;
    usize m_next { 0 };
    usize m_map_calls { 0 };
};

inline void put_u16(std::vector<u8>& v, usize offset, u16 value)
{
    std::memcpy(v.data() + offset, &value, 2);
}
inline void put_u32(std::vector<u8>& v, usize offset, u32 value)
{
    std::memcpy(v.data() + offset, &value, 4);
}
inline void put_u64(std::vector<u8>& v, usize offset, u64 value)
{
    std::memcpy(v.data() + offset, &value, 8);
}

inline u8 checksum_byte(const std::vector<u8>& v, usize length)
{
    u8 sum = 0;
    for (usize i = 0; i < length; ++i)
        sum = static_cast<u8>(sum + v[i]);
    return static_cast<u8>(-sum);
}

// A table: 36-byte header + body. finish() fills in length and checksum.
class TableBuilder {
public:
    explicit TableBuilder(const char* signature, u8 revision = 1, const char* oem = "OSPREY")
        : m_bytes(36, 0)
    {
        std::memcpy(m_bytes.data(), signature, 4);
        m_bytes[8] = revision;
        std::memset(m_bytes.data() + 10, ' ', 6);
        std::memcpy(m_bytes.data() + 10, oem, std::min<usize>(6, std::strlen(oem)));
        std::memcpy(m_bytes.data() + 16, "TESTTABL", 8);
    }

    TableBuilder& bytes(std::initializer_list<u8> list)
    {
        m_bytes.insert(m_bytes.end(), list);
        return *this;
    }
    TableBuilder& zeros(usize count)
    {
        m_bytes.insert(m_bytes.end(), count, 0);
        return *this;
    }
    TableBuilder& u16le(u16 value)
    {
        for (int i = 0; i < 2; ++i)
            m_bytes.push_back(static_cast<u8>(value >> (8 * i)));
        return *this;
    }
    TableBuilder& u32le(u32 value)
    {
        for (int i = 0; i < 4; ++i)
            m_bytes.push_back(static_cast<u8>(value >> (8 * i)));
        return *this;
    }
    TableBuilder& u64le(u64 value)
    {
        for (int i = 0; i < 8; ++i)
            m_bytes.push_back(static_cast<u8>(value >> (8 * i)));
        return *this;
    }

    std::vector<u8> finish() const
    {
        std::vector<u8> table = m_bytes;
        put_u32(table, 4, static_cast<u32>(table.size()));
        table[9] = 0;
        table[9] = checksum_byte(table, table.size());
        return table;
    }

private:
    std::vector<u8> m_bytes;
};

inline std::vector<u8> make_rsdp(u8 revision, u32 rsdt, u64 xsdt)
{
    std::vector<u8> rsdp(revision >= 2 ? 36 : 20, 0);
    std::memcpy(rsdp.data(), "RSD PTR ", 8);
    std::memcpy(rsdp.data() + 9, "BOCHS ", 6);
    rsdp[15] = revision;
    put_u32(rsdp, 16, rsdt);
    rsdp[8] = checksum_byte(rsdp, 20);
    if (revision >= 2) {
        put_u32(rsdp, 20, 36);
        put_u64(rsdp, 24, xsdt);
        rsdp[32] = checksum_byte(rsdp, 36);
    }
    return rsdp;
}

// The MADT QEMU's q35 machine builds for one CPU: LAPIC, IOAPIC at GSI 0,
// overrides 0->2 and 5, 9, 10, 11 level/active-high, LINT1 NMI for all CPUs.
inline std::vector<u8> make_qemu_like_madt()
{
    TableBuilder madt("APIC", 1, "BOCHS");
    madt.u32le(0xfee00000).u32le(1);
    madt.bytes({ 0, 8, 0, 0 }).u32le(1);                    // CPU uid 0 apic 0, enabled
    madt.bytes({ 0, 8, 1, 1 }).u32le(0);                    // CPU uid 1 apic 1, disabled
    madt.bytes({ 1, 12, 0, 0 }).u32le(0xfec00000).u32le(0); // IOAPIC id 0
    madt.bytes({ 2, 10, 0, 0 }).u32le(2).u16le(0);          // IRQ0 -> GSI2
    madt.bytes({ 2, 10, 0, 9 }).u32le(9).u16le(0x000d);     // IRQ9 level, active high
    madt.bytes({ 2, 10, 0, 11 }).u32le(11).u16le(0x000f);   // IRQ11 level, active low
    madt.bytes({ 4, 6, 0xff }).u16le(0).bytes({ 1 });       // LINT1 NMI, all CPUs
    return madt.finish();
}

} // namespace acpi_test
