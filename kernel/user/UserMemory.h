#pragma once

// The memory of one user program: its address space (page tables, mm::
// AddressSpace) and its region map (RegionMap), kept in step. mmap, munmap,
// mprotect and brk land here, as does the ELF loader.
//
// Demand paging: only program-image regions get their pages when mapped;
// heap, stack and anonymous regions are reserved, and a page appears,
// zero-filled, on the first access (handle_fault, from the page-fault
// handler, or write()). Pages are 4 KiB, with User set, Writable for
// PROT_WRITE and NoExecute without PROT_EXEC. mprotect to PROT_NONE gives
// the pages back, so their contents are gone if the range is made
// accessible again (Linux keeps them).
//
// Copy-on-write: fork (copy_from) maps the parent's frames into the child
// read-only in both and counts the extra owner (user::frame_shares()). A
// write fault on such a page copies the frame, or, when this space turns
// out to be the last owner, just makes the page writable again. Every frame
// leaves a space through release_user_frames, which frees it only when no
// other space owns it.
//
// File mappings (map_file): the pages come from the file's page cache
// (FilePages.h). A MAP_SHARED mapping maps the cache's frames themselves,
// writable when the region is, so every mapping of the file and read()
// see the same bytes; munmap, msync, exit (destroy) and fsync write them
// back to the file. A MAP_PRIVATE mapping maps them read-only and copies a
// page on the first write, as copy-on-write after fork does. fork shares a
// MAP_SHARED region's frames with the child instead of copying them.
//
// Memory for user pages is refused (ENOMEM) while fewer than
// FRAMES_KEPT_FOR_KERNEL frames would stay free, so the kernel keeps working
// when a program eats all memory: a single mmap or brk growth larger than
// all of memory fails with ENOMEM, and a program that touches more
// demand-paged memory than exists is killed with SIGKILL at the fault that
// finds none (proc/PageFault.cpp), as by Linux's OOM killer.
//
// Locking: none; one thread runs a program. Multi-threaded processes will
// serialize these calls with their address-space mutex (allocation happens
// inside, so not a spinlock).
#include <kernel/mm/AddressSpace.h>
#include <kernel/user/RegionMap.h>

namespace user {

inline constexpr usize FRAMES_KEPT_FOR_KERNEL = 2048; // 8 MiB

// handle_fault's error for a file mapping's page that lies wholly past the
// end of the file (the fault gives SIGBUS, kernel/proc/PageFault.h).
inline constexpr int FAULT_BEYOND_FILE = ENXIO;

// mmap's placement rules: a hint (MAP_FIXED not given), MAP_FIXED (replaces
// what is there) or MAP_FIXED_NOREPLACE (EEXIST if anything is there).
enum class Placement : u8 {
    Hint,
    Fixed,
    FixedNoReplace,
};

class UserMemory {
public:
    UserMemory() = default;
    UserMemory(const UserMemory&) = delete;
    UserMemory& operator=(const UserMemory&) = delete;
    ~UserMemory() { destroy(); }

    ErrorOr<void> create();
    // Frees every page and page table. Must not be active on any CPU.
    void destroy();

    const mm::AddressSpace& address_space() const { return m_space; }
    const RegionMap& regions() const { return m_regions; }

    enum class Access : u8 {
        Read,
        Write,
        Execute,
    };
    // A page fault at `address`: maps a fresh zeroed page (not present) or
    // resolves copy-on-write (write to a present read-only page of a writable
    // region). EFAULT when the access is not allowed (SIGSEGV), ENOMEM.
    ErrorOr<void> handle_fault(VirtAddr address, Access access, bool present);

    // A new region over free, page-aligned [base, base + length) with fresh
    // zeroed pages (none for Protection::None). All or nothing.
    ErrorOr<void> allocate(VirtAddr base, u64 length, Protection protection, RegionKind kind);
    // fork: this (created, empty) memory becomes a copy of `other`: the same
    // regions, break and page contents (fresh frames). On failure the caller
    // destroys this memory.
    ErrorOr<void> copy_from(UserMemory& other);
    // Copies `bytes` to `address` in mapped pages, through the direct map
    // (whatever their protection, and whether or not the space is active).
    ErrorOr<void> write(VirtAddr address, Span<const u8> bytes);

    // mmap(MAP_PRIVATE | MAP_ANONYMOUS) with Linux's argument rules: EINVAL
    // for length 0 or a misaligned fixed address, ENOMEM when the rounded
    // length overflows or no room is left, EEXIST for FixedNoReplace over a
    // mapping. Returns the address.
    ErrorOr<VirtAddr> map_anonymous(VirtAddr address, u64 length, Protection protection, Placement placement);
    // mmap of a file: `shared` for MAP_SHARED; `file_writable` says whether
    // the file was opened for writing (mprotect may add PROT_WRITE to a
    // shared mapping only then: EACCES otherwise). Placement and errors as
    // map_anonymous.
    struct FileMapping {
        NonnullRefPtr<fs::Vnode> file;
        u64 offset;
        bool shared;
        bool file_writable;
    };
    ErrorOr<VirtAddr> map_file(
        VirtAddr address, u64 length, Protection protection, Placement placement, const FileMapping& mapping);
    // msync: writes the shared file pages of [address, address + length)
    // back. EINVAL for a misaligned address, ENOMEM if part of the range is
    // not mapped.
    ErrorOr<void> sync_range(VirtAddr address, u64 length);
    // munmap: EINVAL for a misaligned address or length 0; unmapped parts are fine.
    ErrorOr<void> unmap(VirtAddr address, u64 length);
    // After `file` was truncated to `size`: unmaps this space's pages of it
    // that lie wholly past the end (shared and private copies alike), so
    // the next access faults and gets SIGBUS, as on Linux. Only the
    // truncating process's mappings are handled; see docs/vfs.md.
    void drop_file_pages_past_end(const fs::Vnode& file, u64 size);
    // mprotect: EINVAL for a misaligned address, ENOMEM if part of the range is unmapped.
    ErrorOr<void> protect(VirtAddr address, u64 length, Protection protection);

    // brk: the heap starts at `start` (page aligned, just above the image).
    void set_heap_start(VirtAddr start);
    // Moves the break to `requested` and returns the new break; on any
    // failure (below the heap start, into another region, a heap larger
    // than all of memory, out of memory) returns the old one, as Linux's brk
    // does.
    VirtAddr set_break(VirtAddr requested);
    VirtAddr current_break() const { return m_break; }

private:
    // Where a new mapping of `size` bytes goes (see map_anonymous); replaces
    // what is there for MAP_FIXED.
    ErrorOr<VirtAddr> place(VirtAddr address, u64 size, Placement placement);
    // Maps the page of a file region holding `page` (not present yet).
    ErrorOr<void> map_file_page(VirtAddr page, const Region& region);
    // True if the file page at `page` of a file region starts at or past the
    // end of the file.
    bool is_past_end_of_file(VirtAddr page, const Region& region) const;
    // Writes the shared file pages of [base, end) back (errors ignored
    // where the caller cannot report them).
    ErrorOr<void> write_back(VirtAddr base, VirtAddr end);
    // Maps fresh zeroed pages over [base, base + length); undoes itself on failure.
    ErrorOr<void> populate(VirtAddr base, u64 length, Protection protection);
    ErrorOr<void> map_zeroed_page(VirtAddr page, Protection protection);
    void release_pages(VirtAddr base, u64 length);
    ErrorOr<void> reprotect_present_pages(VirtAddr base, VirtAddr end, Protection protection);
    // Range checks shared by munmap and mprotect; returns the page-rounded end.
    static ErrorOr<VirtAddr> checked_range(VirtAddr address, u64 length);

    mm::AddressSpace m_space;
    RegionMap m_regions;
    VirtAddr m_heap_start { 0 };
    VirtAddr m_break { 0 };
};

} // namespace user
