// SYSCALL/SYSRET set-up, the C++ half of the system-call entry, SMEP/SMAP
// and the small CPU services of the user boundary (see Syscall.h). The
// assembly half is SyscallEntry.S; the SYSRET safety rule is SyscallReturn.h.
#include <kernel/arch/x86_64/Gdt.h>
#include <kernel/arch/x86_64/Io.h>
#include <kernel/arch/x86_64/Syscall.h>
#include <kernel/arch/x86_64/SyscallEntry.h>
#include <kernel/arch/x86_64/SyscallReturn.h>
#include <kernel/log/Log.h>
#include <kernel/proc/Signals.h>
#include <kernel/syscalls/Dispatcher.h>
#include <kernel/syscalls/RestartPolicy.h>
#include <kernel/user/Fault.h>

#include <stddef.h>

extern "C" {
// Read by the stac/clac macros in SyscallEntry.h.
constinit bool x86_smap_enabled = false;
void x86_syscall_entry();
u64 x86_enter_user(x86::UserContext* context, VirtAddr entry, VirtAddr user_rsp);
[[noreturn]] void x86_leave_user(x86::UserContext* context, u64 value);
bool x86_syscall_dispatch(x86::InterruptFrame* frame);
}

namespace x86 {

static_assert(offsetof(Cpu, syscall_user_rsp) == X86_CPU_SYSCALL_USER_RSP);
static_assert(offsetof(Cpu, tss) + offsetof(Tss, rsp) == X86_CPU_TSS_RSP0);
static_assert(USER_CODE_SELECTOR == X86_USER_CODE_SELECTOR && USER_DATA_SELECTOR == X86_USER_DATA_SELECTOR);

namespace {

constexpr u32 MSR_EFER = 0xc0000080;
constexpr u32 MSR_STAR = 0xc0000081;
constexpr u32 MSR_LSTAR = 0xc0000082;
constexpr u32 MSR_FMASK = 0xc0000084;
constexpr u32 MSR_FS_BASE = 0xc0000100;
constexpr u32 MSR_KERNEL_GS_BASE = 0xc0000102;
constexpr u64 EFER_SCE = 1 << 0;

// RFLAGS bits (SDM vol. 1, 3.4.3).
constexpr u64 RFLAGS_IF = 1 << 9;
constexpr u64 RFLAGS_DF = 1 << 10;
constexpr u64 RFLAGS_IOPL = 3 << 12;
constexpr u64 RFLAGS_NT = 1 << 14;
constexpr u64 RFLAGS_AC = 1 << 18;
constexpr u64 SYSCALL_FLAG_MASK = RFLAGS_IF | RFLAGS_TRAP | RFLAGS_DF | RFLAGS_IOPL | RFLAGS_NT | RFLAGS_AC;

constexpr u64 CR4_SMEP = 1 << 20;
constexpr u64 CR4_SMAP = 1 << 21;
constexpr u32 CPUID7_EBX_SMEP = 1 << 7;
constexpr u32 CPUID7_EBX_SMAP = 1 << 20;
constexpr u32 CPUID1_ECX_RDRAND = 1 << 30;

constinit bool s_smep_enabled = false;
constinit bool s_has_rdrand = false;

void enable_supervisor_protections()
{
    if (cpuid(0).eax < 7)
        return;
    u32 features = cpuid(7, 0).ebx;
    u64 cr4 = read_cr4();
    if (features & CPUID7_EBX_SMEP)
        cr4 |= CR4_SMEP;
    if (features & CPUID7_EBX_SMAP)
        cr4 |= CR4_SMAP;
    write_cr4(cr4);
    s_smep_enabled = features & CPUID7_EBX_SMEP;
    x86_smap_enabled = features & CPUID7_EBX_SMAP;
}

} // namespace

void syscall_init()
{
    write_msr(MSR_STAR, (u64(STAR_SYSRET_SELECTOR) << 48) | (u64(STAR_SYSCALL_SELECTOR) << 32));
    write_msr(MSR_LSTAR, reinterpret_cast<u64>(&x86_syscall_entry));
    write_msr(MSR_FMASK, SYSCALL_FLAG_MASK);
    write_msr(MSR_EFER, read_msr(MSR_EFER) | EFER_SCE);
    enable_supervisor_protections();
    s_has_rdrand = cpuid(1).ecx & CPUID1_ECX_RDRAND;
    klog::info("user: SYSCALL entry at {:#x}, SMEP {}, SMAP {}, RDRAND {}", reinterpret_cast<u64>(&x86_syscall_entry),
        s_smep_enabled ? "on" : "off", x86_smap_enabled ? "on" : "off", s_has_rdrand ? "yes" : "no");
}

bool smap_enabled()
{
    return x86_smap_enabled;
}

bool smep_enabled()
{
    return s_smep_enabled;
}

u64 enter_user(UserContext& context, VirtAddr entry, VirtAddr user_rsp)
{
    return x86_enter_user(&context, entry, user_rsp);
}

void leave_user(UserContext& context, u64 value)
{
    x86_leave_user(&context, value);
}

VirtAddr kernel_stack()
{
    return current_cpu().tss.rsp[0];
}

void* current_user_program()
{
    return current_cpu().user_program;
}

void set_current_user_program(void* program)
{
    current_cpu().user_program = program;
}

void set_user_fs_base(u64 base)
{
    write_msr(MSR_FS_BASE, base);
}

u64 user_fs_base()
{
    return read_msr(MSR_FS_BASE);
}

void set_user_gs_base(u64 base)
{
    write_msr(MSR_KERNEL_GS_BASE, base);
}

u64 user_gs_base()
{
    return read_msr(MSR_KERNEL_GS_BASE);
}

void reset_user_segment_bases()
{
    write_msr(MSR_FS_BASE, 0);
    write_msr(MSR_KERNEL_GS_BASE, 0);
}

bool read_hardware_random(u64& value)
{
    if (!s_has_rdrand)
        return false;
    for (int attempt = 0; attempt < 10; ++attempt) {
        bool ok;
        asm volatile("rdrand %0" : "=r"(value), "=@ccc"(ok));
        if (ok)
            return true;
    }
    return false;
}

} // namespace x86

// Called by the SYSCALL entry with interrupts enabled, on the program's
// kernel stack. Returns whether the return may use SYSRET.
bool x86_syscall_dispatch(x86::InterruptFrame* frame)
{
    syscalls::Arguments arguments { { frame->rdi, frame->rsi, frame->rdx, frame->r10, frame->r8, frame->r9 } };
    u64 number = frame->rax;
    frame->rax = static_cast<u64>(syscalls::dispatch(number, arguments));
    proc::deliver_signals(*frame, { number, syscalls::restart_policy(number) });
    // A `syscall` in the last two bytes of the user half leaves RCX =
    // 0x0000800000000000. Neither SYSRET nor IRET may load it (both fault in
    // ring 0); on Linux the program gets SIGSEGV, and so it does here.
    if (!x86::is_user_address(frame->rip))
        user::terminate_after_fault(
            { user::GENERAL_PROTECTION_VECTOR, 0, 0, frame->rip, frame->rsp, user::Signal::Segv });
    return x86::can_return_with_sysret(*frame);
}
