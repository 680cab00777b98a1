#pragma once

// x86_64 paging glue for kernel/mm: control registers, TLB invalidation, CPU
// paging features and the kernel image's sections from boot/linker.ld.
// Declarations only, so portable mm code may include it; Mmu.cpp is kernel-only.
#include <kernel/lib/Types.h>

namespace x86::mmu {

// Page-aligned bounds of the kernel image. Virtual addresses are in the
// higher half (KERNEL_BASE + physical); `physical_*` span the whole image,
// boot code included.
struct KernelImage {
    VirtAddr text_start, text_end;
    VirtAddr rodata_start, rodata_end;
    VirtAddr data_start, data_end; // .data and .bss
    PhysAddr physical_start, physical_end;
};
KernelImage kernel_image();

// EFER.NXE, which boot/entry.S sets when CPUID.80000001H:EDX.NX is 1.
bool no_execute_enabled();
// CPUID.80000001H:EDX.Page1GB (SDM vol. 3A, section 4.1.4).
bool has_1g_pages();

PhysAddr current_root();
// Loads CR3 (flushes all non-global TLB entries).
void load_root(PhysAddr pml4);
void invalidate_page(VirtAddr address);

// The boot GDT (and an IDT, if one is loaded) sit at physical addresses reached
// through the identity map; reload GDTR/IDTR with their direct-map aliases so
// that dropping the identity map does not pull them away.
void move_descriptor_tables_to_direct_map();

} // namespace x86::mmu
