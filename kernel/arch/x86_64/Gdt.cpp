// GDT, TSS and per-CPU block setup (layout and conventions in Gdt.h).
//
// The boot GDT in entry.S lives in low memory, which goes away when the VMM
// drops the identity map; cpu_init_boot() replaces it with a GDT inside the
// boot CPU's Cpu block in the higher half. Each CPU writes only its own block,
// before interrupts are enabled on it, so no lock is needed. The accessed bit
// is preset in every code and data descriptor so the CPU never writes to the
// GDT when loading a segment register.
#include <kernel/arch/x86_64/Gdt.h>
#include <kernel/arch/x86_64/Idt.h>
#include <kernel/arch/x86_64/Io.h>

namespace x86 {

namespace {

// Access byte and flags of a segment descriptor (SDM vol. 3A, 3.4.5, figure 3-8).
constexpr u8 ACCESS_ACCESSED = 1 << 0;
constexpr u8 ACCESS_READ_WRITE = 1 << 1; // readable code / writable data
constexpr u8 ACCESS_EXECUTABLE = 1 << 3;
constexpr u8 ACCESS_CODE_OR_DATA = 1 << 4; // S: not a system descriptor
constexpr u8 ACCESS_DPL3 = 3 << 5;
constexpr u8 ACCESS_PRESENT = 1 << 7;
constexpr u8 FLAG_LONG_MODE = 1 << 1;      // L: 64-bit code
constexpr u8 FLAG_DEFAULT_32 = 1 << 2;     // D/B: must be 0 when L = 1
constexpr u8 FLAG_GRANULARITY_4K = 1 << 3; // G: limit counts 4 KiB units
constexpr u8 TSS_TYPE_AVAILABLE_64 = 0x9;  // SDM vol. 3A, 3.5 table 3-2

constexpr u8 CODE_ACCESS
    = ACCESS_PRESENT | ACCESS_CODE_OR_DATA | ACCESS_EXECUTABLE | ACCESS_READ_WRITE | ACCESS_ACCESSED;
constexpr u8 DATA_ACCESS = ACCESS_PRESENT | ACCESS_CODE_OR_DATA | ACCESS_READ_WRITE | ACCESS_ACCESSED;
constexpr u8 CODE_FLAGS = FLAG_GRANULARITY_4K | FLAG_LONG_MODE;
constexpr u8 DATA_FLAGS = FLAG_GRANULARITY_4K | FLAG_DEFAULT_32;

// Base 0, limit 0xfffff pages: base and limit are ignored in 64-bit mode for
// everything but FS, GS and system descriptors, but the fields stay canonical.
constexpr u64 segment_descriptor(u8 access, u8 flags)
{
    return 0xffffull | (u64(access) << 40) | (u64(0xf) << 48) | (u64(flags) << 52);
}

static_assert(segment_descriptor(CODE_ACCESS, CODE_FLAGS) == 0x00af9b000000ffff);
static_assert(segment_descriptor(DATA_ACCESS, DATA_FLAGS) == 0x00cf93000000ffff);
static_assert(segment_descriptor(DATA_ACCESS | ACCESS_DPL3, DATA_FLAGS) == 0x00cff3000000ffff);
static_assert(segment_descriptor(CODE_ACCESS | ACCESS_DPL3, CODE_FLAGS) == 0x00affb000000ffff);

// A 16-byte system descriptor for the TSS (SDM vol. 3A, "TSS Descriptor in
// 64-bit mode"): the low quadword is laid out as a legacy descriptor, the
// high one holds base[63:32].
void tss_descriptor(u64 base, u32 limit, u64& low, u64& high)
{
    low = (limit & 0xffffull) | ((base & 0xffffffull) << 16) | (u64(TSS_TYPE_AVAILABLE_64 | ACCESS_PRESENT) << 40)
        | (u64((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    high = base >> 32;
}

struct [[gnu::packed]] DescriptorTablePointer {
    u16 limit;
    u64 base;
};

constexpr u32 MSR_FS_BASE = 0xc0000100;
constexpr u32 MSR_GS_BASE = 0xc0000101;
constexpr u32 MSR_KERNEL_GS_BASE = 0xc0000102;

// Zero-initialized: the boot CPU's block, in .bss of the higher-half image.
Cpu s_boot_cpu;

void load_gdt(const Cpu& cpu)
{
    DescriptorTablePointer pointer { sizeof(cpu.gdt) - 1, reinterpret_cast<u64>(&cpu.gdt) };
    asm volatile("lgdt %0" : : "m"(pointer) : "memory");
    // CS can only change through a far transfer: return to the next
    // instruction with the new selector. Then the data segments; FS and GS get
    // the null selector (their bases come from MSRs).
    asm volatile("pushq %[code]\n\t"
                 "leaq 1f(%%rip), %%rax\n\t"
                 "pushq %%rax\n\t"
                 "lretq\n"
                 "1:\n\t"
                 "movl %[data], %%eax\n\t"
                 "mov %%ax, %%ds\n\t"
                 "mov %%ax, %%es\n\t"
                 "mov %%ax, %%ss\n\t"
                 "xorl %%eax, %%eax\n\t"
                 "mov %%ax, %%fs\n\t"
                 "mov %%ax, %%gs"
                 :
                 : [code] "i"(u64(KERNEL_CODE_SELECTOR)), [data] "i"(u32(KERNEL_DATA_SELECTOR))
                 : "rax", "memory");
    asm volatile("ltr %w0" : : "r"(TSS_SELECTOR) : "memory");
}

} // namespace

void cpu_init(Cpu& cpu, u32 index)
{
    cpu.self = &cpu;
    cpu.index = index;

    cpu.gdt[0] = 0;
    cpu.gdt[KERNEL_CODE_SELECTOR / 8] = segment_descriptor(CODE_ACCESS, CODE_FLAGS);
    cpu.gdt[KERNEL_DATA_SELECTOR / 8] = segment_descriptor(DATA_ACCESS, DATA_FLAGS);
    cpu.gdt[USER_DATA_SELECTOR / 8] = segment_descriptor(DATA_ACCESS | ACCESS_DPL3, DATA_FLAGS);
    cpu.gdt[USER_CODE_SELECTOR / 8] = segment_descriptor(CODE_ACCESS | ACCESS_DPL3, CODE_FLAGS);
    tss_descriptor(
        reinterpret_cast<u64>(&cpu.tss), sizeof(Tss) - 1, cpu.gdt[TSS_SELECTOR / 8], cpu.gdt[TSS_SELECTOR / 8 + 1]);

    cpu.tss = {};
    cpu.tss.io_map_base = sizeof(Tss);
    for (usize slot = 0; slot < IST_STACK_COUNT; ++slot)
        cpu.tss.ist[slot] = reinterpret_cast<u64>(&cpu.ist_stacks[slot][IST_STACK_SIZE]);

    load_gdt(cpu);
    write_msr(MSR_FS_BASE, 0);
    write_msr(MSR_GS_BASE, reinterpret_cast<u64>(&cpu));
    write_msr(MSR_KERNEL_GS_BASE, 0);
}

void cpu_init_boot()
{
    cpu_init(s_boot_cpu, 0);
}

void install_ist_vectors()
{
    idt_set_ist(8, static_cast<u8>(IstSlot::DoubleFault));
    idt_set_ist(2, static_cast<u8>(IstSlot::Nmi));
    idt_set_ist(18, static_cast<u8>(IstSlot::MachineCheck));
}

void set_kernel_stack(VirtAddr top)
{
    current_cpu().tss.rsp[0] = top;
}

} // namespace x86
