#pragma once

// Osprey's virtual address layout (see docs/architecture.md):
//
//   0x0000000000000000 .. 0x00007fffffffffff   user space (lower half)
//   0xffff800000000000 .. +64 TiB              direct map of all physical memory
//   0xffffc00000000000 .. +1 TiB               kernel virtual areas (stacks with guard pages, MMIO)
//   0xffffffff80000000 .. +2 GiB               kernel image (-mcmodel=kernel)
//
// The boot code maps the first 4 GiB at the direct-map base; the VMM extends
// the direct map to all of memory.
#include <kernel/lib/Types.h>

namespace mm {

inline constexpr VirtAddr USER_END = 0x0000800000000000;
inline constexpr VirtAddr DIRECT_MAP_BASE = 0xffff800000000000;
inline constexpr usize DIRECT_MAP_SIZE = 64ull * 1024 * GiB;
inline constexpr VirtAddr KERNEL_AREA_BASE = 0xffffc00000000000;
inline constexpr usize KERNEL_AREA_SIZE = 1024ull * GiB;
inline constexpr VirtAddr KERNEL_BASE = 0xffffffff80000000;

// The kernel area's parts (kernel/mm/KernelVirtualMemory.cpp): uncached MMIO
// mappings, first fit; then kernel stacks in fixed slots, each with at least
// one unmapped guard page below the stack.
inline constexpr VirtAddr KERNEL_MMIO_BASE = KERNEL_AREA_BASE;
inline constexpr usize KERNEL_MMIO_SIZE = 256ull * GiB;
inline constexpr VirtAddr KERNEL_STACKS_BASE = KERNEL_AREA_BASE + 512ull * GiB;
inline constexpr usize KERNEL_STACK_SLOT_SIZE = 256 * KiB;
inline constexpr usize KERNEL_STACK_SLOTS = 4096;
inline constexpr usize KERNEL_STACK_MAX_PAGES = KERNEL_STACK_SLOT_SIZE / PAGE_SIZE - 1;
static_assert(KERNEL_STACKS_BASE + KERNEL_STACK_SLOTS * KERNEL_STACK_SLOT_SIZE <= KERNEL_AREA_BASE + KERNEL_AREA_SIZE);

// Until the VMM extends the direct map, only the first 4 GiB are reachable.
inline constexpr PhysAddr EARLY_DIRECT_MAP_LIMIT = 4ull * GiB;

template<typename T = u8>
inline T* phys_to_virt(PhysAddr address)
{
    return reinterpret_cast<T*>(address + DIRECT_MAP_BASE);
}

inline PhysAddr virt_to_phys_direct(const void* pointer)
{
    return reinterpret_cast<VirtAddr>(pointer) - DIRECT_MAP_BASE;
}

// Physical address of a symbol in the kernel image.
inline PhysAddr kernel_virt_to_phys(const void* pointer)
{
    return reinterpret_cast<VirtAddr>(pointer) - KERNEL_BASE;
}

} // namespace mm
