// The fd table; see FileTable.h for the rules and the locking.
#include <fs/vfs/FileTable.h>
#include <kernel/lib/Allocator.h>

namespace fs {

namespace {

constexpr usize MIN_CAPACITY = 16;

} // namespace

FileTable::FileTable(u32 limit)
    : m_limit(limit)
{
}

FileTable::~FileTable()
{
    close_all();
    for (usize i = 0; i < m_capacity; ++i)
        m_slots[i].~Slot();
    lib::deallocate(m_slots);
}

ErrorOr<void> FileTable::ensure_capacity(usize needed)
{
    for (;;) {
        usize capacity;
        {
            SpinlockGuard guard(m_lock);
            capacity = m_capacity;
        }
        if (capacity >= needed)
            return {};
        usize grown = max(max(needed, capacity * 2), MIN_CAPACITY);
        grown = min(grown, max(needed, usize(m_limit)));
        auto* fresh = static_cast<Slot*>(lib::allocate(grown * sizeof(Slot), alignof(Slot)));
        if (!fresh)
            return Error::from_errno(ENOMEM);
        for (usize i = 0; i < grown; ++i)
            new (&fresh[i]) Slot();

        Slot* unused = fresh;
        usize unused_capacity = grown;
        {
            SpinlockGuard guard(m_lock);
            if (m_capacity < grown) {
                for (usize i = 0; i < m_capacity; ++i) {
                    fresh[i].file = lib::move(m_slots[i].file);
                    fresh[i].close_on_exec = m_slots[i].close_on_exec;
                }
                unused = m_slots;
                unused_capacity = m_capacity;
                m_slots = fresh;
                m_capacity = grown;
            }
        }
        // Every slot of the array given up is empty (moved from, or never used).
        for (usize i = 0; i < unused_capacity; ++i)
            unused[i].~Slot();
        lib::deallocate(unused);
    }
}

int FileTable::lowest_free_locked(usize minimum) const
{
    for (usize fd = minimum; fd < m_capacity && fd < m_limit; ++fd) {
        if (!m_slots[fd].file)
            return static_cast<int>(fd);
    }
    return -1;
}

void FileTable::install_locked(int fd, RefPtr<OpenFile> file, bool close_on_exec, RefPtr<OpenFile>& displaced)
{
    Slot& slot = m_slots[fd];
    displaced = lib::move(slot.file);
    slot.file = lib::move(file);
    slot.close_on_exec = close_on_exec;
}

ErrorOr<int> FileTable::allocate(NonnullRefPtr<OpenFile> file, CloseOnExec close_on_exec, int minimum)
{
    if (minimum < 0 || static_cast<u32>(minimum) >= m_limit)
        return Error::from_errno(EINVAL);
    RefPtr<OpenFile> pending = lib::move(file);
    for (;;) {
        usize needed;
        {
            SpinlockGuard guard(m_lock);
            int fd = lowest_free_locked(static_cast<usize>(minimum));
            if (fd >= 0) {
                RefPtr<OpenFile> displaced; // the slot was free: stays null
                install_locked(fd, lib::move(pending), close_on_exec == CloseOnExec::Yes, displaced);
                return fd;
            }
            if (m_capacity >= m_limit)
                return Error::from_errno(EMFILE);
            needed = max(m_capacity + 1, static_cast<usize>(minimum) + 1);
        }
        TRY(ensure_capacity(needed));
    }
}

ErrorOr<NonnullRefPtr<OpenFile>> FileTable::get(int fd) const
{
    SpinlockGuard guard(m_lock);
    if (fd < 0 || static_cast<usize>(fd) >= m_capacity || !m_slots[fd].file)
        return Error::from_errno(EBADF);
    return NonnullRefPtr<OpenFile>(*m_slots[fd].file);
}

bool FileTable::is_open(int fd) const
{
    SpinlockGuard guard(m_lock);
    return fd >= 0 && static_cast<usize>(fd) < m_capacity && m_slots[fd].file;
}

ErrorOr<void> FileTable::close(int fd)
{
    RefPtr<OpenFile> closed;
    {
        SpinlockGuard guard(m_lock);
        if (fd < 0 || static_cast<usize>(fd) >= m_capacity || !m_slots[fd].file)
            return Error::from_errno(EBADF);
        closed = lib::move(m_slots[fd].file);
        m_slots[fd].close_on_exec = false;
    }
    return {};
}

ErrorOr<int> FileTable::dup(int fd)
{
    return dup_at_least(fd, 0, CloseOnExec::No);
}

ErrorOr<int> FileTable::dup_at_least(int fd, int minimum, CloseOnExec close_on_exec)
{
    auto file = TRY(get(fd));
    return allocate(lib::move(file), close_on_exec, minimum);
}

ErrorOr<int> FileTable::dup2(int old_fd, int new_fd)
{
    if (old_fd == new_fd) {
        (void)TRY(get(old_fd));
        return new_fd;
    }
    return dup3(old_fd, new_fd, 0);
}

ErrorOr<int> FileTable::dup3(int old_fd, int new_fd, u32 flags)
{
    if (flags & ~open_flag::CloseOnExec)
        return Error::from_errno(EINVAL);
    if (old_fd == new_fd)
        return Error::from_errno(EINVAL);
    if (new_fd < 0 || static_cast<u32>(new_fd) >= m_limit)
        return Error::from_errno(EBADF);
    auto file = TRY(get(old_fd));
    TRY(ensure_capacity(static_cast<usize>(new_fd) + 1));
    RefPtr<OpenFile> displaced;
    {
        SpinlockGuard guard(m_lock);
        // old_fd may have been closed meanwhile; dup3 then fails as if it had been first.
        if (m_slots[old_fd].file.ptr() != file.ptr())
            return Error::from_errno(EBADF);
        install_locked(new_fd, file, (flags & open_flag::CloseOnExec) != 0, displaced);
    }
    return new_fd;
}

ErrorOr<bool> FileTable::close_on_exec(int fd) const
{
    SpinlockGuard guard(m_lock);
    if (fd < 0 || static_cast<usize>(fd) >= m_capacity || !m_slots[fd].file)
        return Error::from_errno(EBADF);
    return m_slots[fd].close_on_exec;
}

ErrorOr<void> FileTable::set_close_on_exec(int fd, CloseOnExec close_on_exec)
{
    SpinlockGuard guard(m_lock);
    if (fd < 0 || static_cast<usize>(fd) >= m_capacity || !m_slots[fd].file)
        return Error::from_errno(EBADF);
    m_slots[fd].close_on_exec = close_on_exec == CloseOnExec::Yes;
    return {};
}

void FileTable::close_on_exec_sweep()
{
    for (usize fd = 0;; ++fd) {
        RefPtr<OpenFile> closed;
        {
            SpinlockGuard guard(m_lock);
            if (fd >= m_capacity)
                return;
            if (m_slots[fd].close_on_exec) {
                closed = lib::move(m_slots[fd].file);
                m_slots[fd].close_on_exec = false;
            }
        }
    }
}

void FileTable::close_all()
{
    for (usize fd = 0;; ++fd) {
        RefPtr<OpenFile> closed;
        {
            SpinlockGuard guard(m_lock);
            if (fd >= m_capacity)
                return;
            closed = lib::move(m_slots[fd].file);
            m_slots[fd].close_on_exec = false;
        }
    }
}

ErrorOr<void> FileTable::copy_from(const FileTable& other)
{
    for (;;) {
        usize needed;
        {
            SpinlockGuard guard(other.m_lock);
            needed = other.m_capacity;
        }
        TRY(ensure_capacity(needed));
        // Lock order: the source table, then the new one (nobody else can
        // see the new table yet, so the order cannot invert).
        SpinlockGuard source_guard(other.m_lock);
        if (other.m_capacity > needed)
            continue; // the source grew meanwhile
        SpinlockGuard guard(m_lock);
        for (usize fd = 0; fd < other.m_capacity; ++fd) {
            LIB_VERIFY(!m_slots[fd].file);
            m_slots[fd].file = other.m_slots[fd].file;
            m_slots[fd].close_on_exec = other.m_slots[fd].close_on_exec;
        }
        return {};
    }
}

usize FileTable::open_count() const
{
    SpinlockGuard guard(m_lock);
    usize count = 0;
    for (usize fd = 0; fd < m_capacity; ++fd) {
        if (m_slots[fd].file)
            ++count;
    }
    return count;
}

} // namespace fs
