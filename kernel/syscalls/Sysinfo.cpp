// sysinfo(2): uptime, memory in bytes (mem_unit 1), the process count. No
// swap, no high memory, no load average yet (zeros).
#include <kernel/mm/MemoryManager.h>
#include <kernel/mm/PhysicalMemory.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/time/Clock.h>
#include <kernel/user/UserPtr.h>

namespace syscalls {

namespace {

// struct sysinfo on x86_64 (include/uapi/linux/sysinfo.h): 112 bytes.
struct LinuxSysinfo {
    i64 uptime;
    u64 loads[3];
    u64 totalram;
    u64 freeram;
    u64 sharedram;
    u64 bufferram;
    u64 totalswap;
    u64 freeswap;
    u16 procs;
    u16 pad;
    u32 pad2;
    u64 totalhigh;
    u64 freehigh;
    u32 mem_unit;
    char reserved[4];
};
static_assert(sizeof(LinuxSysinfo) == 112);

} // namespace

SYSCALL_HANDLER(sysinfo)
{
    LinuxSysinfo info {};
    info.uptime = static_cast<i64>(ktime::monotonic_ns() / 1'000'000'000);
    mm::FrameStats stats = mm::frame_stats();
    info.totalram = stats.total * PAGE_SIZE;
    info.freeram = stats.free * PAGE_SIZE;
    info.procs = static_cast<u16>(proc::process_count());
    info.mem_unit = 1;
    TRY(user::copy_to_user(user::UserPtr<LinuxSysinfo>(arguments[0]), info));
    return 0;
}

} // namespace syscalls
