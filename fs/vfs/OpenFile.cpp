// Open file descriptions; see OpenFile.h.
#include <fs/epoll/Epoll.h>
#include <fs/vfs/AccessTime.h>
#include <fs/vfs/FileData.h>
#include <fs/vfs/OpenFile.h>
#include <kernel/api/dirent.h>

namespace fs {

namespace {

constinit Atomic<i64> s_live_open_files { 0 };

// Flags a description keeps: access mode and status flags, not the ones
// that only steer open(2) itself.
constexpr u32 CREATION_FLAGS = open_flag::Create | open_flag::Exclusive | open_flag::NoControllingTty
    | open_flag::Truncate | open_flag::CloseOnExec;

// Packs entries as linux_dirent64 records (kernel/api/dirent.h).
class DirentPacker final : public DirectoryVisitor {
public:
    explicit DirentPacker(Bytes buffer)
        : m_buffer(buffer)
    {
    }

    bool visit(const DirectoryEntry& entry) override
    {
        usize record_length = align_up(offsetof(linux_dirent64, d_name) + entry.name.length() + 1, usize(8));
        if (record_length > m_buffer.size() - m_used) {
            m_full = true;
            return false;
        }
        u8* record = m_buffer.data() + m_used;
        linux_dirent64 header {};
        header.d_ino = entry.inode;
        header.d_off = static_cast<i64>(entry.next_cookie);
        header.d_reclen = static_cast<u16>(record_length);
        header.d_type = dirent_type_of(entry.type);
        __builtin_memcpy(record, &header, offsetof(linux_dirent64, d_name));
        char* name = reinterpret_cast<char*>(record + offsetof(linux_dirent64, d_name));
        __builtin_memcpy(name, entry.name.characters(), entry.name.length());
        for (usize i = offsetof(linux_dirent64, d_name) + entry.name.length(); i < record_length; ++i)
            record[i] = 0;
        m_used += record_length;
        return true;
    }

    usize used() const { return m_used; }
    bool full() const { return m_full; }

private:
    Bytes m_buffer;
    usize m_used { 0 };
    bool m_full { false };
};

} // namespace

OpenFile::OpenFile(u32 flags)
    : m_flags(flags & ~CREATION_FLAGS)
{
    s_live_open_files.fetch_add(1, MemoryOrder::Relaxed);
}

OpenFile::~OpenFile()
{
    s_live_open_files.fetch_sub(1, MemoryOrder::Relaxed);
}

i64 live_open_file_count()
{
    return s_live_open_files.load(MemoryOrder::Relaxed);
}

void OpenFile::set_status_flags(u32 flags)
{
    u32 old = m_flags.load(MemoryOrder::Relaxed);
    u32 fresh;
    do {
        fresh = (old & ~open_flag::StatusChangeable) | (flags & open_flag::StatusChangeable);
    } while (!m_flags.compare_exchange(old, fresh, MemoryOrder::Relaxed));
}

bool OpenFile::is_readable() const
{
    u32 access_mode = flags() & open_flag::AccessMask;
    return access_mode == open_flag::ReadOnly || access_mode == open_flag::ReadWrite;
}

bool OpenFile::is_writable() const
{
    u32 access_mode = flags() & open_flag::AccessMask;
    return access_mode == open_flag::WriteOnly || access_mode == open_flag::ReadWrite;
}

ErrorOr<usize> OpenFile::pread(u64, Bytes)
{
    return Error::from_errno(ESPIPE);
}

ErrorOr<usize> OpenFile::pwrite(u64, ReadonlyBytes)
{
    return Error::from_errno(ESPIPE);
}

ErrorOr<u64> OpenFile::seek(i64, SeekFrom)
{
    return Error::from_errno(ESPIPE);
}

ErrorOr<void> OpenFile::truncate(u64)
{
    return Error::from_errno(EINVAL);
}

ErrorOr<uptr> OpenFile::ioctl(u32, uptr)
{
    return Error::from_errno(ENOTTY);
}

ErrorOr<usize> OpenFile::read_directory(Bytes)
{
    return Error::from_errno(ENOTDIR);
}

void OpenFile::will_be_destroyed() const
{
    release_epoll_entries(*this);
}

u32 OpenFile::poll_readiness() const
{
    return poll_event::In | poll_event::Out;
}

ErrorOr<NonnullRefPtr<VnodeFile>> VnodeFile::try_create(Location location, u32 flags)
{
    if (!location.is_valid())
        return Error::from_errno(EINVAL);
    return adopt_nonnull_ref_or_enomem(new (std::nothrow) VnodeFile(lib::move(location), flags));
}

VnodeFile::VnodeFile(Location location, u32 flags)
    : OpenFile(flags)
    , m_location(lib::move(location))
{
}

u64 VnodeFile::offset() const
{
    SpinlockGuard guard(m_offset_lock);
    return m_offset;
}

ErrorOr<usize> VnodeFile::read(Bytes buffer)
{
    if (!is_readable())
        return Error::from_errno(EBADF);
    u64 start = offset();
    usize count = TRY(read_data(vnode(), start, buffer));
    if (!buffer.is_empty() && !(flags() & open_flag::NoAtime))
        note_access(m_location);
    SpinlockGuard guard(m_offset_lock);
    m_offset = start + count;
    return count;
}

ErrorOr<usize> VnodeFile::write(ReadonlyBytes data)
{
    if (!is_writable())
        return Error::from_errno(EBADF);
    bool append = flags() & open_flag::Append;
    u64 start = append ? 0 : offset();
    auto result = TRY(write_data(vnode(), start, data, append ? WriteMode::Append : WriteMode::AtOffset));
    SpinlockGuard guard(m_offset_lock);
    m_offset = result.end_offset;
    return result.written;
}

ErrorOr<usize> VnodeFile::pread(u64 offset, Bytes buffer)
{
    if (!is_readable())
        return Error::from_errno(EBADF);
    usize count = TRY(read_data(vnode(), offset, buffer));
    if (!buffer.is_empty() && !(flags() & open_flag::NoAtime))
        note_access(m_location);
    return count;
}

ErrorOr<usize> VnodeFile::pwrite(u64 offset, ReadonlyBytes data)
{
    if (!is_writable())
        return Error::from_errno(EBADF);
    // Linux quirk kept: pwrite on an O_APPEND description appends.
    bool append = flags() & open_flag::Append;
    auto result = TRY(write_data(vnode(), offset, data, append ? WriteMode::Append : WriteMode::AtOffset));
    return result.written;
}

ErrorOr<u64> VnodeFile::seek(i64 offset, SeekFrom whence)
{
    i64 base = 0;
    if (whence == SeekFrom::End) {
        if (vnode().is_directory())
            return Error::from_errno(EINVAL);
        base = static_cast<i64>(vnode().attributes().size);
    }
    SpinlockGuard guard(m_offset_lock);
    if (whence == SeekFrom::Current)
        base = static_cast<i64>(m_offset);
    i64 target;
    if (__builtin_add_overflow(base, offset, &target))
        return Error::from_errno(EOVERFLOW);
    if (target < 0)
        return Error::from_errno(EINVAL);
    m_offset = static_cast<u64>(target);
    return m_offset;
}

ErrorOr<Attributes> VnodeFile::stat() const
{
    return vnode().attributes();
}

ErrorOr<void> VnodeFile::truncate(u64 size)
{
    if (!is_writable())
        return Error::from_errno(EINVAL); // ftruncate on a read-only fd (Linux: EINVAL)
    return truncate_data(vnode(), size);
}

ErrorOr<usize> VnodeFile::read_directory(Bytes buffer)
{
    if (!vnode().is_directory())
        return Error::from_errno(ENOTDIR);
    DirentPacker packer(buffer);
    u64 cookie = offset();
    u64 next = TRY(vnode().read_directory(cookie, packer));
    if (packer.used() == 0 && packer.full())
        return Error::from_errno(EINVAL); // not even one record fits
    if (!(flags() & open_flag::NoAtime))
        note_access(m_location);
    SpinlockGuard guard(m_offset_lock);
    m_offset = next;
    return packer.used();
}

} // namespace fs
