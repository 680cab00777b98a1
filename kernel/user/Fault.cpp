// The end of a program that faulted; see Fault.h. The report line reads
//   user: <program>: <exception> at rip <address> [address <cr2> (<decoded error>)]
#include <kernel/console/Console.h>
#include <kernel/core/FaultDecode.h>
#include <kernel/core/Panic.h>
#include <kernel/user/Fault.h>
#include <kernel/user/Program.h>

namespace user {

void terminate_after_fault(const UserFault& fault)
{
    Program* program = current_program();
    // User mode without a program is impossible: enter_user sets it first.
    VERIFY(program);
    console::print("user: {}: {} at rip {:#018x}", program->name(), fault::exception_name(fault.vector), fault.rip);
    if (fault.vector == 14) {
        console::print(", address {:#018x} (", fault.address);
        fault::describe_error_code(console::sink(), fault.vector, fault.error_code);
        console::write(")");
    }
    console::write("\n");
    program->terminate(signal_for_exception(fault.vector));
}

} // namespace user
