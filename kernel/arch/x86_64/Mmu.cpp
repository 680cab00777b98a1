// x86_64 paging glue; see Mmu.h.
#include <kernel/arch/x86_64/Io.h>
#include <kernel/arch/x86_64/Mmu.h>
#include <kernel/mm/Layout.h>

extern "C" const u8 _text_start[], _text_end[], _rodata_start[], _rodata_end[], _data_start[], _data_end[];
extern "C" const u8 _kernel_phys_start[], _kernel_phys_end[];

namespace x86::mmu {

namespace {

constexpr u32 MSR_EFER = 0xc0000080;
constexpr u64 EFER_NXE = u64(1) << 11;
constexpr u32 CPUID_EXTENDED_MAX = 0x80000000;
constexpr u32 CPUID_EXTENDED_FEATURES = 0x80000001;
constexpr u32 CPUID_EDX_PAGE_1GB = u32(1) << 26;

struct [[gnu::packed]] DescriptorTablePointer {
    u16 limit;
    u64 base;
};

VirtAddr page_down(const u8* symbol)
{
    return align_down<VirtAddr>(reinterpret_cast<VirtAddr>(symbol), PAGE_SIZE);
}

VirtAddr page_up(const u8* symbol)
{
    return align_up<VirtAddr>(reinterpret_cast<VirtAddr>(symbol), PAGE_SIZE);
}

} // namespace

KernelImage kernel_image()
{
    return {
        page_down(_text_start),
        page_up(_text_end),
        page_down(_rodata_start),
        page_up(_rodata_end),
        page_down(_data_start),
        page_up(_data_end),
        align_down<PhysAddr>(reinterpret_cast<PhysAddr>(_kernel_phys_start), PAGE_SIZE),
        align_up<PhysAddr>(reinterpret_cast<PhysAddr>(_kernel_phys_end), PAGE_SIZE),
    };
}

bool no_execute_enabled()
{
    return read_msr(MSR_EFER) & EFER_NXE;
}

bool has_1g_pages()
{
    if (cpuid(CPUID_EXTENDED_MAX).eax < CPUID_EXTENDED_FEATURES)
        return false;
    return cpuid(CPUID_EXTENDED_FEATURES).edx & CPUID_EDX_PAGE_1GB;
}

PhysAddr current_root()
{
    return read_cr3() & 0x000ffffffffff000;
}

void load_root(PhysAddr pml4)
{
    write_cr3(pml4);
}

void invalidate_page(VirtAddr address)
{
    invlpg(address);
}

void move_descriptor_tables_to_direct_map()
{
    DescriptorTablePointer pointer {};
    asm volatile("sgdt %0" : "=m"(pointer));
    if (pointer.base < mm::EARLY_DIRECT_MAP_LIMIT) {
        pointer.base += mm::DIRECT_MAP_BASE;
        asm volatile("lgdt %0" : : "m"(pointer) : "memory");
    }
    asm volatile("sidt %0" : "=m"(pointer));
    if (pointer.limit != 0 && pointer.base < mm::EARLY_DIRECT_MAP_LIMIT) {
        pointer.base += mm::DIRECT_MAP_BASE;
        asm volatile("lidt %0" : : "m"(pointer) : "memory");
    }
}

} // namespace x86::mmu
