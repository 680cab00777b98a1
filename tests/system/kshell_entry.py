#!/usr/bin/env python3
"""system.kshell_entry: boots GRUB's second entry, "Osprey kernel monitor", by pressing
Down and Enter in GRUB's menu over serial, and checks that the kernel saw the `kshell`
boot option and says that the monitor was requested."""
from osprey_harness import DEFAULT_ENTRY, indent, run_group

MENU_ENTRY = "Osprey kernel monitor"


def body(group):
    shell = group.boot(wait_for_prompt=False, entry=DEFAULT_ENTRY)
    qemu = shell.qemu
    # GRUB draws the whole menu before its 1 s countdown starts; any key stops it.
    qemu.wait_for(MENU_ENTRY, group.args.boot_timeout, what="GRUB's menu")
    qemu.send("\x1b[B\r")
    shell.wait_for_prompt(group.args.boot_timeout)
    log = shell.kernel_output()
    group.check_regex("GRUB booted the second entry: command line is 'kshell'", r"command line 'kshell'", log)
    group.check_regex("kernel log: says kshell was requested on the command line", r"kshell.*command line", log)
    output = shell.run("help")
    group.check("the monitor answers at its prompt", "  help " in output, indent(output))


if __name__ == "__main__":
    run_group("system.kshell_entry", body)
