// ramfs regular files; see RamFile.h for the page array and the locking.
#include <fs/ramfs/RamFile.h>
#include <fs/ramfs/RamFileSystem.h>
#include <kernel/lib/Allocator.h>

namespace fs::ramfs {

ErrorOr<NonnullRefPtr<RamFile>> RamFile::try_create(RamFileSystem& file_system, u32 mode, NewOwner owner)
{
    return adopt_nonnull_ref_or_enomem(new (std::nothrow) RamFile(file_system, mode, owner));
}

RamFile::RamFile(RamFileSystem& file_system, u32 mode, NewOwner owner)
    : RamNode(file_system, FileType::Regular, mode::Regular | (mode & mode::PermissionMask), owner)
{
}

RamFile::~RamFile()
{
    for (usize i = 0; i < m_page_capacity; ++i)
        lib::deallocate(m_pages[i]);
    lib::deallocate(m_pages);
    ram_fs().release_pages(m_allocated_pages);
}

usize RamFile::allocated_pages() const
{
    SpinlockGuard guard(m_data_lock);
    return m_allocated_pages;
}

void RamFile::fill_size(Attributes& attributes) const
{
    SpinlockGuard guard(m_data_lock);
    attributes.size = m_size;
    attributes.blocks = m_allocated_pages * (PAGE_SIZE / 512);
}

ErrorOr<usize> RamFile::read(u64 offset, Bytes buffer)
{
    SpinlockGuard guard(m_data_lock);
    if (offset >= m_size || buffer.is_empty())
        return 0;
    usize count = static_cast<usize>(min(u64(buffer.size()), m_size - offset));
    for (usize done = 0; done < count;) {
        u64 position = offset + done;
        usize page = static_cast<usize>(position / PAGE_SIZE);
        usize within = static_cast<usize>(position % PAGE_SIZE);
        usize piece = min(count - done, PAGE_SIZE - within);
        if (page < m_page_capacity && m_pages[page])
            __builtin_memcpy(buffer.data() + done, m_pages[page] + within, piece);
        else
            __builtin_memset(buffer.data() + done, 0, piece);
        done += piece;
    }
    return count;
}

ErrorOr<void> RamFile::prepare_pages(usize first, usize last)
{
    for (;;) {
        usize capacity;
        usize missing = 0;
        {
            SpinlockGuard guard(m_data_lock);
            capacity = m_page_capacity;
            for (usize page = first; page <= last; ++page) {
                if (page >= m_page_capacity || !m_pages[page])
                    ++missing;
            }
        }
        if (capacity > last && missing == 0)
            return {};

        // Allocate unlocked: a bigger array if needed, and the missing pages.
        u8** array = nullptr;
        usize array_capacity = 0;
        if (capacity <= last) {
            array_capacity = max(max(last + 1, capacity * 2), usize(4));
            array = static_cast<u8**>(lib::allocate(array_capacity * sizeof(u8*), alignof(u8*)));
            if (!array)
                return Error::from_errno(ENOMEM);
            for (usize i = 0; i < array_capacity; ++i)
                array[i] = nullptr;
        }
        // A size-limited filesystem (tmpfs size=) refuses pages past its limit.
        if (missing && !ram_fs().reserve_pages(missing)) {
            lib::deallocate(array);
            return Error::from_errno(ENOSPC);
        }
        u8* pages[WRITE_CHUNK_PAGES] {};
        bool out_of_memory = false;
        for (usize i = 0; i < missing; ++i) {
            pages[i] = static_cast<u8*>(lib::allocate(PAGE_SIZE, PAGE_SIZE));
            if (!pages[i]) {
                out_of_memory = true;
                break;
            }
            __builtin_memset(pages[i], 0, PAGE_SIZE);
        }

        usize installed = 0;
        {
            SpinlockGuard guard(m_data_lock);
            if (!out_of_memory) {
                if (array && m_page_capacity < array_capacity) {
                    for (usize i = 0; i < m_page_capacity; ++i)
                        array[i] = m_pages[i];
                    lib::swap(array, m_pages); // `array` now holds the old one, freed below
                    m_page_capacity = array_capacity;
                }
                for (usize page = first; page <= last && page < m_page_capacity && installed < missing; ++page) {
                    if (!m_pages[page]) {
                        m_pages[page] = lib::exchange(pages[installed++], nullptr);
                        ++m_allocated_pages;
                    }
                }
            }
        }
        // Whatever was not installed (a concurrent writer filled it first).
        lib::deallocate(array);
        for (usize i = 0; i < missing; ++i)
            lib::deallocate(pages[i]);
        ram_fs().release_pages(missing - installed);
        if (out_of_memory)
            return Error::from_errno(ENOMEM);
    }
}

ErrorOr<u64> RamFile::write_chunk(u64 offset, ReadonlyBytes data, bool append)
{
    for (;;) {
        u64 start = offset;
        if (append) {
            SpinlockGuard guard(m_data_lock);
            start = m_size;
        }
        if (start > MAX_FILE_SIZE || data.size() > MAX_FILE_SIZE - start)
            return Error::from_errno(EFBIG);
        usize first = static_cast<usize>(start / PAGE_SIZE);
        usize last = static_cast<usize>((start + data.size() - 1) / PAGE_SIZE);
        TRY(prepare_pages(first, last));

        SpinlockGuard guard(m_data_lock);
        if (append) {
            start = m_size; // the end may have moved while pages were prepared
            if (start > MAX_FILE_SIZE || data.size() > MAX_FILE_SIZE - start)
                return Error::from_errno(EFBIG);
        }
        first = static_cast<usize>(start / PAGE_SIZE);
        last = static_cast<usize>((start + data.size() - 1) / PAGE_SIZE);
        bool ready = last < m_page_capacity;
        for (usize page = first; ready && page <= last; ++page)
            ready = m_pages[page] != nullptr;
        if (!ready)
            continue; // a truncate or an append raced us: prepare again
        for (usize done = 0; done < data.size();) {
            u64 position = start + done;
            usize page = static_cast<usize>(position / PAGE_SIZE);
            usize within = static_cast<usize>(position % PAGE_SIZE);
            usize piece = min(data.size() - done, PAGE_SIZE - within);
            __builtin_memcpy(m_pages[page] + within, data.data() + done, piece);
            done += piece;
        }
        u64 end = start + data.size();
        if (end > m_size)
            m_size = end;
        return end;
    }
}

ErrorOr<WriteResult> RamFile::write(u64 offset, ReadonlyBytes data, WriteMode mode)
{
    bool append = mode == WriteMode::Append;
    if (data.is_empty()) {
        if (append) {
            SpinlockGuard guard(m_data_lock);
            offset = m_size;
        }
        return WriteResult { 0, offset };
    }
    usize written = 0;
    u64 position = offset;
    bool page_at_a_time = false;
    while (written < data.size()) {
        // A chunk covers at most WRITE_CHUNK_PAGES pages wherever it starts.
        u64 start = append ? 0 : position;
        usize room = (WRITE_CHUNK_PAGES - 1) * PAGE_SIZE + (PAGE_SIZE - static_cast<usize>(start % PAGE_SIZE));
        if (append)
            room = (WRITE_CHUNK_PAGES - 1) * PAGE_SIZE; // the start is unknown: stay within 64 pages anyway
        if (page_at_a_time)
            room = PAGE_SIZE - static_cast<usize>(start % PAGE_SIZE);
        usize piece = min(data.size() - written, room);
        auto end = write_chunk(position, data.slice(written, piece), append);
        if (end.is_error()) {
            // Out of room (a tmpfs limit) for the whole chunk: write what
            // fits, a page at a time, so the caller gets a short count as on
            // Linux.
            if (end.error().code() == ENOSPC && !append && !page_at_a_time
                && piece > PAGE_SIZE - static_cast<usize>(start % PAGE_SIZE)) {
                page_at_a_time = true;
                continue;
            }
            if (written > 0)
                break; // report the part that was written
            return end.release_error();
        }
        position = end.value();
        written += piece;
    }
    touch_modified();
    return WriteResult { written, position };
}

ErrorOr<void> RamFile::truncate(u64 size)
{
    if (size > MAX_FILE_SIZE)
        return Error::from_errno(EFBIG);
    for (;;) {
        u8* freed[WRITE_CHUNK_PAGES];
        usize freed_count = 0;
        bool done = true;
        {
            SpinlockGuard guard(m_data_lock);
            if (size < m_size) {
                // Zero the tail of the new last page, so growing later reads zeros.
                usize within = static_cast<usize>(size % PAGE_SIZE);
                usize page = static_cast<usize>(size / PAGE_SIZE);
                if (within && page < m_page_capacity && m_pages[page])
                    __builtin_memset(m_pages[page] + within, 0, PAGE_SIZE - within);
            }
            // Pages wholly past the new end go, a batch at a time.
            usize keep = static_cast<usize>(align_up(size, u64(PAGE_SIZE)) / PAGE_SIZE);
            for (usize page = keep; page < m_page_capacity; ++page) {
                if (!m_pages[page])
                    continue;
                if (freed_count == WRITE_CHUNK_PAGES) {
                    done = false;
                    break;
                }
                freed[freed_count++] = lib::exchange(m_pages[page], nullptr);
                --m_allocated_pages;
            }
            m_size = size;
        }
        for (usize i = 0; i < freed_count; ++i)
            lib::deallocate(freed[i]);
        ram_fs().release_pages(freed_count);
        if (done)
            break;
    }
    touch_modified();
    return {};
}

} // namespace fs::ramfs
