// A user program's memory; see UserMemory.h. The region map changes only
// together with the page tables: page work first where it can fail (then the
// map), map first where only the page work remains and it cannot fail.
#include <kernel/core/Panic.h>
#include <kernel/mm/Layout.h>
#include <kernel/mm/MemoryManager.h>
#include <kernel/user/CopyOnWrite.h>
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
        mm::PageFlags shared_flags = page_flags(region.protection) & ~mm::PageFlags::Writable;
        bool writable = has_protection(region.protection, Protection::Write);
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
    if (translation.is_error())
        return map_zeroed_page(page, protection);
    // Present: only a write to a copy-on-write page is ours to resolve.
    if (!present || access != Access::Write
        || (translation.value().flags & mm::PageFlags::Writable) == mm::PageFlags::Writable)
        return Error::from_errno(EFAULT);
    PhysAddr frame = translation.value().physical;
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
            TRY(map_zeroed_page(align_down<u64>(target, PAGE_SIZE), m_regions.find(target)->protection));
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
        TRY(allocate(address, size, protection, RegionKind::Anonymous));
        return address;
    }

    VirtAddr hint = align_up<u64>(address, PAGE_SIZE);
    bool hint_usable = hint >= USER_MIN_ADDRESS && hint >= address && is_user_range(hint, size)
        && m_regions.is_free(hint, hint + size);
    VirtAddr base = hint_usable ? hint : TRY(m_regions.find_free(size, USER_MIN_ADDRESS, USER_MMAP_TOP));
    TRY(allocate(base, size, protection, RegionKind::Anonymous));
    return base;
}

// New flags for the present pages of [base, end); shared (copy-on-write)
// frames stay read-only whatever the protection says.
ErrorOr<void> UserMemory::reprotect_present_pages(VirtAddr base, VirtAddr end, Protection protection)
{
    mm::PageFlags flags = page_flags(protection);
    for (VirtAddr page = base; page < end; page += PAGE_SIZE) {
        auto translation = m_space.query(page);
        if (translation.is_error())
            continue;
        bool shared = frame_shares().is_shared(translation.value().physical);
        TRY(m_space.protect(page, PAGE_SIZE, shared ? flags & ~mm::PageFlags::Writable : flags));
    }
    return {};
}

ErrorOr<void> UserMemory::unmap(VirtAddr address, u64 length)
{
    if (!page_aligned(address) || length == 0 || !is_user_range(address, length))
        return Error::from_errno(EINVAL);
    VirtAddr end = align_up<u64>(address + length, PAGE_SIZE);
    if (end > mm::USER_END)
        return Error::from_errno(EINVAL);
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
    if (new_end > old_end) {
        // As mmap: no growth beyond all of memory at once.
        if ((new_end - old_end) / PAGE_SIZE > mm::frame_stats().total)
            return m_break;
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
