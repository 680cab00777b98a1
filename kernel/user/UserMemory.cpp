// A user program's memory; see UserMemory.h. The region map changes only
// together with the page tables: page work first where it can fail (then the
// map), map first where only the page work remains and it cannot fail.
#include <kernel/core/Panic.h>
#include <kernel/mm/Layout.h>
#include <kernel/mm/MemoryManager.h>
#include <kernel/user/CopyOnWrite.h>
#include <kernel/user/FilePages.h>
#include <kernel/user/UserLayout.h>
#include <kernel/user/UserMemory.h>
#include <kernel/user/UserPtr.h>

namespace user {

namespace {

mm::PageFlags page_flags(Protection protection)
{
    mm::PageFlags flags = mm::PageFlags::Present;
    if (has_protection(protection, Protection::Write))
        flags |= mm::PageFlags::Writable;
    if (!has_protection(protection, Protection::Execute))
        flags |= mm::PageFlags::NoExecute;
    return flags;
}

bool page_aligned(u64 value)
{
    return is_aligned<u64>(value, PAGE_SIZE);
}

} // namespace

ErrorOr<void> UserMemory::create()
{
    return mm::create_address_space(m_space);
}

void UserMemory::destroy()
{
    // Stores through shared file mappings reach their files at exit (and
    // exec); nobody is left to hear about a failure.
    if (m_space.is_created())
        (void)write_back(0, mm::USER_END);
    if (m_space.is_created())
        m_space.destroy(mm::MappedFrames::Free, release_user_frames);
    m_regions.clear();
    m_heap_start = m_break = 0;
}

void UserMemory::release_pages(VirtAddr base, u64 length)
{
    if (length == 0)
        return;
    // Only 4 KiB pages are mapped, so unmapping never splits a large page and
    // cannot run out of memory; the range was validated by the caller.
    auto result = m_space.unmap(base, length, mm::MappedFrames::Free, release_user_frames);
    VERIFY(!result.is_error());
}

ErrorOr<void> UserMemory::populate(VirtAddr base, u64 length, Protection protection)
{
    if (protection == Protection::None)
        return {};
    usize pages = length / PAGE_SIZE;
    if (mm::frame_stats().free < FRAMES_KEPT_FOR_KERNEL + pages)
        return Error::from_errno(ENOMEM);
    mm::PageFlags flags = page_flags(protection);
    for (usize index = 0; index < pages; ++index) {
        VirtAddr page = base + index * PAGE_SIZE;
        auto frame = mm::allocate_frame();
        if (frame.is_error()) {
            release_pages(base, index * PAGE_SIZE);
            return frame.release_error();
        }
        __builtin_memset(mm::phys_to_virt(frame.value()), 0, PAGE_SIZE);
        if (auto mapped = m_space.map(page, frame.value(), PAGE_SIZE, flags); mapped.is_error()) {
            VERIFY(!mm::free_frame(frame.value()).is_error());
            release_pages(base, index * PAGE_SIZE);
            return mapped.release_error();
        }
    }
    return {};
}

ErrorOr<void> UserMemory::allocate(VirtAddr base, u64 length, Protection protection, RegionKind kind)
{
    if (length == 0 || !page_aligned(base) || !page_aligned(length) || !is_user_range(base, length))
        return Error::from_errno(EINVAL);
    if (!m_regions.is_free(base, base + length))
        return Error::from_errno(EEXIST);
    // Program images are loaded at once; everything else is demand paged.
    bool eager = kind == RegionKind::Image;
    if (eager)
        TRY(populate(base, length, protection));
    if (auto inserted = m_regions.insert({ base, base + length, protection, kind }); inserted.is_error()) {
        if (eager && protection != Protection::None)
            release_pages(base, length);
        return inserted.release_error();
    }
    return {};
}

ErrorOr<void> UserMemory::copy_from(UserMemory& other)
{
    for (const Region& region : other.m_regions.regions()) {
        TRY(m_regions.insert(region));
        if (region.protection == Protection::None)
            continue;
        // A shared file mapping stays shared: the child maps the same frames
        // with the same rights. Everything else becomes copy-on-write.
        bool stays_shared = region.kind == RegionKind::FileShared;
        mm::PageFlags shared_flags = page_flags(region.protection);
        if (!stays_shared)
            shared_flags &= ~mm::PageFlags::Writable;
        bool writable = !stays_shared && has_protection(region.protection, Protection::Write);
        for (VirtAddr page = region.base; page < region.end; page += PAGE_SIZE) {
            auto translation = other.m_space.query(page);
            if (translation.is_error())
                continue;
            PhysAddr frame = translation.value().physical;
            TRY(frame_shares().share(frame));
            if (auto mapped = m_space.map(page, frame, PAGE_SIZE, shared_flags); mapped.is_error()) {
                (void)frame_shares().drop_share(frame);
                return mapped.release_error();
            }
            if (writable)
                TRY(other.m_space.protect(page, PAGE_SIZE, shared_flags));
        }
    }
    m_heap_start = other.m_heap_start;
    m_break = other.m_break;
    return {};
}

ErrorOr<void> UserMemory::map_zeroed_page(VirtAddr page, Protection protection)
{
    if (mm::frame_stats().free < FRAMES_KEPT_FOR_KERNEL)
        return Error::from_errno(ENOMEM);
    PhysAddr frame = TRY(mm::allocate_frame());
    __builtin_memset(mm::phys_to_virt(frame), 0, PAGE_SIZE);
    if (auto mapped = m_space.map(page, frame, PAGE_SIZE, page_flags(protection)); mapped.is_error()) {
        VERIFY(!mm::free_frame(frame).is_error());
        return mapped.release_error();
    }
    return {};
}

ErrorOr<void> UserMemory::handle_fault(VirtAddr address, Access access, bool present)
{
    const Region* region = m_regions.find(address);
    if (!region || region->protection == Protection::None)
        return Error::from_errno(EFAULT);
    Protection protection = region->protection;
    if (access == Access::Write && !has_protection(protection, Protection::Write))
        return Error::from_errno(EFAULT);
    if (access == Access::Execute && !has_protection(protection, Protection::Execute))
        return Error::from_errno(EFAULT);
    VirtAddr page = align_down<u64>(address, PAGE_SIZE);
    auto translation = m_space.query(page);
    if (translation.is_error()) {
        if (!region->is_file())
            return map_zeroed_page(page, protection);
        if (is_past_end_of_file(page, *region))
            return Error::from_errno(FAULT_BEYOND_FILE);
        TRY(map_file_page(page, *region));
        if (region->kind == RegionKind::FileShared || access != Access::Write)
            return {};
        // A store to a private file page: now present, it is copied as
        // any copy-on-write page.
        return handle_fault(address, access, true);
    }
    // Present: only a write to a copy-on-write page is ours to resolve.
    if (!present || access != Access::Write
        || (translation.value().flags & mm::PageFlags::Writable) == mm::PageFlags::Writable)
        return Error::from_errno(EFAULT);
    PhysAddr frame = translation.value().physical;
    if (region->kind == RegionKind::FileShared) {
        // Write-protected by an mprotect that has been undone: the frame
        // stays the cache's, only the rights come back.
        static_cast<FilePages*>(region->file->cached_pages())->mark_writable(region->offset_of(page) / PAGE_SIZE);
        return m_space.protect(page, PAGE_SIZE, page_flags(protection));
    }
    if (!frame_shares().is_shared(frame))
        return m_space.protect(page, PAGE_SIZE, page_flags(protection));
    // Copy first, then give up the share: the frame's content is stable
    // while this space still owns part of it.
    if (mm::frame_stats().free < FRAMES_KEPT_FOR_KERNEL)
        return Error::from_errno(ENOMEM);
    PhysAddr copy = TRY(mm::allocate_frame());
    __builtin_memcpy(mm::phys_to_virt(copy), mm::phys_to_virt(frame), PAGE_SIZE);
    if (!frame_shares().drop_share(frame)) {
        // The other owners let go meanwhile: this space owns the frame alone.
        VERIFY(!mm::free_frame(copy).is_error());
        return m_space.protect(page, PAGE_SIZE, page_flags(protection));
    }
    VERIFY(!m_space.unmap(page, PAGE_SIZE, mm::MappedFrames::Keep).is_error());
    if (auto mapped = m_space.map(page, copy, PAGE_SIZE, page_flags(protection)); mapped.is_error()) {
        VERIFY(!mm::free_frame(copy).is_error());
        return mapped.release_error();
    }
    return {};
}

ErrorOr<void> UserMemory::write(VirtAddr address, Span<const u8> bytes)
{
    if (!is_user_range(address, bytes.size()))
        return Error::from_errno(EFAULT);
    usize done = 0;
    while (done < bytes.size()) {
        VirtAddr target = address + done;
        auto translation = m_space.query(target);
        if (translation.is_error()) {
            // Not touched yet: the page the access would fault in, then again.
            if (!m_regions.find(target) || m_regions.find(target)->protection == Protection::None)
                return Error::from_errno(EFAULT);
            const Region& region = *m_regions.find(target);
            if (region.is_file() && is_past_end_of_file(align_down<u64>(target, PAGE_SIZE), region))
                return Error::from_errno(EFAULT);
            if (region.is_file())
                TRY(map_file_page(align_down<u64>(target, PAGE_SIZE), region));
            else
                TRY(map_zeroed_page(align_down<u64>(target, PAGE_SIZE), region.protection));
            continue;
        }
        usize in_page = min<usize>(PAGE_SIZE - target % PAGE_SIZE, bytes.size() - done);
        __builtin_memcpy(mm::phys_to_virt(translation.value().physical), bytes.data() + done, in_page);
        done += in_page;
    }
    return {};
}

ErrorOr<VirtAddr> UserMemory::map_anonymous(VirtAddr address, u64 length, Protection protection, Placement placement)
{
    if (length == 0)
        return Error::from_errno(EINVAL);
    if (length > mm::USER_END)
        return Error::from_errno(ENOMEM);
    u64 size = align_up<u64>(length, PAGE_SIZE);
    // No overcommit beyond all of memory (Linux's heuristic mode refuses a
    // single mapping larger than RAM plus swap).
    if (size / PAGE_SIZE > mm::frame_stats().total)
        return Error::from_errno(ENOMEM);

    VirtAddr base = TRY(place(address, size, placement));
    TRY(allocate(base, size, protection, RegionKind::Anonymous));
    return base;
}

ErrorOr<VirtAddr> UserMemory::place(VirtAddr address, u64 size, Placement placement)
{
    if (placement != Placement::Hint) {
        if (!page_aligned(address))
            return Error::from_errno(EINVAL);
        if (!is_user_range(address, size))
            return Error::from_errno(ENOMEM);
        if (address < USER_MIN_ADDRESS)
            return Error::from_errno(EPERM); // Linux: below mmap_min_addr
        if (placement == Placement::FixedNoReplace && !m_regions.is_free(address, address + size))
            return Error::from_errno(EEXIST);
        TRY(unmap(address, size)); // MAP_FIXED replaces whatever was there
        return address;
    }
    VirtAddr hint = align_up<u64>(address, PAGE_SIZE);
    bool hint_usable = hint >= USER_MIN_ADDRESS && hint >= address && is_user_range(hint, size)
        && m_regions.is_free(hint, hint + size);
    if (hint_usable)
        return hint;
    return m_regions.find_free(size, USER_MIN_ADDRESS, USER_MMAP_TOP);
}

ErrorOr<VirtAddr> UserMemory::map_file(
    VirtAddr address, u64 length, Protection protection, Placement placement, const FileMapping& mapping)
{
    if (length == 0)
        return Error::from_errno(EINVAL);
    if (length > mm::USER_END)
        return Error::from_errno(ENOMEM);
    u64 size = align_up<u64>(length, PAGE_SIZE);
    // As for anonymous memory: no single mapping larger than all of memory
    // (page-table walks over the range stay bounded).
    if (size / PAGE_SIZE > mm::frame_stats().total)
        return Error::from_errno(ENOMEM);
    u64 last_offset;
    if (__builtin_add_overflow(mapping.offset, size, &last_offset) || last_offset / PAGE_SIZE > FilePages::MAX_PAGES)
        return Error::from_errno(EOVERFLOW);
    // The cache exists before the region does, so faults never need to make it.
    (void)TRY(FilePages::of(*mapping.file));
    VirtAddr base = TRY(place(address, size, placement));
    Region region { base, base + size, protection, mapping.shared ? RegionKind::FileShared : RegionKind::FilePrivate };
    region.file = mapping.file;
    region.file_system = mapping.file->file_system();
    region.file_offset = mapping.offset;
    region.file_writable = mapping.file_writable;
    TRY(m_regions.insert(region));
    return base;
}

bool UserMemory::is_past_end_of_file(VirtAddr page, const Region& region) const
{
    // The page holding the last byte is whole: zeros after the end.
    return region.offset_of(page) >= align_up<u64>(region.file->attributes().size, PAGE_SIZE);
}

ErrorOr<void> UserMemory::map_file_page(VirtAddr page, const Region& region)
{
    auto* cache = static_cast<FilePages*>(region.file->cached_pages());
    VERIFY(cache); // made by map_file
    u64 index = region.offset_of(page) / PAGE_SIZE;
    PhysAddr frame = TRY(cache->frame_for(index));
    bool shared = region.kind == RegionKind::FileShared;
    mm::PageFlags flags = page_flags(region.protection);
    if (!shared)
        flags &= ~mm::PageFlags::Writable; // copy-on-write
    TRY(frame_shares().share(frame));
    if (auto mapped = m_space.map(page, frame, PAGE_SIZE, flags); mapped.is_error()) {
        (void)frame_shares().drop_share(frame);
        return mapped.release_error();
    }
    if (shared && has_protection(region.protection, Protection::Write))
        cache->mark_writable(index);
    return {};
}

ErrorOr<void> UserMemory::write_back(VirtAddr base, VirtAddr end)
{
    ErrorOr<void> result;
    for (const Region& region : m_regions.regions()) {
        if (region.kind != RegionKind::FileShared || region.end <= base || region.base >= end)
            continue;
        VirtAddr from = max(region.base, base);
        VirtAddr to = min(region.end, end);
        auto* cache = static_cast<FilePages*>(region.file->cached_pages());
        auto written = cache->write_back(region.offset_of(from) / PAGE_SIZE, (to - from) / PAGE_SIZE);
        if (written.is_error() && !result.is_error())
            result = written.release_error();
    }
    return result;
}

ErrorOr<void> UserMemory::sync_range(VirtAddr address, u64 length)
{
    if (!page_aligned(address) || !is_user_range(address, length))
        return Error::from_errno(EINVAL);
    if (length == 0)
        return {};
    VirtAddr end = align_up<u64>(address + length, PAGE_SIZE);
    if (end > mm::USER_END || !m_regions.is_covered(address, end))
        return Error::from_errno(ENOMEM);
    return write_back(address, end);
}

// New flags for the present pages of [base, end); shared (copy-on-write)
// frames stay read-only whatever the protection says.
ErrorOr<void> UserMemory::reprotect_present_pages(VirtAddr base, VirtAddr end, Protection protection)
{
    mm::PageFlags flags = page_flags(protection);
    const Region* region = m_regions.find(base);
    bool file_shared = region && region->kind == RegionKind::FileShared;
    for (VirtAddr page = base; page < end; page += PAGE_SIZE) {
        auto translation = m_space.query(page);
        if (translation.is_error())
            continue;
        bool shared = !file_shared && frame_shares().is_shared(translation.value().physical);
        if (file_shared && has_protection(protection, Protection::Write))
            static_cast<FilePages*>(region->file->cached_pages())->mark_writable(region->offset_of(page) / PAGE_SIZE);
        TRY(m_space.protect(page, PAGE_SIZE, shared ? flags & ~mm::PageFlags::Writable : flags));
    }
    return {};
}

void UserMemory::drop_file_pages_past_end(const fs::Vnode& file, u64 size)
{
    u64 first_gone = align_up<u64>(size, PAGE_SIZE);
    for (const Region& region : m_regions.regions()) {
        if (!region.is_file() || region.file.ptr() != &file || region.offset_of(region.end) <= first_gone)
            continue;
        VirtAddr from
            = first_gone <= region.file_offset ? region.base : region.base + (first_gone - region.file_offset);
        release_pages(from, region.end - from);
    }
}

ErrorOr<void> UserMemory::unmap(VirtAddr address, u64 length)
{
    if (!page_aligned(address) || length == 0 || !is_user_range(address, length))
        return Error::from_errno(EINVAL);
    VirtAddr end = align_up<u64>(address + length, PAGE_SIZE);
    if (end > mm::USER_END)
        return Error::from_errno(EINVAL);
    // Shared file pages go back to their files first (Linux reports no
    // write-back error from munmap either).
    (void)write_back(address, end);
    TRY(m_regions.remove(address, end));
    release_pages(address, end - address);
    return {};
}

ErrorOr<void> UserMemory::protect(VirtAddr address, u64 length, Protection protection)
{
    if (!page_aligned(address))
        return Error::from_errno(EINVAL);
    if (length == 0)
        return {};
    if (!is_user_range(address, length))
        return Error::from_errno(ENOMEM);
    VirtAddr end = align_up<u64>(address + length, PAGE_SIZE);
    if (end > mm::USER_END)
        return Error::from_errno(ENOMEM);
    // A shared mapping of a file opened read-only never becomes writable.
    if (has_protection(protection, Protection::Write)) {
        for (const Region& region : m_regions.regions()) {
            if (region.kind == RegionKind::FileShared && !region.file_writable && region.base < end
                && region.end > address)
                return Error::from_errno(EACCES);
        }
    }
    return m_regions.protect(
        address, end, protection, [&](VirtAddr base, VirtAddr part_end, Protection old) -> ErrorOr<void> {
            u64 part = part_end - base;
            if (old == Protection::None)
                return {}; // no pages: they come on demand
            if (protection == Protection::None) {
                release_pages(base, part);
                return {};
            }
            return reprotect_present_pages(base, part_end, protection);
        });
}

void UserMemory::set_heap_start(VirtAddr start)
{
    m_heap_start = m_break = start;
}

VirtAddr UserMemory::set_break(VirtAddr requested)
{
    if (requested < m_heap_start || requested > USER_MMAP_TOP)
        return m_break;
    VirtAddr old_end = align_up<u64>(m_break, PAGE_SIZE);
    VirtAddr new_end = align_up<u64>(requested, PAGE_SIZE);
    // The overcommit rule of map_anonymous: no heap larger than all of memory.
    if (new_end > old_end && (new_end - m_heap_start) / PAGE_SIZE > mm::frame_stats().total)
        return m_break;
    if (new_end > old_end) {
        if (allocate(old_end, new_end - old_end, Protection::Read | Protection::Write, RegionKind::Heap).is_error())
            return m_break;
    } else if (new_end < old_end) {
        if (unmap(new_end, old_end - new_end).is_error())
            return m_break;
    }
    m_break = requested;
    return m_break;
}

} // namespace user
