// The kernel area after boot: uncached MMIO mappings and kernel stacks, plus
// the hooks that let user address spaces share the kernel half.
//
// MMIO mappings take the first free stretch of [KERNEL_MMIO_BASE, +SIZE),
// found in the page tables themselves, so unmapped space is reused. Kernel
// stacks live in fixed slots of KERNEL_STACK_SLOT_SIZE: a stack of n pages
// fills the top n pages of its slot and the rest of the slot (one page at
// least) stays unmapped as its guard. A bitmap records which slots are taken.
//
// Locking: s_lock guards the kernel page tables (after mm::init) and the slot
// bitmap. Frames are allocated before taking it where the count is known;
// page-table frames are taken under it (lock order: s_lock, then frames).
#include <kernel/arch/x86_64/Mmu.h>
#include <kernel/mm/BootMemory.h>
#include <kernel/mm/Layout.h>
#include <kernel/mm/MemoryManager.h>

namespace mm {

namespace {

constexpr PageFlags KERNEL_DATA = PageFlags::Present | PageFlags::Writable | PageFlags::Global | PageFlags::NoExecute;
constexpr usize SLOT_WORDS = KERNEL_STACK_SLOTS / 64;

Spinlock s_lock;
u64 s_stack_slots[SLOT_WORDS]; // guarded by s_lock; bit set = slot in use

PageTable kernel_table()
{
    return PageTable(kernel_page_table_memory(), kernel_root(), paging_features());
}

void free_leaf_frames(void*, VirtAddr, PhysAddr physical, PageSize size)
{
    release_frames(physical, size);
}

bool overlaps_ram(PhysAddr base, PhysAddr end)
{
    for (const auto& region : boot_memory_map()) {
        if (is_ram(region.type) && base < region.base + region.length && region.base < end)
            return true;
    }
    return false;
}

// Page-aligned [base, base + length) around [address, address + size); false on overflow.
bool page_span(u64 address, usize size, u64& base, u64& length)
{
    u64 end = address + size;
    if (size == 0 || end < address || end > ~u64(0) - PAGE_SIZE)
        return false;
    base = align_down<u64>(address, PAGE_SIZE);
    length = align_up<u64>(end, PAGE_SIZE) - base;
    return true;
}

} // namespace

void release_frames(PhysAddr physical, PageSize size)
{
    usize count = page_size_bytes(size) / PAGE_SIZE;
    (void)(count == 1 ? free_frame(physical) : free_frames(physical, count)); // bad frees are logged there
}

ErrorOr<VirtAddr> map_mmio(PhysAddr physical, usize size)
{
    u64 base = 0;
    u64 length = 0;
    if (!page_span(physical, size, base, length) || base + length > PageTable::MAX_PHYSICAL_ADDRESS
        || overlaps_ram(base, base + length))
        return Error::from_errno(EINVAL);
    SpinlockGuard guard(s_lock);
    PageTable table = kernel_table();
    VirtAddr address = TRY(table.find_unmapped(KERNEL_MMIO_BASE, KERNEL_MMIO_BASE + KERNEL_MMIO_SIZE - 1, length));
    TRY(table.map_range(address, base, length, KERNEL_DATA | UNCACHED, PageSize::Size4K));
    return address + (physical - base);
}

ErrorOr<void> unmap_mmio(VirtAddr address, usize size)
{
    u64 base = 0;
    u64 length = 0;
    if (!page_span(address, size, base, length) || base < KERNEL_MMIO_BASE
        || base + length > KERNEL_MMIO_BASE + KERNEL_MMIO_SIZE)
        return Error::from_errno(EINVAL);
    SpinlockGuard guard(s_lock);
    return kernel_table().unmap(base, length);
}

ErrorOr<VirtAddr> allocate_kernel_stack(usize pages)
{
    if (pages == 0 || pages > KERNEL_STACK_MAX_PAGES)
        return Error::from_errno(EINVAL);
    PhysAddr frames[KERNEL_STACK_MAX_PAGES];
    for (usize i = 0; i < pages; ++i) {
        auto frame = allocate_frame();
        if (frame.is_error()) {
            while (i > 0)
                (void)free_frame(frames[--i]);
            return frame.release_error();
        }
        frames[i] = frame.value();
        __builtin_memset(phys_to_virt(frames[i]), 0, PAGE_SIZE);
    }

    auto mapped = [&]() -> ErrorOr<VirtAddr> {
        SpinlockGuard guard(s_lock);
        usize slot = KERNEL_STACK_SLOTS;
        for (usize word = 0; word < SLOT_WORDS && slot == KERNEL_STACK_SLOTS; ++word) {
            if (~s_stack_slots[word])
                slot = word * 64 + static_cast<usize>(__builtin_ctzll(~s_stack_slots[word]));
        }
        if (slot == KERNEL_STACK_SLOTS)
            return Error::from_errno(ENOMEM);
        VirtAddr top = KERNEL_STACKS_BASE + (slot + 1) * KERNEL_STACK_SLOT_SIZE;
        VirtAddr bottom = top - pages * PAGE_SIZE;
        PageTable table = kernel_table();
        for (usize i = 0; i < pages; ++i) {
            auto result = table.map(bottom + i * PAGE_SIZE, frames[i], KERNEL_DATA);
            if (result.is_error()) {
                if (i)
                    (void)table.unmap(bottom, i * PAGE_SIZE); // whole pages only: cannot fail
                return result.release_error();
            }
        }
        s_stack_slots[slot / 64] |= u64(1) << (slot % 64);
        return top;
    }();
    if (mapped.is_error()) {
        for (usize i = 0; i < pages; ++i)
            (void)free_frame(frames[i]);
    }
    return mapped;
}

ErrorOr<void> free_kernel_stack(VirtAddr top)
{
    if (top <= KERNEL_STACKS_BASE || (top - KERNEL_STACKS_BASE) % KERNEL_STACK_SLOT_SIZE != 0)
        return Error::from_errno(EINVAL);
    usize slot = (top - KERNEL_STACKS_BASE) / KERNEL_STACK_SLOT_SIZE - 1;
    if (slot >= KERNEL_STACK_SLOTS)
        return Error::from_errno(EINVAL);
    SpinlockGuard guard(s_lock);
    u64 bit = u64(1) << (slot % 64);
    if (!(s_stack_slots[slot / 64] & bit))
        return Error::from_errno(EINVAL);
    TRY(kernel_table().unmap(top - KERNEL_STACK_SLOT_SIZE, KERNEL_STACK_SLOT_SIZE, { free_leaf_frames, nullptr }));
    s_stack_slots[slot / 64] &= ~bit;
    return {};
}

ErrorOr<Translation> query_kernel(VirtAddr address)
{
    if (address < USER_END)
        return Error::from_errno(EFAULT);
    SpinlockGuard guard(s_lock);
    return kernel_table().query(address);
}

ErrorOr<void> create_address_space(AddressSpace& space)
{
    return space.create(kernel_page_table_memory(), kernel_root(), paging_features());
}

void activate(const AddressSpace* space)
{
    x86::mmu::load_root(space ? space->root() : kernel_root());
}

} // namespace mm
