#!/usr/bin/env python3
"""Boot-time benchmark: boots build/osprey.iso N times and reports how long each stage
takes, measured on the host from QEMU's start:

  grub menu     GRUB has drawn its menu (then waits its 1 s timeout: grub.cfg)
  kernel banner the kernel's first line, "Osprey x86_64 kernel"
  kshell prompt the first "kshell> "
  kernel-timed  the kernel's own entry-to-prompt time, if it logs
                "boot: reached kshell in <n> ms"

Runs under TCG by default (OSPREY_ACCEL=tcg), like CI. Prints min/median/max per stage.
Not a test: it never fails on speed (docs/testing.md).

Usage: tests/bench/boot_time.py [--runs 5] [--iso build/osprey.iso] [--memory 512M]
"""
import argparse
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "system"))
from osprey_harness import KERNEL_BANNER, PROMPT, SOURCE_ROOT, HarnessError, Qemu  # noqa: E402

KERNEL_TIMED = re.compile(r"reached kshell in ([0-9.]+) ms")


def one_boot(args):
    qemu = Qemu(args.iso, memory=args.memory, deadline=args.timeout + 10)
    times = {}
    try:
        qemu.wait_for(r"GNU GRUB", args.timeout, what="GRUB")
        times["grub menu"] = time.monotonic() - qemu.started_at
        qemu.wait_for(re.escape(KERNEL_BANNER), args.timeout, what="the kernel banner")
        times["kernel banner"] = time.monotonic() - qemu.started_at
        qemu.wait_for(re.escape(PROMPT), args.timeout, what="the kshell prompt")
        times["kshell prompt"] = time.monotonic() - qemu.started_at
        match = KERNEL_TIMED.search(qemu.raw)
        if match:
            times["kernel-timed"] = float(match.group(1)) / 1000.0
    finally:
        qemu.close()
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--iso", default=os.path.join(SOURCE_ROOT, "build", "osprey.iso"))
    parser.add_argument("--memory", default="512M")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    os.environ.setdefault("OSPREY_ACCEL", "tcg")
    if not os.path.isfile(args.iso):
        sys.exit(f"boot_time: {args.iso} does not exist; run `make build`")

    stages = ["grub menu", "kernel banner", "kshell prompt", "kernel-timed"]
    samples = {stage: [] for stage in stages}
    for run in range(1, args.runs + 1):
        try:
            times = one_boot(args)
        except HarnessError as error:
            sys.exit(f"boot_time: run {run}: {error}")
        for stage, seconds in times.items():
            samples[stage].append(seconds)
        shown = "  ".join(f"{stage} {times[stage]:.3f} s" for stage in stages if stage in times)
        print(f"run {run}/{args.runs}: {shown}", flush=True)

    print(f"\nboot time over {args.runs} runs, accelerator {os.environ['OSPREY_ACCEL']}, {args.memory}:")
    print(f"  {'stage':<15} {'min':>8} {'median':>8} {'max':>8}")
    for stage in stages:
        values = samples[stage]
        if not values:
            print(f"  {stage:<15} {'(not printed by this kernel)':>26}")
            continue
        print(f"  {stage:<15} {min(values):>7.3f}s {statistics.median(values):>7.3f}s {max(values):>7.3f}s")


if __name__ == "__main__":
    main()
