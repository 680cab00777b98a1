// The end of a program that faulted; see Fault.h. The report line reads
//   user: <program>: <exception> at rip <address> [address <cr2> (<decoded error>)]
#include <kernel/console/Console.h>
#include <kernel/core/FaultDecode.h>
#include <kernel/core/Panic.h>
#include <kernel/proc/Process.h>
#include <kernel/user/Fault.h>

namespace user {

void terminate_after_fault(const UserFault& fault)
{
    proc::Process* process = proc::Process::current();
    // User mode without a process is impossible: run_user sets it first.
    VERIFY(process);
    console::print("user: {}: {} at rip {:#018x}", process->name(), fault::exception_name(fault.vector), fault.rip);
    if (fault.vector == 14) {
        console::print(", address {:#018x} (", fault.address);
        fault::describe_error_code(console::sink(), fault.vector, fault.error_code);
        console::write(")");
    }
    console::write("\n");
    process->terminate(fault.signal);
}

} // namespace user
