// The user page-fault hook; see PageFault.h. Page-fault error code bits:
// Intel SDM vol. 3A, 4.7 (P = 1: protection violation, W/R = 2: write,
// I/D = 16: instruction fetch, U/S = 4: the access came from user mode).
#include <kernel/console/Console.h>
#include <kernel/proc/PageFault.h>
#include <kernel/proc/Process.h>

namespace proc {

namespace {

constexpr u64 FAULT_PRESENT = 1 << 0;
constexpr u64 FAULT_WRITE = 1 << 1;
constexpr u64 FAULT_USER = 1 << 2;
constexpr u64 FAULT_INSTRUCTION = 1 << 4;

} // namespace

bool handle_page_fault(VirtAddr address, u64 error_code, bool* bus_error)
{
    Process* process = Process::current();
    if (!process)
        return false;
    auto access = user::UserMemory::Access::Read;
    if (error_code & FAULT_WRITE)
        access = user::UserMemory::Access::Write;
    else if (error_code & FAULT_INSTRUCTION)
        access = user::UserMemory::Access::Execute;
    auto handled = process->memory().handle_fault(address, access, error_code & FAULT_PRESENT);
    if (!handled.is_error())
        return true;
    if (bus_error)
        *bus_error = handled.error().code() == user::FAULT_BEYOND_FILE;
    // Out of memory for a page the program may use: it is killed, as by
    // Linux's OOM killer (SIGKILL, which no handler can catch and retry
    // the access). A user-copy in the kernel gets EFAULT instead.
    if (handled.error().code() == ENOMEM && (error_code & FAULT_USER)) {
        console::print("user: {}: out of memory at address {:#018x}, killed\n", process->name(), address);
        process->terminate(user::Signal::Kill);
    }
    return false;
}

} // namespace proc
