#pragma once

// ramfs regular files: data in 4 KiB pages reached through an array of page
// pointers. A null pointer is a hole that reads as zeros, so files are
// sparse: truncating up or writing far past the end allocates nothing for
// the gap. The page array grows by doubling; the largest file is
// MAX_FILE_SIZE (EFBIG past it).
//
// Locking: m_data_lock (a spinlock) guards the page array, the pages and
// m_size. Writes allocate the pages they need with the lock dropped, then
// install them and copy under it, at most WRITE_CHUNK_PAGES pages per round;
// a write that runs out of memory part-way returns the bytes written so far.
// An append finds the end of file under the lock, so concurrent appends
// smaller than a chunk never interleave. Truncation frees pages after
// dropping the lock. The copies happen under the spinlock: once user copies
// can fault and sleep, this lock becomes the inode's sleeping mutex.
#include <fs/ramfs/RamNode.h>

namespace fs::ramfs {

class RamFile final : public RamNode {
public:
    static constexpr u64 MAX_FILE_SIZE = u64(1) << 40;
    static constexpr usize WRITE_CHUNK_PAGES = 64;

    static ErrorOr<NonnullRefPtr<RamFile>> try_create(RamFileSystem& file_system, u32 mode, NewOwner owner);
    ~RamFile() override;

    ErrorOr<usize> read(u64 offset, Bytes buffer) override;
    ErrorOr<WriteResult> write(u64 offset, ReadonlyBytes data, WriteMode mode) override;
    ErrorOr<void> truncate(u64 size) override;

    usize allocated_pages() const;

private:
    RamFile(RamFileSystem& file_system, u32 mode, NewOwner owner);
    void fill_size(Attributes& attributes) const override;
    // Writes one chunk (at most WRITE_CHUNK_PAGES pages) at `offset`, or at
    // the end of file when `append`; returns where it ended.
    ErrorOr<u64> write_chunk(u64 offset, ReadonlyBytes data, bool append);
    // Makes the array and pages for [first, last] exist, allocating unlocked.
    ErrorOr<void> prepare_pages(usize first, usize last);

    mutable Spinlock m_data_lock;
    u8** m_pages { nullptr };      // guarded by m_data_lock
    usize m_page_capacity { 0 };   // guarded by m_data_lock
    usize m_allocated_pages { 0 }; // guarded by m_data_lock
    u64 m_size { 0 };              // guarded by m_data_lock
};

} // namespace fs::ramfs
