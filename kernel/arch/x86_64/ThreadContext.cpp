// Thread contexts: initial frames, FPU state and the switch (see ThreadContext.h).
#include <kernel/arch/x86_64/Io.h>
#include <kernel/arch/x86_64/Syscall.h>
#include <kernel/arch/x86_64/ThreadContext.h>
#include <kernel/mm/MemoryManager.h>

extern "C" void x86_switch_stacks(u64* save_rsp, u64 next_rsp);
extern "C" void x86_thread_trampoline();

namespace x86 {

namespace {

constexpr u64 CR0_MP = 1 << 1;
constexpr u64 CR0_EM = 1 << 2;
constexpr u64 CR0_TS = 1 << 3;
constexpr u64 CR0_NE = 1 << 5;
constexpr u32 MXCSR_DEFAULT = 0x1f80;

// Written once by the boot CPU's fpu_init, read-only afterwards.
FpuState s_initial_fpu_state;
bool s_initial_fpu_state_saved = false;

void fxsave(FpuState& state)
{
    asm volatile("fxsave64 %0" : "=m"(state) : : "memory");
}

void fxrstor(const FpuState& state)
{
    asm volatile("fxrstor64 %0" : : "m"(state) : "memory");
}

} // namespace

void fpu_init()
{
    u64 cr0 = read_cr0();
    cr0 = (cr0 | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS);
    asm volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
    u32 mxcsr = MXCSR_DEFAULT;
    asm volatile("fninit\n\t"
                 "ldmxcsr %0"
                 :
                 : "m"(mxcsr)
                 : "memory");
    if (!s_initial_fpu_state_saved) {
        fxsave(s_initial_fpu_state);
        s_initial_fpu_state_saved = true;
    }
}

void prepare_context(ThreadContext& context, VirtAddr stack_top, ThreadStart start, u64 argument0, u64 argument1)
{
    // The frame x86_switch_stacks pops (r15 first), then its return address,
    // then a zero slot where a caller's return address would be.
    u64* stack = reinterpret_cast<u64*>(stack_top);
    *--stack = 0;
    *--stack = reinterpret_cast<u64>(&x86_thread_trampoline);
    *--stack = 0;                            // rbp: end of the frame chain
    *--stack = 0;                            // rbx
    *--stack = argument0;                    // r12
    *--stack = argument1;                    // r13
    *--stack = reinterpret_cast<u64>(start); // r14
    *--stack = 0;                            // r15
    context.saved_rsp = reinterpret_cast<u64>(stack);
    context.kernel_stack_top = stack_top;
    context.rsp0 = stack_top;
    context.user_program = nullptr;
    context.page_table_root = 0;
    context.fs_base = context.user_gs_base = 0;
    context.fpu = s_initial_fpu_state;
}

void adopt_current_context(ThreadContext& context, VirtAddr stack_top)
{
    context.saved_rsp = 0;
    context.kernel_stack_top = stack_top;
    context.rsp0 = stack_top;
    fxsave(context.fpu);
}

void switch_context(ThreadContext& from, ThreadContext& to)
{
    fxsave(from.fpu);
    fxrstor(to.fpu);
    from.rsp0 = kernel_stack();
    from.user_program = current_user_program();
    from.page_table_root = read_cr3();
    if (from.user_program) {
        from.fs_base = user_fs_base();
        from.user_gs_base = user_gs_base();
    }
    set_kernel_stack(to.rsp0);
    set_current_user_program(to.user_program);
    PhysAddr root = to.page_table_root ? to.page_table_root : mm::kernel_root();
    if (root != from.page_table_root)
        write_cr3(root);
    if (to.user_program) {
        set_user_fs_base(to.fs_base);
        set_user_gs_base(to.user_gs_base);
    } else if (from.user_program) {
        reset_user_segment_bases();
    }
    x86_switch_stacks(&from.saved_rsp, to.saved_rsp);
}

void fpu_test_write_xmm0(u64 value)
{
    asm volatile("movq %0, %%xmm0" : : "r"(value) : "memory");
}

u64 fpu_test_read_xmm0()
{
    u64 value;
    asm volatile("movq %%xmm0, %0" : "=r"(value) : : "memory");
    return value;
}

} // namespace x86
