#pragma once

// The kernel's memory: boot-time setup and the kernel address space.
//
// mm::init(boot_info), once, right after the boot information is parsed:
//   1. places the frame bitmap in usable memory below 4 GiB, clear of the
//      kernel image, the modules and the boot information block;
//   2. builds the frame allocator (kernel/mm/PhysicalMemory.h) and reserves
//      everything below 1 MiB, the kernel image, each module, the boot
//      information block and the bitmap before anything is allocated;
//   3. builds the kernel page tables: the direct map at DIRECT_MAP_BASE of all
//      RAM plus the whole first 4 GiB (non-RAM there uncached, for LAPIC,
//      IOAPIC, HPET, PCI ECAM through phys_to_virt), the kernel image at
//      KERNEL_BASE in 4 KiB pages (text RX, rodata R NX, data/bss RW NX), all
//      global; then loads CR3, which drops the boot identity map.
// Afterwards the kernel half never changes above the PDPT level (see
// PageTable.h), so address spaces can share it.
//
// Locking: changes to kernel mappings after boot take one spinlock (in
// KernelVirtualMemory.cpp); lock order is that lock, then the frame allocator's.
#include <boot/BootInfo.h>
#include <kernel/mm/AddressSpace.h>
#include <kernel/mm/PhysicalMemory.h>

namespace mm {

void init(const boot::BootInfo& boot_info);

// The memory map as the boot loader gave it (for `memmap`).
Span<const boot::MemoryRegion> boot_memory_map();

PhysAddr kernel_root();
PagingFeatures paging_features();
// Page-table frames from the frame allocator, reached through the direct map.
PageTableMemory& kernel_page_table_memory();

// Uncached mapping of device memory in the kernel area, page granular; the
// result points at `physical` itself (offset kept). RAM is refused (EINVAL):
// reach it through phys_to_virt, cached.
ErrorOr<VirtAddr> map_mmio(PhysAddr physical, usize size);
// Undoes map_mmio with the same address and size.
ErrorOr<void> unmap_mmio(VirtAddr address, usize size);

// A zeroed kernel stack of `pages` (1..KERNEL_STACK_MAX_PAGES) frames with an
// unmapped guard page below it; returns the top (the first byte above it).
ErrorOr<VirtAddr> allocate_kernel_stack(usize pages);
ErrorOr<void> free_kernel_stack(VirtAddr top);

// The translation of a kernel address in the kernel page tables.
ErrorOr<Translation> query_kernel(VirtAddr address);

// A new user address space sharing the kernel half.
ErrorOr<void> create_address_space(AddressSpace& space);
// Loads `space`'s page tables on this CPU, or the kernel's for nullptr.
void activate(const AddressSpace* space);
// An AddressSpace::FrameReleaser that gives frames back to the frame allocator.
void release_frames(PhysAddr physical, PageSize size);

} // namespace mm
