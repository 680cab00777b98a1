#!/usr/bin/env python3
"""system.bad_magic: the 32-bit entry refuses a boot loader that is not Multiboot2.

Builds a throw-away ISO whose grub.cfg loads the same osprey.elf with GRUB's
Multiboot1 `multiboot` command, so the kernel is entered with eax = 0x2BADB002, and
expects boot/entry.S's message on serial. GRUB's `multiboot` needs a Multiboot1 header
in the image's first 8 KiB; while osprey.elf carries only the Multiboot2 header GRUB
refuses to load it ("no multiboot header found") and the group reports itself skipped
(exit code 77) instead of passing or failing on something it could not exercise.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from osprey_harness import DEFAULT_ENTRY, SKIP_EXIT_CODE, HarnessError, indent, run_group, terminal_text

GRUB_CFG = """set timeout=0
serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1
terminal_input serial
terminal_output serial
menuentry "Osprey through Multiboot1" {
    multiboot /boot/osprey.elf
    boot
}
"""
EXPECTED = "not started by a Multiboot2 boot loader"


def make_iso(elf, directory):
    root = os.path.join(directory, "root")
    os.makedirs(os.path.join(root, "boot", "grub"))
    shutil.copy(elf, os.path.join(root, "boot", "osprey.elf"))
    with open(os.path.join(root, "boot", "grub", "grub.cfg"), "w") as cfg:
        cfg.write(GRUB_CFG)
    iso = os.path.join(directory, "multiboot1.iso")
    result = subprocess.run(["grub-mkrescue", "-o", iso, root], capture_output=True, text=True)
    if result.returncode != 0:
        raise HarnessError(f"grub-mkrescue failed: {result.stderr.strip()}")
    return iso


def body(group):
    elf = os.path.join(os.path.dirname(os.path.abspath(group.args.iso)), "osprey.elf")
    with tempfile.TemporaryDirectory(prefix="osprey-bad-magic-") as directory:
        group.args.iso = make_iso(elf, directory)
        shell = group.boot(wait_for_prompt=False, entry=DEFAULT_ENTRY)
        qemu = shell.qemu
        match = qemu.wait_for(rf"{EXPECTED}|no multiboot header found|{re.escape('kshell> ')}",
                              group.args.boot_timeout, what="the bad-magic message")
        if match.group(0) == "no multiboot header found":
            group.stop_all()
            print("SKIP  osprey.elf has no Multiboot1 header, so GRUB's `multiboot` cannot enter it "
                  "with a wrong magic", flush=True)
            sys.exit(SKIP_EXIT_CODE)
        qemu.wait_quiet(0.5, 5)
        screen = terminal_text(qemu.raw)
        group.check("entered with the Multiboot1 magic, the entry halts with its message",
                    match.group(0) == EXPECTED, indent(screen[-2000:]))
        group.check("nothing after the message (the CPU is halted)", "Osprey x86_64 kernel" not in screen,
                    indent(screen[-2000:]))
        group.stop_all()


if __name__ == "__main__":
    run_group("system.bad_magic", body)
