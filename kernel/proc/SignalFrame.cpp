// The Linux-compatible signal frame; see SignalFrame.h.
#include <kernel/arch/x86_64/SyscallEntry.h>
#include <kernel/arch/x86_64/ThreadContext.h>
#include <kernel/lib/Utility.h>
#include <kernel/proc/SignalFrame.h>
#include <kernel/user/UserPtr.h>

namespace proc {

namespace {

// struct sigcontext (64-bit), arch/x86/include/uapi/asm/sigcontext.h.
struct SigContext {
    u64 r8, r9, r10, r11, r12, r13, r14, r15;
    u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    u16 cs, gs, fs, ss;
    u64 err, trapno, oldmask, cr2;
    u64 fpstate;
    u64 reserved[8];
};
static_assert(sizeof(SigContext) == 256);

struct StackInfo {
    u64 sp;
    i32 flags;
    u32 padding;
    u64 size;
};

struct UContext {
    u64 flags;
    u64 link;
    StackInfo stack;
    SigContext mcontext;
    u64 sigmask;
};
static_assert(sizeof(UContext) == 304);

struct SigInfo {
    i32 signo;
    i32 errno_value;
    i32 code;
    i32 padding;
    union {
        struct {
            i32 pid;
            u32 uid;
            i32 status;
        } kill;
        u64 address;
        u8 bytes[112];
    } fields;
};
static_assert(sizeof(SigInfo) == 128);

struct RtSigFrame {
    u64 pretcode;
    UContext uc;
    SigInfo info;
};

constexpr u64 RED_ZONE = 128;
constexpr u64 FPU_SIZE = sizeof(x86::FpuState);
// FIX_EFLAGS (arch/x86/kernel/signal.c): AC OF DF TF SF ZF AF PF CF RF.
constexpr u64 FIX_EFLAGS = (1 << 18) | (1 << 11) | (1 << 10) | (1 << 8) | 0x80 | 0x40 | 0x10 | 0x04 | 0x01 | (1 << 16);
constexpr u64 RFLAGS_BASE = 0x202;                                      // IF and the always-one bit
constexpr u64 HANDLER_CLEARED_FLAGS = (1 << 10) | (1 << 8) | (1 << 16); // DF TF RF
constexpr usize MXCSR_OFFSET = 24;
constexpr usize MXCSR_MASK_OFFSET = 28;
constexpr u32 DEFAULT_MXCSR_MASK = 0xffbf; // SDM vol. 1, 11.6.6

void save_fpu(x86::FpuState& state)
{
    asm volatile("fxsave64 %0" : "=m"(state));
}

void restore_fpu(const x86::FpuState& state)
{
    asm volatile("fxrstor64 %0" : : "m"(state));
}

u32 read_u32(const x86::FpuState& state, usize offset)
{
    u32 value;
    __builtin_memcpy(&value, state.bytes + offset, sizeof(value));
    return value;
}

void fill_user_info(SigInfo& out, const SignalInfo& info)
{
    __builtin_memset(&out, 0, sizeof(out));
    out.signo = info.signal;
    out.code = info.code;
    if (info.code <= 0 || info.signal == 17 /* SIGCHLD */) {
        out.fields.kill.pid = info.sender_pid;
        out.fields.kill.uid = info.sender_uid;
        out.fields.kill.status = info.status;
    } else {
        out.fields.address = info.address;
    }
}

} // namespace

i32 alternate_stack_flags(const AlternateStack& alternate, u64 stack_pointer)
{
    if (alternate.size == 0)
        return STACK_DISABLE;
    return (alternate.contains(stack_pointer) ? STACK_ON : 0) | (alternate.auto_disarm ? STACK_AUTO_DISARM : 0);
}

ErrorOr<void> copy_signal_info_to_user(u64 address, const SignalInfo& info)
{
    SigInfo out;
    fill_user_info(out, info);
    return user::copy_to_user(user::UserPtr<void>(address), &out, sizeof(out));
}

ErrorOr<void> push_signal_frame(x86::InterruptFrame& frame, const SignalAction& action, const SignalInfo& info,
    u64 old_blocked, AlternateStack& alternate)
{
    // The red zone below RSP belongs to the interrupted code, unless the
    // handler moves to the alternate stack (Linux's get_sigframe).
    bool to_alternate = (action.flags & ACTION_ON_STACK) && alternate.size && !alternate.contains(frame.rsp);
    if (!to_alternate && frame.rsp < RED_ZONE)
        return Error::from_errno(EFAULT);
    u64 top = to_alternate ? alternate.base + alternate.size : frame.rsp - RED_ZONE;
    if (top < FPU_SIZE + sizeof(RtSigFrame) + 128)
        return Error::from_errno(EFAULT);
    u64 fpu_address = (top - FPU_SIZE) & ~u64(63);
    u64 frame_address = ((fpu_address - sizeof(RtSigFrame)) & ~u64(15)) - 8;

    x86::FpuState fpu;
    save_fpu(fpu);
    TRY(user::copy_to_user(user::UserPtr<void>(fpu_address), &fpu, sizeof(fpu)));

    RtSigFrame signal_frame;
    __builtin_memset(&signal_frame, 0, sizeof(signal_frame));
    signal_frame.pretcode = action.restorer;
    signal_frame.uc.stack.sp = alternate.base;
    signal_frame.uc.stack.size = alternate.size;
    signal_frame.uc.stack.flags = alternate_stack_flags(alternate, frame.rsp);
    SigContext& context = signal_frame.uc.mcontext;
    context.r8 = frame.r8;
    context.r9 = frame.r9;
    context.r10 = frame.r10;
    context.r11 = frame.r11;
    context.r12 = frame.r12;
    context.r13 = frame.r13;
    context.r14 = frame.r14;
    context.r15 = frame.r15;
    context.rdi = frame.rdi;
    context.rsi = frame.rsi;
    context.rbp = frame.rbp;
    context.rbx = frame.rbx;
    context.rdx = frame.rdx;
    context.rax = frame.rax;
    context.rcx = frame.rcx;
    context.rsp = frame.rsp;
    context.rip = frame.rip;
    context.eflags = frame.rflags;
    context.cs = static_cast<u16>(frame.cs);
    context.ss = static_cast<u16>(frame.ss);
    context.err = frame.error_code;
    context.trapno = frame.vector;
    context.oldmask = old_blocked;
    context.cr2 = info.address;
    context.fpstate = fpu_address;
    signal_frame.uc.sigmask = old_blocked;
    fill_user_info(signal_frame.info, info);
    TRY(user::copy_to_user(user::UserPtr<void>(frame_address), &signal_frame, sizeof(signal_frame)));
    if (to_alternate && alternate.auto_disarm)
        alternate = {};

    frame.rip = action.handler;
    frame.rsp = frame_address;
    frame.rdi = static_cast<u64>(info.signal);
    frame.rsi = frame_address + __builtin_offsetof(RtSigFrame, info);
    frame.rdx = frame_address + __builtin_offsetof(RtSigFrame, uc);
    frame.rax = 0;
    frame.rflags &= ~HANDLER_CLEARED_FLAGS;
    frame.cs = X86_USER_CODE_SELECTOR;
    frame.ss = X86_USER_DATA_SELECTOR;
    return {};
}

ErrorOr<u64> pop_signal_frame(x86::InterruptFrame& frame, u64& blocked, AlternateStack& alternate)
{
    RtSigFrame signal_frame;
    u64 handler_stack_pointer = frame.rsp;
    TRY(user::copy_from_user(&signal_frame, user::UserPtr<const void>(frame.rsp - 8), sizeof(signal_frame)));
    const SigContext& context = signal_frame.uc.mcontext;
    if (context.fpstate) {
        if (context.fpstate & 15)
            return Error::from_errno(EFAULT);
        x86::FpuState current;
        save_fpu(current);
        u32 supported = read_u32(current, MXCSR_MASK_OFFSET);
        if (supported == 0)
            supported = DEFAULT_MXCSR_MASK;
        x86::FpuState fpu;
        TRY(user::copy_from_user(&fpu, user::UserPtr<const void>(context.fpstate), sizeof(fpu)));
        u32 mxcsr = read_u32(fpu, MXCSR_OFFSET) & supported;
        __builtin_memcpy(fpu.bytes + MXCSR_OFFSET, &mxcsr, sizeof(mxcsr));
        restore_fpu(fpu);
    }
    frame.r8 = context.r8;
    frame.r9 = context.r9;
    frame.r10 = context.r10;
    frame.r11 = context.r11;
    frame.r12 = context.r12;
    frame.r13 = context.r13;
    frame.r14 = context.r14;
    frame.r15 = context.r15;
    frame.rdi = context.rdi;
    frame.rsi = context.rsi;
    frame.rbp = context.rbp;
    frame.rbx = context.rbx;
    frame.rdx = context.rdx;
    frame.rax = context.rax;
    frame.rcx = context.rcx;
    frame.rsp = context.rsp;
    frame.rip = context.rip;
    frame.rflags = RFLAGS_BASE | (context.eflags & FIX_EFLAGS);
    frame.cs = X86_USER_CODE_SELECTOR;
    frame.ss = X86_USER_DATA_SELECTOR;
    blocked = signal_frame.uc.sigmask & ~UNBLOCKABLE_SIGNALS;
    // The saved alternate stack comes back as sigaltstack would set it,
    // called from the handler's stack (Linux's restore_altstack): not while
    // that is the alternate stack; an invalid one is ignored.
    const StackInfo& saved = signal_frame.uc.stack;
    i32 mode = saved.flags & ~STACK_AUTO_DISARM;
    if (!alternate.contains(handler_stack_pointer)) {
        if (mode == STACK_DISABLE)
            alternate = {};
        else if ((mode == 0 || mode == STACK_ON) && saved.size >= MIN_SIGNAL_STACK_SIZE)
            alternate = { saved.sp, saved.size, (saved.flags & STACK_AUTO_DISARM) != 0 };
    }
    return context.rax;
}

} // namespace proc
