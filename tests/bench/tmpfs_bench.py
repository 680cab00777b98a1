#!/usr/bin/env python3
"""tmpfs small-file benchmark (not a CTest group): boots the default entry and
runs /test/ext4bench with 0 MiB on the tmpfs /tmp, which measures creating,
listing as `ls -l` does (readdir + lstat of each entry) and deleting <files>
files in one directory. Prints `BENCH tmpfs_<figure> <value> <unit>`.

    python3 tests/bench/tmpfs_bench.py [--iso build/osprey.iso] [--files 10000]
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "system"))
from osprey_harness import DEFAULT_ENTRY, HarnessError, indent, run_group, tail, terminal_text  # noqa: E402
from shell_session import Sh  # noqa: E402

FILES = 10000
for index, argument in enumerate(sys.argv):
    if argument == "--files":
        FILES = int(sys.argv[index + 1])
        del sys.argv[index:index + 2]
        break


def body(group):
    shell = group.boot(wait_for_prompt=False, entry=DEFAULT_ENTRY)
    if shell is None:
        return
    qemu = shell.qemu
    try:
        qemu.wait_for(r"init: starting /bin/sh", group.args.boot_timeout, what="init starting /bin/sh")
    except HarnessError as error:
        group.check("the default entry starts /bin/sh", False, f"{error}\n{indent(tail(terminal_text(qemu.raw)))}")
        return
    qemu.wait_quiet(0.5, 5)
    sh = Sh(qemu, group.args.command_timeout)
    output, status = sh.run(f"/test/ext4bench none /tmp tmpfs 0 {FILES}", timeout=1800)
    group.check("ext4bench on /tmp: exit status 0", status == 0, indent(output))
    for figure in ("create", "ls_l", "delete"):
        match = re.search(rf"^BENCH ext4_tmpfs_{figure} (\S+) (.+)$", output, re.MULTILINE)
        group.check(f"{figure} figure", match is not None, indent(output))
        if match:
            print(f"BENCH tmpfs_{figure} {match.group(1)} {match.group(2).strip()}", flush=True)


if __name__ == "__main__":
    run_group("bench.tmpfs", body, defaults={"deadline": 1800.0})
