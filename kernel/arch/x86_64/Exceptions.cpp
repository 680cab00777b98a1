// CPU exceptions (vectors 0-31). Any exception in the kernel is a bug: it
// panics with the vector and the register frame.
#include <kernel/arch/x86_64/InterruptFrame.h>
#include <kernel/arch/x86_64/Io.h>
#include <kernel/core/Panic.h>

namespace x86 {

void handle_exception(InterruptFrame& frame)
{
    kernel::panic("CPU exception {} error {:#x} at rip {:#018x} cr2 {:#018x}", frame.vector, frame.error_code, frame.rip,
        read_cr2());
}

} // namespace x86
