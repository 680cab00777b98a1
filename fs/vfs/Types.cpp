// The clock hook for timestamps, the d_type mapping, and the compile-time
// proof that fs/vfs/Types.h spells the Linux UAPI numbers of kernel/api/.
#include <fs/vfs/Types.h>
#include <kernel/api/dirent.h>
#include <kernel/api/fcntl.h>
#include <kernel/api/limits.h>
#include <kernel/api/stat.h>
#include <kernel/lib/Atomic.h>

namespace fs {

static_assert(mode::TypeMask == S_IFMT && mode::Socket == S_IFSOCK && mode::Symlink == S_IFLNK);
static_assert(mode::Regular == S_IFREG && mode::BlockDevice == S_IFBLK && mode::Directory == S_IFDIR);
static_assert(mode::CharacterDevice == S_IFCHR && mode::Fifo == S_IFIFO);
static_assert(mode::SetUid == S_ISUID && mode::SetGid == S_ISGID && mode::Sticky == S_ISVTX);
static_assert(open_flag::AccessMask == O_ACCMODE && open_flag::ReadOnly == O_RDONLY);
static_assert(open_flag::WriteOnly == O_WRONLY && open_flag::ReadWrite == O_RDWR);
static_assert(open_flag::Create == O_CREAT && open_flag::Exclusive == O_EXCL && open_flag::Truncate == O_TRUNC);
static_assert(open_flag::NoControllingTty == O_NOCTTY && open_flag::Append == O_APPEND);
static_assert(open_flag::NonBlocking == O_NONBLOCK && open_flag::Directory == O_DIRECTORY);
static_assert(open_flag::NoFollow == O_NOFOLLOW && open_flag::CloseOnExec == O_CLOEXEC && open_flag::Path == O_PATH);
static_assert(open_flag::LargeFile == O_LARGEFILE);
static_assert(access::Read == R_OK && access::Write == W_OK && access::Execute == X_OK);
static_assert(MAX_NAME_LENGTH == NAME_MAX && MAX_PATH_LENGTH == PATH_MAX && MAX_SYMLINK_HOPS == MAXSYMLINKS);

namespace {

constinit Atomic<u64 (*)()> s_clock { nullptr };

} // namespace

void set_clock(u64 (*now_ns)())
{
    s_clock.store(now_ns, MemoryOrder::Release);
}

Timespec current_time()
{
    auto* clock = s_clock.load(MemoryOrder::Acquire);
    if (!clock)
        return {};
    u64 ns = clock();
    return { static_cast<i64>(ns / 1'000'000'000), static_cast<i64>(ns % 1'000'000'000) };
}

u8 dirent_type_of(FileType type)
{
    switch (type) {
    case FileType::Regular:
        return DT_REG;
    case FileType::Directory:
        return DT_DIR;
    case FileType::Symlink:
        return DT_LNK;
    case FileType::CharacterDevice:
        return DT_CHR;
    case FileType::BlockDevice:
        return DT_BLK;
    case FileType::Fifo:
        return DT_FIFO;
    case FileType::Socket:
        return DT_SOCK;
    case FileType::Unknown:
        break;
    }
    return DT_UNKNOWN;
}

} // namespace fs
