// IDT setup (Intel SDM vol. 3A, 6.14.1: 64-bit IDT gate descriptors).
#include <kernel/arch/Cpu.h>
#include <kernel/arch/x86_64/Idt.h>
#include <kernel/arch/x86_64/InterruptFrame.h>
#include <kernel/irq/Irq.h>
#include <kernel/proc/Signals.h>

extern "C" const u64 isr_stub_table[256];

namespace x86 {

void handle_exception(InterruptFrame& frame);

namespace {

struct [[gnu::packed]] Gate {
    u16 offset_low;
    u16 selector;
    u8 ist;
    u8 type_attributes;
    u16 offset_middle;
    u32 offset_high;
    u32 reserved;
};
static_assert(sizeof(Gate) == 16);

struct [[gnu::packed]] IdtPointer {
    u16 limit;
    u64 base;
};

constexpr u16 KERNEL_CODE_SELECTOR = 0x08;
constexpr u8 INTERRUPT_GATE_PRESENT = 0x8e; // P=1, DPL=0, type 0xE

Gate s_idt[256];

} // namespace

void idt_init()
{
    for (usize vector = 0; vector < 256; ++vector) {
        u64 handler = isr_stub_table[vector];
        s_idt[vector] = Gate {
            static_cast<u16>(handler),
            KERNEL_CODE_SELECTOR,
            0,
            INTERRUPT_GATE_PRESENT,
            static_cast<u16>(handler >> 16),
            static_cast<u32>(handler >> 32),
            0,
        };
    }
    idt_load();
}

void idt_load()
{
    IdtPointer pointer { sizeof(s_idt) - 1, reinterpret_cast<u64>(&s_idt) };
    asm volatile("lidt %0" : : "m"(pointer));
}

void idt_set_ist(u8 vector, u8 ist)
{
    s_idt[vector].ist = ist & 7;
}

} // namespace x86

extern "C" void interrupt_dispatch(x86::InterruptFrame* frame)
{
    if (frame->vector < irq::FIRST_EXTERNAL_VECTOR)
        x86::handle_exception(*frame);
    else
        irq::dispatch(static_cast<u8>(frame->vector));
    // Back to ring 3: the signals sent meanwhile are delivered now, so a
    // program that never makes a system call still gets them (a timer tick
    // at the latest). The frame is at the top of the process's own kernel
    // stack, as for a system call; delivery may fault on the user stack or
    // stop the process, so it runs with interrupts on.
    if ((frame->cs & 3) == 3 && frame->vector >= irq::FIRST_EXTERNAL_VECTOR) {
        arch::enable_interrupts();
        proc::deliver_signals(*frame);
        arch::disable_interrupts();
    }
}
