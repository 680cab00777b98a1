#pragma once

// The architecture's half of a thread: its saved stack pointer, its kernel
// stack top (loaded into TSS.RSP0 when it runs) and its FPU/SSE state.
//
// A switch (switch_context) saves the outgoing thread's FPU/SSE registers
// with FXSAVE64 and loads the incoming one's with FXRSTOR64 (eagerly, at
// every switch: simple, and the cost is small next to the rest of a switch),
// points TSS.RSP0 at the incoming stack, then pushes the callee-saved
// registers (rbx, rbp, r12-r15; System V AMD64 ABI 3.2.1), swaps stacks and
// pops the incoming thread's, in ContextSwitch.S. Caller-saved registers are
// already saved by the compiler around the call, and RFLAGS needs no saving:
// the scheduler switches with interrupts disabled and DF clear.
//
// The kernel itself never touches SSE (-mgeneral-regs-only); the state
// matters for user threads. Only the legacy FXSAVE area is kept (x87, MMX,
// XMM0-15, MXCSR: Intel SDM vol. 1, 10.5.1); CR4.OSXSAVE stays clear, so AVX
// instructions fault instead of running with unsaved state.
//
// A new thread's stack is prepared so that the first switch to it "returns"
// into a trampoline that calls start(argument0, argument1) with an aligned
// stack and a null frame pointer (the end of every backtrace).
#include <kernel/arch/x86_64/Gdt.h>
#include <kernel/lib/Types.h>

namespace x86 {

struct alignas(16) FpuState {
    u8 bytes[512];
};

// The per-CPU user state is per-thread: a switch saves the outgoing
// thread's TSS.RSP0, user-program pointer, page-table root and FS/GS bases
// here and loads the incoming thread's. A new thread starts with RSP0 at its
// stack top, no program and the kernel's page tables (page_table_root 0).
struct ThreadContext {
    u64 saved_rsp { 0 };
    VirtAddr kernel_stack_top { 0 };
    VirtAddr rsp0 { 0 };
    void* user_program { nullptr };
    PhysAddr page_table_root { 0 };
    u64 fs_base { 0 };
    u64 user_gs_base { 0 };
    FpuState fpu {};
};

using ThreadStart = void (*)(u64 argument0, u64 argument1);

// Once per CPU, before the first switch: CR0.MP = 1, EM = 0, TS = 0, NE = 1
// (SDM vol. 3A, 13.1.3), FNINIT and the default MXCSR (0x1f80: all
// exceptions masked); the first call records that state as the one every new
// thread starts with.
void fpu_init();

// Prepares `context` for a thread that starts at start(argument0, argument1)
// on the stack whose top (exclusive, 16-byte aligned) is `stack_top`. start
// must not return.
void prepare_context(ThreadContext& context, VirtAddr stack_top, ThreadStart start, u64 argument0, u64 argument1);

// Saves the calling thread into `from` and resumes `to`. Returns when
// another switch resumes `from`. Interrupts must be disabled.
void switch_context(ThreadContext& from, ThreadContext& to);

// Fills `context` for the code already running on this CPU (the boot thread):
// its stack top and the current FPU state.
void adopt_current_context(ThreadContext& context, VirtAddr stack_top);

// For the scheduler self-test: write and read XMM0's low quadword, to show
// that each thread keeps its own SSE registers across switches.
void fpu_test_write_xmm0(u64 value);
u64 fpu_test_read_xmm0();

// The running thread and scheduler state of this CPU, through GS base
// (single loads, so a thread always reads its own CPU's value).
inline sched::Thread* current_thread()
{
    sched::Thread* thread;
    asm volatile("movq %%gs:%c1, %0" : "=r"(thread) : "i"(__builtin_offsetof(Cpu, current_thread)));
    return thread;
}

inline void set_current_thread(sched::Thread* thread)
{
    asm volatile("movq %0, %%gs:%c1" : : "r"(thread), "i"(__builtin_offsetof(Cpu, current_thread)) : "memory");
}

inline sched::CpuScheduler* current_scheduler()
{
    sched::CpuScheduler* scheduler;
    asm volatile("movq %%gs:%c1, %0" : "=r"(scheduler) : "i"(__builtin_offsetof(Cpu, scheduler)));
    return scheduler;
}

} // namespace x86
