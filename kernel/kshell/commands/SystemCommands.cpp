// kshell commands that stop the machine: reboot and halt.
//
// reboot asks the 8042 to pulse the CPU reset line; if the machine is still
// running, it loads an empty IDT and raises a breakpoint: the #BP cannot be
// delivered (#GP), neither can the #GP (#DF), and failing to deliver a double
// fault shuts the processor down (Intel SDM vol. 3A §6.15, "Interrupt 8"),
// which the chipset turns into a reset.
#include <drivers/ps2/Controller.h>
#include <kernel/arch/Cpu.h>
#include <kernel/console/Console.h>
#include <kernel/kshell/Command.h>
#include <kernel/log/Log.h>

namespace kshell {

namespace {

struct [[gnu::packed]] EmptyIdtr {
    u16 limit;
    u64 base;
};

[[noreturn]] void triple_fault()
{
    static constexpr EmptyIdtr EMPTY_IDTR { 0, 0 };
    asm volatile("lidt %0; int3" : : "m"(EMPTY_IDTR) : "memory");
    arch::halt_forever();
}

void reboot(Arguments)
{
    klog::notice("kshell: reboot requested");
    console::write("Rebooting.\n");
    arch::disable_interrupts();
    ps2::pulse_reset_line();
    triple_fault();
}
KSHELL_COMMAND("reboot", "restart the machine", reboot);

void halt(Arguments)
{
    klog::notice("kshell: halt requested");
    console::write("System halted.\n");
    arch::halt_forever();
}
KSHELL_COMMAND("halt", "stop the machine", halt);

} // namespace

} // namespace kshell
