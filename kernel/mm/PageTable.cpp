// x86_64 page-table walks, maps, unmaps, flag changes and splits. See
// PageTable.h for the invariants; entry formats are from Intel SDM vol. 3A,
// section 4.5 (tables 4-15 to 4-20), invalidation rules from section 4.10.4.
#include <kernel/mm/PageTable.h>

namespace mm {

namespace {

constexpr u64 ENTRY_PRESENT = u64(1) << 0;
constexpr u64 ENTRY_WRITABLE = u64(1) << 1;
constexpr u64 ENTRY_USER = u64(1) << 2;
constexpr u64 ENTRY_ACCESSED = u64(1) << 5;
constexpr u64 ENTRY_DIRTY = u64(1) << 6;
constexpr u64 ENTRY_PAGE_SIZE = u64(1) << 7; // PS: a 2 MiB (PDE) or 1 GiB (PDPTE) leaf
constexpr u64 ENTRY_ADDRESS = 0x000ffffffffff000;
constexpr u64 ENTRY_FLAGS = static_cast<u64>(ALL_PAGE_FLAGS);
constexpr u64 ENTRY_NO_EXECUTE = static_cast<u64>(PageFlags::NoExecute);
constexpr u64 TABLE_ENTRY = ENTRY_PRESENT | ENTRY_WRITABLE;

// Level 3 is the PML4, 2 the PDPT, 1 the page directory, 0 the page table.
constexpr int ROOT_LEVEL = 3;

constexpr u64 span(int level)
{
    return u64(1) << (12 + 9 * level);
}

constexpr usize index_of(VirtAddr address, int level)
{
    return (address >> (12 + 9 * level)) & (PageTable::ENTRIES - 1);
}

constexpr bool is_leaf(u64 entry, int level)
{
    return level == 0 || ((level == 1 || level == 2) && (entry & ENTRY_PAGE_SIZE));
}

constexpr int level_of(PageSize size)
{
    return size == PageSize::Size4K ? 0 : size == PageSize::Size2M ? 1 : 2;
}

constexpr PageSize size_of_level(int level)
{
    return level == 0 ? PageSize::Size4K : level == 1 ? PageSize::Size2M : PageSize::Size1G;
}

constexpr PhysAddr leaf_address(u64 entry, int level)
{
    return entry & ENTRY_ADDRESS & ~(span(level) - 1);
}

constexpr VirtAddr root_entry_base(usize entry)
{
    VirtAddr base = VirtAddr(entry) << 39;
    return entry >= PageTable::KERNEL_HALF_FIRST_ENTRY ? base | 0xffff000000000000 : base;
}

bool has_unknown_flags(PageFlags flags)
{
    return (flags & ~ALL_PAGE_FLAGS) != PageFlags::None;
}

} // namespace

bool PageTable::is_canonical(VirtAddr address)
{
    u64 top = address >> 47;
    return top == 0 || top == 0x1ffff;
}

u64 PageTable::entry_bits(PageFlags flags) const
{
    u64 bits = static_cast<u64>(flags) | ENTRY_PRESENT;
    if (!m_features.no_execute)
        bits &= ~ENTRY_NO_EXECUTE; // reserved when EFER.NXE = 0 (SDM 4.5.4)
    return bits;
}

ErrorOr<void> PageTable::validate_range(VirtAddr virtual_address, u64 length) const
{
    if (length == 0 || !is_aligned<u64>(virtual_address, PAGE_SIZE) || !is_aligned<u64>(length, PAGE_SIZE))
        return Error::from_errno(EINVAL);
    VirtAddr last = virtual_address + length - 1;
    if (last < virtual_address || !is_canonical(virtual_address) || !is_canonical(last)
        || (virtual_address >> 47) != (last >> 47))
        return Error::from_errno(EINVAL);
    return {};
}

PageTable::Lookup PageTable::lookup(VirtAddr address) const
{
    PhysAddr table = m_root;
    for (int level = ROOT_LEVEL;; --level) {
        u64 entry = m_memory->table(table)[index_of(address, level)];
        if (!(entry & ENTRY_PRESENT))
            return { 0, level };
        if (is_leaf(entry, level))
            return { entry, level };
        table = entry & ENTRY_ADDRESS;
    }
}

bool PageTable::fully_mapped(VirtAddr first, VirtAddr last) const
{
    for (VirtAddr cursor = first;;) {
        Lookup found = lookup(cursor);
        if (!found.entry)
            return false;
        VirtAddr leaf_last = align_down(cursor, span(found.level)) + span(found.level) - 1;
        if (leaf_last >= last)
            return true;
        cursor = leaf_last + 1;
    }
}

bool PageTable::first_mapped(VirtAddr first, VirtAddr last, VirtAddr& leaf_last) const
{
    for (VirtAddr cursor = first;;) {
        Lookup found = lookup(cursor);
        VirtAddr entry_last = align_down(cursor, span(found.level)) + span(found.level) - 1;
        if (found.entry) {
            leaf_last = entry_last;
            return true;
        }
        if (entry_last >= last)
            return false;
        cursor = entry_last + 1;
    }
}

ErrorOr<void> PageTable::map(VirtAddr virtual_address, PhysAddr physical, PageFlags flags, PageSize size)
{
    if (size == PageSize::Size1G && !m_features.pages_1g)
        return Error::from_errno(EINVAL);
    u64 bytes = page_size_bytes(size);
    TRY(validate_range(virtual_address, bytes));
    if (!is_aligned(virtual_address, bytes) || !is_aligned(physical, bytes) || physical > MAX_PHYSICAL_ADDRESS - bytes
        || has_unknown_flags(flags))
        return Error::from_errno(EINVAL);

    int target = level_of(size);
    u64 user = has_flag(flags, PageFlags::User) ? ENTRY_USER : 0;
    PhysAddr created[ROOT_LEVEL];
    int created_count = 0;
    u64* first_created = nullptr;
    PhysAddr table = m_root;
    for (int level = ROOT_LEVEL; level > target; --level) {
        u64& entry = m_memory->table(table)[index_of(virtual_address, level)];
        if (!(entry & ENTRY_PRESENT)) {
            auto child = m_memory->allocate_table();
            if (child.is_error()) {
                // Unlink the chain of empty tables made by this call.
                if (first_created) {
                    *first_created = 0;
                    m_memory->invalidate_page(virtual_address);
                }
                while (created_count > 0)
                    m_memory->free_table(created[--created_count]);
                return child.release_error();
            }
            entry = child.value() | TABLE_ENTRY | user;
            if (!first_created)
                first_created = &entry;
            created[created_count++] = child.value();
        } else if (is_leaf(entry, level)) {
            return Error::from_errno(EEXIST); // nothing was created above a present leaf
        } else {
            entry |= user;
        }
        table = entry & ENTRY_ADDRESS;
    }
    u64& leaf = m_memory->table(table)[index_of(virtual_address, target)];
    if (leaf & ENTRY_PRESENT)
        return Error::from_errno(EEXIST);
    // A not-present entry is never cached, so making it present needs no invalidation (SDM 4.10.4.3).
    leaf = physical | entry_bits(flags) | (target > 0 ? ENTRY_PAGE_SIZE : 0);
    return {};
}

ErrorOr<void> PageTable::map_range(
    VirtAddr virtual_address, PhysAddr physical, u64 length, PageFlags flags, PageSize largest)
{
    TRY(validate_range(virtual_address, length));
    if (!is_aligned<u64>(physical, PAGE_SIZE) || physical >= MAX_PHYSICAL_ADDRESS
        || length > MAX_PHYSICAL_ADDRESS - physical || has_unknown_flags(flags))
        return Error::from_errno(EINVAL);
    if (largest == PageSize::Size1G && !m_features.pages_1g)
        largest = PageSize::Size2M;
    VirtAddr ignored;
    if (first_mapped(virtual_address, virtual_address + length - 1, ignored))
        return Error::from_errno(EEXIST);

    for (u64 done = 0; done < length;) {
        PageSize size = largest;
        for (;;) {
            u64 bytes = page_size_bytes(size);
            if (size == PageSize::Size4K
                || (is_aligned(virtual_address + done, bytes) && is_aligned(physical + done, bytes)
                    && length - done >= bytes))
                break;
            size = size == PageSize::Size1G ? PageSize::Size2M : PageSize::Size4K;
        }
        auto result = map(virtual_address + done, physical + done, flags, size);
        if (result.is_error()) {
            // Undo exactly the whole pages mapped so far: no split, so no allocation, so no failure.
            if (done)
                (void)unmap(virtual_address, done);
            return result.release_error();
        }
        done += page_size_bytes(size);
    }
    return {};
}

ErrorOr<void> PageTable::split(u64& entry, int level, VirtAddr base)
{
    PhysAddr child = TRY(m_memory->allocate_table());
    u64* children = m_memory->table(child);
    PhysAddr physical = leaf_address(entry, level);
    u64 flags = entry & ENTRY_FLAGS;
    u64 child_span = span(level - 1);
    u64 child_size_bit = level - 1 > 0 ? ENTRY_PAGE_SIZE : 0;
    for (usize i = 0; i < ENTRIES; ++i)
        children[i] = (physical + i * child_span) | flags | child_size_bit;
    // The smaller pages translate exactly as the large one did (SDM 4.10.2.3),
    // so the switch is safe; the large TLB entry is dropped right after.
    entry = child | TABLE_ENTRY | (flags & ENTRY_USER);
    m_memory->invalidate_page(base);
    return {};
}

bool PageTable::table_is_empty(PhysAddr table)
{
    const u64* entries = m_memory->table(table);
    for (usize i = 0; i < ENTRIES; ++i) {
        if (entries[i])
            return false;
    }
    return true;
}

ErrorOr<void> PageTable::unmap(VirtAddr virtual_address, u64 length, LeafVisitor visitor)
{
    TRY(validate_range(virtual_address, length));
    return unmap_in(m_root, ROOT_LEVEL, virtual_address, virtual_address + length - 1, visitor);
}

ErrorOr<void> PageTable::unmap_in(PhysAddr table, int level, VirtAddr first, VirtAddr last, const LeafVisitor& visitor)
{
    u64* entries = m_memory->table(table);
    for (VirtAddr cursor = first;;) {
        VirtAddr entry_first = align_down(cursor, span(level));
        VirtAddr entry_last = entry_first + span(level) - 1;
        VirtAddr chunk_last = min(entry_last, last);
        usize index = index_of(cursor, level);
        u64& entry = entries[index];
        if (entry & ENTRY_PRESENT) {
            if (is_leaf(entry, level)) {
                if (cursor != entry_first || chunk_last != entry_last) {
                    TRY(split(entry, level, entry_first));
                    continue; // the same cursor, now under a table
                }
                PhysAddr physical = leaf_address(entry, level);
                entry = 0;
                m_memory->invalidate_page(entry_first);
                if (visitor.visit)
                    visitor.visit(visitor.context, entry_first, physical, size_of_level(level));
            } else {
                PhysAddr child = entry & ENTRY_ADDRESS;
                TRY(unmap_in(child, level - 1, cursor, chunk_last, visitor));
                bool shared = level == ROOT_LEVEL && index >= KERNEL_HALF_FIRST_ENTRY;
                if (!shared && table_is_empty(child)) {
                    entry = 0;
                    m_memory->invalidate_page(entry_first);
                    m_memory->free_table(child);
                }
            }
        }
        if (chunk_last == last)
            return {};
        cursor = chunk_last + 1;
    }
}

ErrorOr<void> PageTable::protect(VirtAddr virtual_address, u64 length, PageFlags flags)
{
    TRY(validate_range(virtual_address, length));
    if (has_unknown_flags(flags))
        return Error::from_errno(EINVAL);
    VirtAddr last = virtual_address + length - 1;
    if (!fully_mapped(virtual_address, last))
        return Error::from_errno(ENOENT);
    return protect_in(m_root, ROOT_LEVEL, virtual_address, last, entry_bits(flags));
}

ErrorOr<void> PageTable::protect_in(PhysAddr table, int level, VirtAddr first, VirtAddr last, u64 bits)
{
    u64* entries = m_memory->table(table);
    for (VirtAddr cursor = first;;) {
        VirtAddr entry_first = align_down(cursor, span(level));
        VirtAddr entry_last = entry_first + span(level) - 1;
        VirtAddr chunk_last = min(entry_last, last);
        u64& entry = entries[index_of(cursor, level)];
        if (entry & ENTRY_PRESENT) {
            if (is_leaf(entry, level)) {
                if (cursor != entry_first || chunk_last != entry_last) {
                    TRY(split(entry, level, entry_first));
                    continue;
                }
                entry = (entry & (ENTRY_ADDRESS | ENTRY_PAGE_SIZE | ENTRY_ACCESSED | ENTRY_DIRTY)) | bits;
                m_memory->invalidate_page(entry_first);
            } else {
                entry |= bits & ENTRY_USER;
                TRY(protect_in(entry & ENTRY_ADDRESS, level - 1, cursor, chunk_last, bits));
            }
        }
        if (chunk_last == last)
            return {};
        cursor = chunk_last + 1;
    }
}

ErrorOr<Translation> PageTable::query(VirtAddr virtual_address) const
{
    if (!is_canonical(virtual_address))
        return Error::from_errno(EINVAL);
    Lookup found = lookup(virtual_address);
    if (!found.entry)
        return Error::from_errno(ENOENT);
    u64 offset_mask = span(found.level) - 1;
    return Translation {
        leaf_address(found.entry, found.level) + (virtual_address & offset_mask),
        virtual_address & ~offset_mask,
        static_cast<PageFlags>(found.entry & ENTRY_FLAGS),
        size_of_level(found.level),
    };
}

ErrorOr<VirtAddr> PageTable::find_unmapped(VirtAddr first, VirtAddr last, u64 length) const
{
    if (last < first)
        return Error::from_errno(EINVAL);
    TRY(validate_range(first, last - first + 1));
    if (length == 0 || !is_aligned<u64>(length, PAGE_SIZE))
        return Error::from_errno(EINVAL);
    for (VirtAddr candidate = first;;) {
        if (length - 1 > last - candidate)
            return Error::from_errno(ENOMEM);
        VirtAddr leaf_last = 0;
        if (!first_mapped(candidate, candidate + length - 1, leaf_last))
            return candidate;
        if (leaf_last >= last)
            return Error::from_errno(ENOMEM);
        candidate = leaf_last + 1;
    }
}

ErrorOr<void> PageTable::populate(usize first_entry, usize last_entry)
{
    if (first_entry > last_entry || last_entry >= ENTRIES)
        return Error::from_errno(EINVAL);
    for (usize i = first_entry; i <= last_entry; ++i) {
        u64& entry = m_memory->table(m_root)[i];
        if (entry & ENTRY_PRESENT)
            continue;
        PhysAddr child = TRY(m_memory->allocate_table());
        entry = child | TABLE_ENTRY;
    }
    return {};
}

void PageTable::release(usize first_entry, usize last_entry, LeafVisitor visitor)
{
    for (usize i = first_entry; i <= last_entry && i < ENTRIES; ++i) {
        u64& entry = m_memory->table(m_root)[i];
        if (!(entry & ENTRY_PRESENT))
            continue;
        PhysAddr child = entry & ENTRY_ADDRESS;
        entry = 0;
        release_in(child, ROOT_LEVEL - 1, root_entry_base(i), visitor);
        m_memory->free_table(child);
    }
}

void PageTable::release_in(PhysAddr table, int level, VirtAddr base, const LeafVisitor& visitor)
{
    const u64* entries = m_memory->table(table);
    for (usize i = 0; i < ENTRIES; ++i) {
        u64 entry = entries[i];
        if (!(entry & ENTRY_PRESENT))
            continue;
        VirtAddr address = base + i * span(level);
        if (is_leaf(entry, level)) {
            if (visitor.visit)
                visitor.visit(visitor.context, address, leaf_address(entry, level), size_of_level(level));
            continue;
        }
        release_in(entry & ENTRY_ADDRESS, level - 1, address, visitor);
        m_memory->free_table(entry & ENTRY_ADDRESS);
    }
}

void PageTable::copy_root_entries(PhysAddr source_root, usize first_entry, usize last_entry)
{
    const u64* source = m_memory->table(source_root);
    u64* destination = m_memory->table(m_root);
    for (usize i = first_entry; i <= last_entry && i < ENTRIES; ++i)
        destination[i] = source[i];
}

} // namespace mm
