// The user page-fault hook; see PageFault.h. Page-fault error code bits:
// Intel SDM vol. 3A, 4.7 (P = 1: protection violation, W/R = 2: write,
// I/D = 16: instruction fetch).
#include <kernel/proc/PageFault.h>
#include <kernel/proc/Process.h>

namespace proc {

namespace {

constexpr u64 FAULT_PRESENT = 1 << 0;
constexpr u64 FAULT_WRITE = 1 << 1;
constexpr u64 FAULT_INSTRUCTION = 1 << 4;

} // namespace

bool handle_page_fault(VirtAddr address, u64 error_code)
{
    Process* process = Process::current();
    if (!process)
        return false;
    auto access = user::UserMemory::Access::Read;
    if (error_code & FAULT_WRITE)
        access = user::UserMemory::Access::Write;
    else if (error_code & FAULT_INSTRUCTION)
        access = user::UserMemory::Access::Execute;
    return !process->memory().handle_fault(address, access, error_code & FAULT_PRESENT).is_error();
}

} // namespace proc
