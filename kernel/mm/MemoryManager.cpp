// Boot-time memory setup: frame allocator and kernel page tables. The steps
// and their order are described in MemoryManager.h. Everything here runs once
// on the boot CPU with interrupts off, so failures panic (MUST): without
// memory there is nothing to fall back to.
#include <kernel/arch/x86_64/Mmu.h>
#include <kernel/core/Panic.h>
#include <kernel/log/Log.h>
#include <kernel/mm/BootMemory.h>
#include <kernel/mm/Layout.h>
#include <kernel/mm/MemoryManager.h>

namespace mm {

namespace {

class KernelPageTableMemory final : public PageTableMemory {
public:
    u64* table(PhysAddr physical) override { return phys_to_virt<u64>(physical); }

    ErrorOr<PhysAddr> allocate_table() override
    {
        // Until CR3 holds the new tables only the boot direct map (4 GiB) is there.
        PhysAddr frame
            = TRY(m_full_direct_map ? allocate_frame() : allocate_frames_aligned(1, 1, EARLY_DIRECT_MAP_LIMIT));
        __builtin_memset(phys_to_virt(frame), 0, PAGE_SIZE);
        return frame;
    }

    void free_table(PhysAddr physical) override { VERIFY(!free_frame(physical).is_error()); }

    void invalidate_page(VirtAddr address) override { x86::mmu::invalidate_page(address); }

    void set_full_direct_map() { m_full_direct_map = true; }

private:
    bool m_full_direct_map { false };
};

constinit KernelPageTableMemory s_table_memory;
const boot::BootInfo* s_boot_info = nullptr;
PhysAddr s_kernel_root = 0;
PagingFeatures s_features {};

constexpr PhysAddr LOW_MEMORY_END = 1 * MiB;
constexpr PhysAddr FIRST_4G = 4ull * GiB;
constexpr PageFlags KERNEL_DATA = PageFlags::Present | PageFlags::Writable | PageFlags::Global | PageFlags::NoExecute;

usize root_index(VirtAddr address)
{
    return (address >> 39) & (PageTable::ENTRIES - 1);
}

void map_image_section(PageTable& table, VirtAddr start, VirtAddr end, PageFlags flags)
{
    if (end > start)
        MUST(table.map_range(start, start - KERNEL_BASE, end - start, flags, PageSize::Size4K));
}

// The direct map: the first 4 GiB uncached, then RAM write-back over it (which
// splits the large pages where RAM and holes share one), then RAM above 4 GiB.
// Returns the bytes of RAM mapped.
u64 build_direct_map(PageTable& table, Span<const boot::MemoryRegion> map)
{
    PhysicalRange ram[boot::BootInfo::MAX_MEMORY_REGIONS];
    usize ram_count = collect_ram_ranges(map, ram);
    PageSize largest = s_features.pages_1g ? PageSize::Size1G : PageSize::Size2M;

    PhysAddr direct_end = FIRST_4G;
    for (usize i = 0; i < ram_count; ++i)
        direct_end = max(direct_end, min<PhysAddr>(ram[i].end, DIRECT_MAP_SIZE));
    MUST(table.populate(root_index(DIRECT_MAP_BASE), root_index(DIRECT_MAP_BASE + direct_end - 1)));

    MUST(table.map_range(DIRECT_MAP_BASE, 0, FIRST_4G, KERNEL_DATA | UNCACHED, largest));
    u64 ram_bytes = 0;
    for (usize i = 0; i < ram_count; ++i) {
        PhysAddr base = ram[i].base;
        PhysAddr end = min<PhysAddr>(ram[i].end, DIRECT_MAP_SIZE);
        if (base >= end)
            continue;
        ram_bytes += end - base;
        if (base < FIRST_4G) {
            PhysAddr low_end = min(end, FIRST_4G);
            MUST(table.protect(DIRECT_MAP_BASE + base, low_end - base, KERNEL_DATA));
            base = low_end;
        }
        if (base < end)
            MUST(table.map_range(DIRECT_MAP_BASE + base, base, end - base, KERNEL_DATA, largest));
    }
    return ram_bytes;
}

void build_kernel_page_tables(Span<const boot::MemoryRegion> map, const x86::mmu::KernelImage& image)
{
    s_features = { x86::mmu::no_execute_enabled(), x86::mmu::has_1g_pages() };
    PhysAddr root = MUST(PageTable::allocate_root(s_table_memory));
    PageTable table(s_table_memory, root, s_features);

    u64 ram_bytes = build_direct_map(table, map);

    // Every PDPT of the kernel half that mappings made after boot can need.
    MUST(table.populate(root_index(KERNEL_AREA_BASE), root_index(KERNEL_AREA_BASE + KERNEL_AREA_SIZE - 1)));
    MUST(table.populate(root_index(KERNEL_BASE), root_index(KERNEL_BASE)));

    // Intel SDM vol. 3A, 4.6: RW and NX decide; the kernel never runs writable or data pages.
    map_image_section(table, image.text_start, image.text_end, PageFlags::Present | PageFlags::Global);
    map_image_section(
        table, image.rodata_start, image.rodata_end, PageFlags::Present | PageFlags::Global | PageFlags::NoExecute);
    map_image_section(table, image.data_start, image.data_end, KERNEL_DATA);

    x86::mmu::move_descriptor_tables_to_direct_map();
    x86::mmu::load_root(root);
    s_kernel_root = root;
    s_table_memory.set_full_direct_map();
    klog::info("mm: kernel page tables at {:#x}: {} MiB of RAM direct-mapped, {} pages, NX {}", root, ram_bytes / MiB,
        s_features.pages_1g ? "1 GiB" : "2 MiB", s_features.no_execute ? "on" : "off");
}

} // namespace

void init(const boot::BootInfo& boot_info)
{
    s_boot_info = &boot_info;
    Span<const boot::MemoryRegion> map(boot_info.memory_map, boot_info.memory_region_count);
    if (boot_info.memory_map_truncated)
        klog::warn(
            "mm: the memory map has more than {} entries; the rest is ignored", boot::BootInfo::MAX_MEMORY_REGIONS);
    auto image = x86::mmu::kernel_image();

    // What must survive: the bitmap may not go there, and none of it is handed out.
    PhysicalRange keep[2 + boot::BootInfo::MAX_MODULES];
    usize keep_count = 0;
    keep[keep_count++] = { image.physical_start, image.physical_end };
    keep[keep_count++] = { boot_info.info_start, boot_info.info_end };
    for (usize i = 0; i < boot_info.module_count; ++i)
        keep[keep_count++] = { boot_info.modules[i].start, boot_info.modules[i].end };

    usize bitmap_bytes = PhysicalAllocator::bitmap_bytes_needed(map);
    if (bitmap_bytes == 0)
        kernel::panic("mm: the boot memory map has no usable memory");
    auto bitmap = find_boot_allocation(map, bitmap_bytes, LOW_MEMORY_END, EARLY_DIRECT_MAP_LIMIT, { keep, keep_count });
    if (bitmap.is_error())
        kernel::panic("mm: no room below 4 GiB for the {} KiB frame bitmap", bitmap_bytes / KiB);

    PhysicalAllocator& allocator = physical_allocator();
    MUST(allocator.initialize(map, { phys_to_virt(bitmap.value()), bitmap_bytes }));
    MUST(allocator.reserve(0, LOW_MEMORY_END));
    for (usize i = 0; i < keep_count; ++i)
        MUST(allocator.reserve(keep[i].base, keep[i].end - keep[i].base));
    MUST(allocator.reserve(bitmap.value(), bitmap_bytes));
    // Frames past the direct map could never be reached.
    if (allocator.highest_address() > DIRECT_MAP_SIZE)
        MUST(allocator.reserve(DIRECT_MAP_SIZE, allocator.highest_address() - DIRECT_MAP_SIZE));

    build_kernel_page_tables(map, image);

    FrameStats stats = allocator.stats();
    klog::info("mm: frame bitmap {} KiB at {:#x}, managing {:#x}..{:#x}", bitmap_bytes / KiB, bitmap.value(),
        allocator.lowest_address(), allocator.highest_address());
    klog::info("mm: total {} KiB, free {} KiB, used {} KiB, reserved {} KiB", stats.total * (PAGE_SIZE / KiB),
        stats.free * (PAGE_SIZE / KiB), stats.used * (PAGE_SIZE / KiB), stats.reserved * (PAGE_SIZE / KiB));
}

Span<const boot::MemoryRegion> boot_memory_map()
{
    if (!s_boot_info)
        return {};
    return { s_boot_info->memory_map, s_boot_info->memory_region_count };
}

PhysAddr kernel_root()
{
    return s_kernel_root;
}

PagingFeatures paging_features()
{
    return s_features;
}

PageTableMemory& kernel_page_table_memory()
{
    return s_table_memory;
}

} // namespace mm
