// Host stand-ins for the architecture interface and kernel hooks, so portable
// kernel code links into GoogleTest binaries. Interrupt state is simulated.
#include <cstdio>
#include <cstdlib>
#include <kernel/arch/Cpu.h>
#include <kernel/lib/Error.h>

namespace arch {

namespace {
thread_local bool t_interrupts_enabled = true;
}

InterruptState save_and_disable_interrupts()
{
    InterruptState state = t_interrupts_enabled ? 1 : 0;
    t_interrupts_enabled = false;
    return state;
}

void restore_interrupts(InterruptState state)
{
    t_interrupts_enabled = state != 0;
}

void enable_interrupts()
{
    t_interrupts_enabled = true;
}

void disable_interrupts()
{
    t_interrupts_enabled = false;
}

bool interrupts_enabled()
{
    return t_interrupts_enabled;
}

void cpu_relax() { }

void halt_forever()
{
    std::abort();
}

void wait_for_interrupt() { }

} // namespace arch

namespace lib {

void must_failed(const char* expression, Error error, const char* file, int line)
{
    std::fprintf(stderr, "MUST(%s) failed with %s at %s:%d\n", expression, errno_name(error.code()), file, line);
    std::abort();
}

} // namespace lib
