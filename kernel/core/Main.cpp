// kernel_main: the boot sequence, in dependency order. Each step either
// succeeds or panics with a message saying what is missing; after it, the
// kernel monitor (and, later, init) runs.
#include <boot/BootInfo.h>
#include <drivers/Devices.h>
#include <drivers/ps2/Keyboard.h>
#include <drivers/serial/Uart16550.h>
#include <drivers/vga/TextMode.h>
#include <fs/ramfs/Initramfs.h>
#include <fs/tmpfs/Tmpfs.h>
#include <kernel/acpi/DirectMap.h>
#include <kernel/acpi/Report.h>
#include <kernel/arch/Cpu.h>
#include <kernel/arch/x86_64/ApicController.h>
#include <kernel/arch/x86_64/Gdt.h>
#include <kernel/arch/x86_64/Idt.h>
#include <kernel/arch/x86_64/Pic.h>
#include <kernel/arch/x86_64/Syscall.h>
#include <kernel/arch/x86_64/Timekeeping.h>
#include <kernel/console/Console.h>
#include <kernel/core/BootTimer.h>
#include <kernel/core/Panic.h>
#include <kernel/core/Symbols.h>
#include <kernel/irq/Irq.h>
#include <kernel/kshell/Shell.h>
#include <kernel/log/Log.h>
#include <kernel/mm/Heap.h>
#include <kernel/mm/Layout.h>
#include <kernel/mm/MemoryManager.h>
#include <kernel/proc/Init.h>
#include <kernel/sched/Scheduler.h>
#include <kernel/time/Clock.h>
#include <kernel/time/WallClock.h>
#include <kernel/tty/Devices.h>

namespace {

constexpr u32 MULTIBOOT2_BOOTLOADER_MAGIC = 0x36d76289;

// Boot information, filled once by the parser and read-only afterwards.
boot::BootInfo g_boot_info;

void parse_boot_information(u32 info_physical)
{
    // The block lies below 4 GiB (a 32-bit pointer), inside the early direct map.
    const u8* info = mm::phys_to_virt(info_physical);
    u32 total_size = *reinterpret_cast<const u32*>(info);
    MUST(boot::parse_multiboot2(info, total_size, info_physical, g_boot_info));
}

void load_symbols()
{
    const boot::Module* module = g_boot_info.find_module("symbols");
    if (!module) {
        klog::warn("boot: no symbols module; backtraces will show addresses only");
        return;
    }
    symbols::init({ mm::phys_to_virt<const char>(module->start), static_cast<usize>(module->end - module->start) });
}

// The root filesystem: a ramfs holding the "initramfs" module's cpio archive
// (an empty ramfs without one). Timestamps read the wall clock, which the RTC
// sets a little later in boot (x86::timekeeping_init).
void mount_root_filesystem()
{
    fs::set_clock(ktime::realtime_ns);
    ReadonlyBytes archive;
    if (const boot::Module* module = g_boot_info.find_module("initramfs"))
        archive = { mm::phys_to_virt<const u8>(module->start), static_cast<usize>(module->end - module->start) };
    else
        klog::warn("initramfs: no module named 'initramfs'; the root filesystem is empty");
    MUST(fs::mount_initramfs_root(archive));
}

// A tmpfs (fs/tmpfs, mode 01777, half of memory at most) on /tmp when the root has a /tmp, so
// the root ramfs is not where scratch files go. /proc and the second /dev
// mount are init's business (userland/init).
void mount_tmp()
{
    fs::Context context { fs::vfs().root(), fs::Credentials::root() };
    auto tmpfs = fs::tmpfs::try_create({ mm::frame_stats().total / 2, 01777 });
    ErrorOr<void> mounted = tmpfs.is_error() ? ErrorOr<void>(tmpfs.release_error())
                                             : fs::vfs().mount(context, context.root, "/tmp", tmpfs.release_value());
    if (mounted.is_error())
        klog::warn("tmpfs: cannot mount on /tmp: {}", mounted.error());
    else
        klog::info("tmpfs: mounted on /tmp");
}

// The ACPI tables, from the RSDP the loader copied. Without them the kernel
// stays on the 8259 and the PIT.
void init_acpi()
{
    if (g_boot_info.rsdp_length == 0) {
        klog::warn("acpi: the boot loader passed no RSDP");
        return;
    }
    acpi::DirectMapMemory memory;
    auto result = acpi::init({ g_boot_info.rsdp, g_boot_info.rsdp_length }, memory);
    if (result.is_error())
        klog::warn("acpi: RSDP or root table unusable: {}", result.error());
    else
        acpi::log_report(*acpi::info());
}

void serial_interrupt(void*)
{
    console::handle_serial_interrupt();
}

void keyboard_interrupt(void*)
{
    ps2::handle_interrupt();
}

} // namespace

extern "C" [[noreturn]] void kernel_main(u32 magic, u32 info_physical)
{
    boot_timer::mark_entry();
    serial::init();
    vga::init();
    klog::set_console(console::write);
    console::write("\nOsprey x86_64 kernel\n");
    if (magic != MULTIBOOT2_BOOTLOADER_MAGIC)
        kernel::panic("boot: bad Multiboot2 magic {:#x}", magic);

    parse_boot_information(info_physical);
    klog::info("boot: loader '{}', command line '{}'", g_boot_info.loader_name, g_boot_info.command_line);
    load_symbols();

    x86::cpu_init_boot(); // higher-half GDT, TSS with IST stacks, GS base
    x86::idt_init();
    x86::install_ist_vectors(); // after idt_init, which installs every gate without IST
    mm::init(g_boot_info);
    mm::heap_init();
    x86::syscall_init(); // SYSCALL entry, SMEP/SMAP: after the kernel page tables
    mount_root_filesystem();
    MUST(tty::init_devices()); // devfs on /dev (in the root, made if missing), the console terminal
    mount_tmp();

    x86::pic_remap_and_mask();
    irq::set_controller(x86::pic_controller());
    init_acpi();
    x86::interrupt_controller_init(acpi::info());
    x86::timekeeping_init(acpi::info());
    boot_timer::mark_clock_ready();
    MUST(irq::register_isa_handler(4, serial_interrupt, nullptr, "com1"));
    serial::enable_receive_interrupt();
    arch::enable_interrupts();

    // Keyboard input for the VGA console, now that a warning can be seen.
    ps2::init();
    if (auto result = irq::register_isa_handler(1, keyboard_interrupt, nullptr, "ps2-keyboard"); result.is_error())
        klog::warn("ps2: cannot register IRQ 1: {}", result.error());
    else
        ps2::enable_interrupt();
    // From here on the kernel is preemptive: this code becomes the normal-class
    // thread "kshell", beside an idle thread and the reaper.
    sched::init("kshell");
    drivers::init_devices(); // PCI, disks and their /dev nodes: probes block, so after sched::init

    // The monitor runs when asked for; otherwise /sbin/init runs as pid 1,
    // and kshell only comes up when there is none or it ends.
    if (boot::command_line_has(g_boot_info.command_line_view(), "kshell")) {
        klog::info("kshell: requested on the command line");
    } else if (auto init = proc::start_init(); !init.is_error()) {
        klog::info("init: started {} as pid {}", proc::INIT_PATH, init.value()->pid());
        int status = proc::Process::wait_for(init.value());
        klog::warn("init: ended with wait status {:#x}; starting kshell", status);
    } else if (init.error().code() == ENOENT) {
        klog::info("kshell: no {} in the root filesystem", proc::INIT_PATH);
    } else {
        klog::warn("init: cannot start {}: {}; starting kshell", proc::INIT_PATH, init.error());
    }
    boot_timer::report("kshell");
    kshell::run();
}
