// kshell commands about the processor: `cpuinfo` prints what CPUID reports;
// `crash <kind>` faults on purpose to show the panic screen. Each crash kind
// faults inside its own non-inlined function, so the backtrace's frame #0
// names it (tests look for trigger_page_fault and friends).
#include <kernel/arch/x86_64/Cpuid.h>
#include <kernel/console/Console.h>
#include <kernel/core/Panic.h>
#include <kernel/kshell/Command.h>

namespace kshell {

namespace {

void cpuinfo(Arguments)
{
    x86::CpuInfo info = x86::read_cpu_info();
    console::print("vendor: {}\n", info.vendor);
    console::print("model: {}\n", info.brand[0] ? info.brand : "unknown");
    console::print("family: {} model: {} stepping: {}\n", info.family, info.model, info.stepping);
    console::write("features:");
    x86::for_each_feature(
        info, [](StringView name, void*) { console::print(" {}", name); }, nullptr);
    console::write("\n");
}
KSHELL_COMMAND("cpuinfo", "CPUID vendor, model and feature flags", cpuinfo);

constexpr u64 PAGE_FAULT_ADDRESS = 0x00000deadbeef000;
// The first address past the lower canonical half: any access is a #GP(0).
constexpr u64 NON_CANONICAL_ADDRESS = 0x0000800000000000;
// GDT slot 7 lies past the end of the 7-entry GDT (x86::GDT_ENTRIES).
constexpr u16 BAD_SELECTOR = 7 << 3;

[[gnu::noinline]] void trigger_page_fault()
{
    // Not mapped: the identity map covers the first 4 GiB only.
    u64 value = *reinterpret_cast<volatile u64*>(PAGE_FAULT_ADDRESS);
    console::print("read {:#x} from {:#x}: no page fault?\n", value, PAGE_FAULT_ADDRESS);
}

[[gnu::noinline]] void trigger_general_protection()
{
    // Loading a selector beyond the GDT limit: #GP with the selector as error code.
    asm volatile("mov %0, %%ds" : : "r"(BAD_SELECTOR) : "memory");
    console::write("loaded a bad selector: no general protection fault?\n");
}

[[gnu::noinline]] void trigger_general_protection_non_canonical()
{
    u64 value = *reinterpret_cast<volatile u64*>(NON_CANONICAL_ADDRESS);
    console::print("read {:#x} from a non-canonical address: no general protection fault?\n", value);
}

[[gnu::noinline]] void trigger_divide_error()
{
    volatile u64 zero = 0;
    u64 divisor = zero;
    u64 quotient;
    u64 remainder;
    // In assembly so the compiler cannot fold or drop the division.
    asm volatile("divq %2" : "=a"(quotient), "=d"(remainder) : "r"(divisor), "a"(u64(1)), "d"(u64(0)));
    console::print("1 / 0 = {} remainder {}: no divide error?\n", quotient, remainder);
}

[[gnu::noinline]] void trigger_double_fault()
{
    // A push that writes a non-canonical address raises #SS; delivering the
    // #SS pushes onto the same stack and faults again, so the CPU raises #DF,
    // which only an IST stack can take. The push never completes.
    asm volatile("movq %0, %%rsp\n\t"
                 "pushq $0"
                 :
                 : "r"(NON_CANONICAL_ADDRESS + 16)
                 : "memory");
}

void crash(Arguments args)
{
    StringView kind = args.size() == 2 ? args[1] : StringView();
    if (kind == "pagefault")
        trigger_page_fault();
    else if (kind == "gpf")
        trigger_general_protection();
    else if (kind == "noncanonical")
        trigger_general_protection_non_canonical();
    else if (kind == "divide")
        trigger_divide_error();
    else if (kind == "doublefault")
        trigger_double_fault();
    else if (kind == "panic")
        kernel::panic("crash: panic requested from kshell");
    else
        console::write("usage: crash pagefault|gpf|noncanonical|divide|doublefault|panic\n");
}
KSHELL_COMMAND("crash", "fault on purpose to show the panic screen", crash);

} // namespace

} // namespace kshell
