#!/usr/bin/env python3
"""system.boot_6g: boots with 6 GiB, so that most RAM lies above 4 GiB (q35 keeps at
most 2 GiB below the 32-bit PCI hole), and checks that all of it is counted."""
import re

from boot_512m import check_meminfo
from osprey_harness import indent, run_group

FOUR_GIB = 1 << 32


def check_memmap(group, shell):
    output = shell.run("memmap")
    high = [
        line
        for base, line in re.findall(r"^(0x[0-9a-f]{16})-0x[0-9a-f]{16} (.*)$", output, re.MULTILINE)
        if int(base, 16) >= FOUR_GIB
    ]
    group.check("memmap: lists a region above 4 GiB", high, indent(output))


def body(group):
    shell = group.boot(memory="6G")
    if not shell:
        return
    group.step("meminfo", check_meminfo, group, shell, 6 * 1024)
    group.step("memmap", check_memmap, group, shell)


if __name__ == "__main__":
    run_group("system.boot_6g", body, defaults={"memory": "6G"})
