// x86_64 implementation of the generic CPU interface in kernel/arch/Cpu.h.
#include <kernel/arch/Cpu.h>

namespace arch {

InterruptState save_and_disable_interrupts()
{
    u64 flags;
    asm volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
    return flags;
}

void restore_interrupts(InterruptState state)
{
    if (state & (1 << 9))
        asm volatile("sti" : : : "memory");
    else
        asm volatile("cli" : : : "memory");
}

void enable_interrupts()
{
    asm volatile("sti" : : : "memory");
}

void disable_interrupts()
{
    asm volatile("cli" : : : "memory");
}

bool interrupts_enabled()
{
    u64 flags;
    asm volatile("pushfq; popq %0" : "=r"(flags));
    return flags & (1 << 9);
}

void cpu_relax()
{
    asm volatile("pause");
}

void halt_forever()
{
    for (;;)
        asm volatile("cli; hlt");
}

void wait_for_interrupt()
{
    asm volatile("sti; hlt" : : : "memory");
}

} // namespace arch
