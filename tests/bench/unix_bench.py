#!/usr/bin/env python3
"""AF_UNIX benchmarks: runs userland/test/unix/unix_bench (the same static
binary) on the host Linux and inside Osprey under QEMU (one boot, kshell's
`exec /test/unix_bench`), and prints both columns of its BENCH lines.

Not a test: it never fails on speed (docs/performance.md has the figures).

Usage: tests/bench/unix_bench.py [--iso build/osprey.iso]
                                 [--binary build/userland/test/unix/unix_bench] [--seconds 1]
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "system"))
from osprey_harness import MONITOR_ENTRY, Kshell, Qemu, SOURCE_ROOT  # noqa: E402

BENCH = re.compile(r"^BENCH (\S+) (\S+) (\S+)$", re.MULTILINE)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", default=os.path.join(SOURCE_ROOT, "build", "osprey.iso"))
    parser.add_argument("--binary", default=os.path.join(SOURCE_ROOT, "build", "userland", "test", "unix",
                                                         "unix_bench"))
    parser.add_argument("--seconds", default="1")
    args = parser.parse_args()

    host = subprocess.run([args.binary, args.seconds], capture_output=True, text=True, timeout=120).stdout
    qemu = Qemu(args.iso, deadline=300)
    try:
        shell = Kshell(qemu, command_timeout=120)
        # GRUB's second entry is the kernel monitor (the first runs /sbin/init).
        qemu.wait_for(re.escape(MONITOR_ENTRY), 60, what="GRUB's menu")
        qemu.send("\x1b[B\r")
        shell.wait_for_prompt(120)
        osprey = shell.run(f"exec /test/unix_bench {args.seconds}", timeout=200)
    finally:
        qemu.close()
    host_figures = {name: (value, unit) for name, value, unit in BENCH.findall(host)}
    print(f"{'benchmark':28} {'Osprey (QEMU TCG)':>22} {'host Linux':>22}")
    for name, value, unit in BENCH.findall(osprey):
        other = host_figures.get(name, ("-", ""))
        print(f"{name:28} {value + ' ' + unit:>22} {other[0] + ' ' + other[1]:>22}")
    for line in BENCH.findall(osprey):
        print("BENCH osprey", *line)
    for line in BENCH.findall(host):
        print("BENCH host", *line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
