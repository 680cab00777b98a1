// CPU exceptions (vectors 0-31), in three cases:
//   - raised by user code (CS RPL 3): the program's fault, never the kernel's.
//     The program ends with the matching signal (kernel/user/Fault.h); NMI,
//     #DF and #MC are the machine's, not the program's, and panic as below;
//   - a #PF on a user address or a #GP inside a user-copy routine
//     (kernel/arch/x86_64/UserCopy.S): resumed at the routine's fixup from
//     the exception table, which reports EFAULT to the caller;
//   - anything else is a kernel bug (there is no kernel debugger, so #DB and
//     #BP too): the panic screen (name, decoded error code, CR2 for #PF,
//     every register, a symbolized backtrace starting at the faulting
//     instruction), then every CPU stops.
// #DF, NMI and #MC arrive on their own IST stacks (Gdt.cpp), so a broken
// kernel stack still gets a panic screen. An NMI that arrives while another
// CPU panics is that CPU's request to stop, and is obeyed silently.
#include <kernel/arch/Cpu.h>
#include <kernel/arch/x86_64/Gdt.h>
#include <kernel/arch/x86_64/InterruptFrame.h>
#include <kernel/arch/x86_64/Io.h>
#include <kernel/console/Console.h>
#include <kernel/core/FaultDecode.h>
#include <kernel/core/Panic.h>
#include <kernel/mm/Layout.h>
#include <kernel/proc/PageFault.h>
#include <kernel/proc/Signals.h>
#include <kernel/user/Fault.h>

// One entry per instruction range that may fault on user memory (UserCopy.S).
struct ExceptionTableEntry {
    u64 start;
    u64 end; // exclusive
    u64 fixup;
};
extern "C" const ExceptionTableEntry _exception_table_start[];
extern "C" const ExceptionTableEntry _exception_table_end[];

namespace x86 {

namespace {

constexpr u64 VECTOR_NMI = 2;
constexpr u64 VECTOR_GENERAL_PROTECTION = 13;
constexpr u64 VECTOR_PAGE_FAULT = 14;

// The fixup for a fault at `rip`, or 0 if `rip` is not in a user-copy routine.
u64 find_fixup(u64 rip)
{
    for (const ExceptionTableEntry* entry = _exception_table_start; entry < _exception_table_end; ++entry) {
        if (rip >= entry->start && rip < entry->end)
            return entry->fixup;
    }
    return 0;
}

bool is_user_access_fault(const InterruptFrame& frame, u64 fault_address)
{
    return (frame.vector == VECTOR_PAGE_FAULT && fault_address < mm::USER_END)
        || frame.vector == VECTOR_GENERAL_PROTECTION;
}

struct NamedRegister {
    const char* name;
    u64 value;
};

void print_registers(const InterruptFrame& frame)
{
    const NamedRegister general[] = {
        { "RAX:", frame.rax },
        { "RBX:", frame.rbx },
        { "RCX:", frame.rcx },
        { "RDX:", frame.rdx },
        { "RSI:", frame.rsi },
        { "RDI:", frame.rdi },
        { "RBP:", frame.rbp },
        { "RSP:", frame.rsp },
        { "R8:", frame.r8 },
        { "R9:", frame.r9 },
        { "R10:", frame.r10 },
        { "R11:", frame.r11 },
        { "R12:", frame.r12 },
        { "R13:", frame.r13 },
        { "R14:", frame.r14 },
        { "R15:", frame.r15 },
    };
    // Three to a line: 75 columns, so the screen also fits the VGA console.
    for (usize i = 0; i < array_size(general); ++i) {
        bool last_in_line = i % 3 == 2 || i + 1 == array_size(general);
        console::print("{:<4} {:#018x}{}", general[i].name, general[i].value, last_in_line ? "\n" : "  ");
    }
    console::print("RIP: {:#018x} ", frame.rip);
    kernel::print_symbolized(frame.rip, kernel::AddressKind::Instruction);
    console::print("\nRFLAGS: {:#018x} [", frame.rflags);
    fault::describe_rflags(console::sink(), frame.rflags);
    console::print("]\nCS: {:#06x}  SS: {:#06x}\n", frame.cs, frame.ss);
    console::print(
        "CR0: {:#018x}  CR2: {:#018x}  CR3: {:#018x}\nCR4: {:#018x}\n", read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

} // namespace

void handle_exception(InterruptFrame& frame)
{
    // CR2 first: any later page fault would overwrite it.
    u64 fault_address = read_cr2();
    if (frame.vector == VECTOR_NMI && kernel::panic_in_progress())
        arch::halt_forever();

    // A page fault on user memory, from user mode or from a user-copy
    // routine: demand paging and copy-on-write (proc::handle_page_fault);
    // what it cannot resolve goes on as a bad access below.
    // A file page past the end of the file gives SIGBUS (BUS_ADRERR).
    bool bus_error = false;
    if (frame.vector == VECTOR_PAGE_FAULT && fault_address < mm::USER_END
        && ((frame.cs & 3) == 3 || find_fixup(frame.rip))
        && proc::handle_page_fault(fault_address, frame.error_code, &bus_error))
        return;
    user::Signal signal = bus_error ? user::Signal::Bus : user::signal_for_exception(frame.vector);
    if ((frame.cs & 3) == 3 && user::is_program_fault(frame.vector)
        && proc::deliver_fault_signal(frame, static_cast<int>(signal), fault_address, bus_error))
        return;
    if ((frame.cs & 3) == 3 && user::is_program_fault(frame.vector))
        user::terminate_after_fault({ frame.vector, frame.error_code, fault_address, frame.rip, frame.rsp, signal });
    if ((frame.cs & 3) == 0 && is_user_access_fault(frame, fault_address)) {
        if (u64 fixup = find_fixup(frame.rip)) {
            frame.rip = fixup;
            return;
        }
    }

    kernel::begin_panic();
    console::print("{} on CPU {} in {} mode\n", fault::exception_name(frame.vector), current_cpu().index,
        (frame.cs & 3) ? "user" : "kernel");
    if (fault::has_error_code(frame.vector)) {
        console::print("Error code: {:#x} (", frame.error_code);
        fault::describe_error_code(console::sink(), frame.vector, frame.error_code);
        console::write(")\n");
    }
    if (frame.vector == VECTOR_PAGE_FAULT)
        console::print("CR2: {:#018x} (the address accessed)\n", fault_address);
    print_registers(frame);
    kernel::print_backtrace(frame.rip, frame.rbp);
    kernel::end_panic();
}

} // namespace x86
