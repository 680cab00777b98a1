#pragma once

// The per-CPU descriptor tables: each CPU has its own GDT, TSS and IST stacks,
// kept in its x86::Cpu block, which GS base points at while in the kernel.
//
// GDT layout (selector = index * 8 | RPL), fixed by SYSCALL/SYSRET
// (Intel SDM vol. 2B, SYSCALL and SYSRET; vol. 3A, 5.8.8):
//   0x00  null
//   0x08  kernel code, 64-bit, DPL 0   SYSCALL: CS = STAR[47:32]      = 0x08
//   0x10  kernel data, DPL 0           SYSCALL: SS = STAR[47:32] + 8  = 0x10
//   0x18  user data, DPL 3 (0x1b)      SYSRET:  SS = STAR[63:48] + 8  = 0x1b
//   0x20  user code, 64-bit, DPL 3 (0x23)  SYSRET: CS = STAR[63:48] + 16 = 0x23
//   0x28  TSS (a 16-byte descriptor, two slots)
// so STAR[47:32] = 0x08 and STAR[63:48] = 0x13. There is no 32-bit user code
// segment: a 32-bit SYSRET (sysretl) would load CS = STAR[63:48] and must not
// be used.
//
// While the kernel runs, GS base holds this CPU's Cpu block (its first field
// points at itself, so `mov %gs:0` yields it); IA32_KERNEL_GS_BASE holds the
// user's GS base. Entry from ring 3 must swapgs, and swapgs back on the way out.
#include <kernel/lib/Types.h>

namespace sched {
class Thread;
struct CpuScheduler;
} // namespace sched

namespace x86 {

inline constexpr u16 KERNEL_CODE_SELECTOR = 0x08;
inline constexpr u16 KERNEL_DATA_SELECTOR = 0x10;
inline constexpr u16 USER_DATA_SELECTOR = 0x18 | 3;
inline constexpr u16 USER_CODE_SELECTOR = 0x20 | 3;
inline constexpr u16 TSS_SELECTOR = 0x28;
inline constexpr u16 STAR_SYSCALL_SELECTOR = KERNEL_CODE_SELECTOR;
inline constexpr u16 STAR_SYSRET_SELECTOR = 0x10 | 3;
static_assert(STAR_SYSRET_SELECTOR + 8 == USER_DATA_SELECTOR && STAR_SYSRET_SELECTOR + 16 == USER_CODE_SELECTOR);
static_assert(STAR_SYSCALL_SELECTOR + 8 == KERNEL_DATA_SELECTOR);

// The 64-bit task-state segment (SDM vol. 3A, "Task Management in 64-bit
// Mode", 64-bit TSS format). Only the stack pointers matter in long mode.
struct [[gnu::packed]] Tss {
    u32 reserved0;
    u64 rsp[3]; // stack for entry from ring 3 (rsp[0]); rings 1, 2 unused
    u64 reserved1;
    u64 ist[7]; // IST1..IST7 (SDM vol. 3A, 6.14.5)
    u64 reserved2;
    u16 reserved3;
    u16 io_map_base; // = sizeof(Tss): no I/O permission bitmap
};
static_assert(sizeof(Tss) == 104);

// Interrupt Stack Table slots: exceptions that must run on a known-good stack
// even when the kernel stack is broken (a stack overflow turns into #DF).
enum class IstSlot : u8 {
    DoubleFault = 1,
    Nmi = 2,
    MachineCheck = 3,
};
inline constexpr usize IST_STACK_COUNT = 3;
inline constexpr usize IST_STACK_SIZE = 16 * KiB;
inline constexpr usize GDT_ENTRIES = 7;

struct alignas(PAGE_SIZE) Cpu {
    Cpu* self; // offset 0, read through %gs:0
    u32 index;
    // The thread running on this CPU and the scheduler's per-CPU state
    // (kernel/sched; read through GS, see ThreadContext.h). Null until the
    // scheduler starts on this CPU.
    sched::Thread* current_thread;
    sched::CpuScheduler* scheduler;
    // The user RSP between `syscall` and the push of the trap frame, while no
    // register is free (SyscallEntry.S; offset in SyscallEntry.h).
    u64 syscall_user_rsp;
    // The user program running on this CPU (user::Program), null otherwise.
    void* user_program;
    alignas(16) u64 gdt[GDT_ENTRIES];
    alignas(128) Tss tss; // 128-aligned: never crosses a page
    alignas(PAGE_SIZE) u8 ist_stacks[IST_STACK_COUNT][IST_STACK_SIZE];
};

// Fills `cpu`'s GDT and TSS, loads them on the calling CPU (lgdt, reload of
// every segment register, ltr) and points GS base at `cpu`. Each CPU calls it
// once for its own block.
void cpu_init(Cpu& cpu, u32 index);
// cpu_init for the boot CPU, whose block is in the kernel image.
void cpu_init_boot();

// Routes #DF, NMI and #MC to their IST stacks. After idt_init(), which
// installs every gate without one.
void install_ist_vectors();

// The calling CPU's block. Valid once cpu_init() ran on this CPU.
inline Cpu& current_cpu()
{
    Cpu* cpu;
    asm volatile("movq %%gs:0, %0" : "=r"(cpu));
    return *cpu;
}

// The stack the CPU switches to on an interrupt or exception from ring 3
// (TSS.RSP0 of the calling CPU). The scheduler sets it at each switch.
void set_kernel_stack(VirtAddr top);

} // namespace x86
