// BuddyAllocator: see BuddyAllocator.h for the design, invariants and locking.
#include <kernel/lib/Placement.h>
#include <kernel/mm/BuddyAllocator.h>

namespace mm {

// The header at the start of every zone; the descriptors follow it.
struct BuddyZone {
    u8* base;
    usize page_count; // including the metadata pages
    usize metadata_pages;
    PageDescriptor* pages;
};

// The header at the start of every free block, linking it on its free list.
struct FreeBlock {
    FreeBlock* next;
    FreeBlock* prev;
    BuddyZone* zone;
};

namespace {

constexpr usize block_bytes(u8 order)
{
    return PAGE_SIZE << order;
}

constexpr usize block_pages(u8 order)
{
    return usize(1) << order;
}

uptr address_of(const void* pointer)
{
    return reinterpret_cast<uptr>(pointer);
}

u8* page_address(const BuddyZone& zone, usize index)
{
    return zone.base + index * PAGE_SIZE;
}

usize page_index(const BuddyZone& zone, uptr address)
{
    return (address - address_of(zone.base)) / PAGE_SIZE;
}

uptr zone_end(const BuddyZone& zone)
{
    return address_of(zone.base) + zone.page_count * PAGE_SIZE;
}

u8 load_owner(const PageDescriptor& descriptor)
{
    return __atomic_load_n(&descriptor.owner, __ATOMIC_ACQUIRE);
}

void store_owner(PageDescriptor& descriptor, u8 owner)
{
    __atomic_store_n(&descriptor.owner, owner, __ATOMIC_RELEASE);
}

} // namespace

u8 BuddyAllocator::order_for_bytes(usize bytes)
{
    for (u8 order = 0; order <= BUDDY_MAX_ORDER; ++order) {
        if (bytes <= block_bytes(order))
            return order;
    }
    return BUDDY_ORDER_COUNT;
}

ErrorOr<void> BuddyAllocator::add_zone(u8* memory, usize bytes)
{
    if (!memory || !is_aligned(address_of(memory), uptr(PAGE_SIZE)))
        return Error::from_errno(EINVAL);
    usize page_count = bytes / PAGE_SIZE;
    usize metadata_bytes = sizeof(BuddyZone) + page_count * sizeof(PageDescriptor);
    usize metadata_pages = align_up(metadata_bytes, PAGE_SIZE) / PAGE_SIZE;
    uptr end;
    if (page_count <= metadata_pages || __builtin_add_overflow(address_of(memory), page_count * PAGE_SIZE, &end))
        return Error::from_errno(EINVAL);

    SpinlockGuard guard(m_lock);
    if (m_zone_count == MAX_ZONES)
        return Error::from_errno(ENOSPC);
    usize position = 0;
    while (position < m_zone_count && address_of(m_zones[position]->base) < address_of(memory))
        ++position;
    if (position > 0 && zone_end(*m_zones[position - 1]) > address_of(memory))
        return Error::from_errno(EINVAL);
    if (position < m_zone_count && address_of(m_zones[position]->base) < end)
        return Error::from_errno(EINVAL);

    auto* descriptors = reinterpret_cast<PageDescriptor*>(memory + sizeof(BuddyZone));
    auto* zone = new (memory) BuddyZone { memory, page_count, metadata_pages, descriptors };
    for (usize i = 0; i < page_count; ++i)
        new (&descriptors[i])
            PageDescriptor { i < metadata_pages ? PageState::Metadata : PageState::FreeTail, 0, 0, 0 };
    for (usize i = m_zone_count; i > position; --i)
        m_zones[i] = m_zones[i - 1];
    m_zones[position] = zone;
    ++m_zone_count;
    m_total_pages += page_count;
    m_metadata_pages += metadata_pages;

    // Carve the usable pages into the largest blocks that are aligned to
    // their own size and fit before the end of the zone.
    usize index = metadata_pages;
    while (index < page_count) {
        u8 order = BUDDY_MAX_ORDER;
        while (order > 0
            && (!is_aligned(address_of(page_address(*zone, index)), uptr(block_bytes(order)))
                || index + block_pages(order) > page_count))
            --order;
        push_free_locked(*zone, index, order);
        m_free_pages += block_pages(order);
        index += block_pages(order);
    }
    return {};
}

void BuddyAllocator::push_free_locked(BuddyZone& zone, usize index, u8 order)
{
    PageDescriptor& head = zone.pages[index];
    head.state = PageState::FreeHead;
    head.order = order;
    store_owner(head, 0);
    auto* block = new (page_address(zone, index)) FreeBlock { m_free_lists[order], nullptr, &zone };
    if (block->next)
        block->next->prev = block;
    m_free_lists[order] = block;
    ++m_free_blocks[order];
}

void BuddyAllocator::unlink_free_locked(FreeBlock& block, u8 order)
{
    if (block.prev)
        block.prev->next = block.next;
    else
        m_free_lists[order] = block.next;
    if (block.next)
        block.next->prev = block.prev;
    --m_free_blocks[order];
}

u8* BuddyAllocator::allocate(u8 order, u8 owner)
{
    if (order > BUDDY_MAX_ORDER)
        return nullptr;
    SpinlockGuard guard(m_lock);
    u8 found = order;
    while (found <= BUDDY_MAX_ORDER && !m_free_lists[found])
        ++found;
    if (found > BUDDY_MAX_ORDER)
        return nullptr;

    FreeBlock* block = m_free_lists[found];
    unlink_free_locked(*block, found);
    BuddyZone& zone = *block->zone;
    usize index = page_index(zone, address_of(block));
    // Split: the upper halves go back on the lower free lists.
    while (found > order) {
        --found;
        push_free_locked(zone, index + block_pages(found), found);
    }
    PageDescriptor& head = zone.pages[index];
    head.state = PageState::AllocatedHead;
    head.order = order;
    store_owner(head, owner);
    for (usize i = 1; i < block_pages(order); ++i) {
        zone.pages[index + i].state = PageState::AllocatedTail;
        zone.pages[index + i].order = order;
    }
    m_free_pages -= block_pages(order);
    return page_address(zone, index);
}

BlockFreeResult BuddyAllocator::free(u8* block, u8 expected_owner)
{
    SpinlockGuard guard(m_lock);
    BuddyZone* zone = find_zone_locked(block);
    if (!zone)
        return { BlockStatus::NotHeapMemory, 0 };
    usize index = page_index(*zone, address_of(block));
    PageDescriptor& head = zone->pages[index];
    switch (head.state) {
    case PageState::Metadata:
        return { BlockStatus::NotHeapMemory, 0 };
    case PageState::FreeHead:
    case PageState::FreeTail:
        return { BlockStatus::AlreadyFree, 0 };
    case PageState::AllocatedTail:
        return { BlockStatus::InteriorPointer, 0 };
    case PageState::AllocatedHead:
        break;
    }
    if (page_address(*zone, index) != block)
        return { BlockStatus::InteriorPointer, 0 };
    if (load_owner(head) != expected_owner)
        return { BlockStatus::WrongOwner, 0 };

    u8 order = head.order;
    for (usize i = 0; i < block_pages(order); ++i)
        zone->pages[index + i].state = PageState::FreeTail;
    m_free_pages += block_pages(order);

    // Merge with the buddy while it is a free block of the same order.
    u8 merged = order;
    while (merged < BUDDY_MAX_ORDER) {
        uptr buddy_address = address_of(page_address(*zone, index)) ^ block_bytes(merged);
        if (buddy_address < address_of(zone->base) || buddy_address >= zone_end(*zone))
            break;
        usize buddy_index = page_index(*zone, buddy_address);
        PageDescriptor& buddy = zone->pages[buddy_index];
        if (buddy.state != PageState::FreeHead || buddy.order != merged)
            break;
        unlink_free_locked(*reinterpret_cast<FreeBlock*>(buddy_address), merged);
        buddy.state = PageState::FreeTail;
        index = min(index, buddy_index);
        ++merged;
    }
    push_free_locked(*zone, index, merged);
    return { BlockStatus::Done, order };
}

bool BuddyAllocator::set_owner(u8* block, u8 expected, u8 owner)
{
    SpinlockGuard guard(m_lock);
    BuddyZone* zone = find_zone_locked(block);
    if (!zone)
        return false;
    usize index = page_index(*zone, address_of(block));
    PageDescriptor& head = zone->pages[index];
    if (head.state != PageState::AllocatedHead || page_address(*zone, index) != block || load_owner(head) != expected)
        return false;
    store_owner(head, owner);
    return true;
}

BlockLookup BuddyAllocator::lookup(const void* address) const
{
    SpinlockGuard guard(m_lock);
    BuddyZone* zone = find_zone_locked(address);
    if (!zone)
        return { BlockLookup::Kind::NotInHeap, 0, 0, nullptr, nullptr };
    usize index = page_index(*zone, address_of(address));
    switch (zone->pages[index].state) {
    case PageState::Metadata:
        return { BlockLookup::Kind::Metadata, 0, 0, nullptr, nullptr };
    case PageState::FreeHead:
    case PageState::FreeTail:
        return { BlockLookup::Kind::Free, 0, 0, nullptr, nullptr };
    case PageState::AllocatedHead:
        break;
    case PageState::AllocatedTail:
        index = page_index(*zone, align_down(address_of(address), uptr(block_bytes(zone->pages[index].order))));
        break;
    }
    PageDescriptor& head = zone->pages[index];
    return { BlockLookup::Kind::Allocated, head.order, load_owner(head), page_address(*zone, index), &head };
}

BuddyStats BuddyAllocator::stats() const
{
    SpinlockGuard guard(m_lock);
    BuddyStats stats {};
    stats.zones = m_zone_count;
    stats.total_pages = m_total_pages;
    stats.metadata_pages = m_metadata_pages;
    stats.free_pages = m_free_pages;
    for (usize order = 0; order < BUDDY_ORDER_COUNT; ++order)
        stats.free_blocks[order] = m_free_blocks[order];
    return stats;
}

BuddyZone* BuddyAllocator::find_zone_locked(const void* address) const
{
    uptr target = address_of(address);
    usize low = 0;
    usize high = m_zone_count;
    while (low < high) {
        usize middle = low + (high - low) / 2;
        if (address_of(m_zones[middle]->base) <= target)
            low = middle + 1;
        else
            high = middle;
    }
    if (low == 0)
        return nullptr;
    BuddyZone* zone = m_zones[low - 1];
    return target < zone_end(*zone) ? zone : nullptr;
}

} // namespace mm
