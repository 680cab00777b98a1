#!/usr/bin/env python3
"""Runs a test program built with Osprey's libc and the same source built with
the host glibc, and compares them.

  libc_compare.py --osprey BIN --host BIN [--summary] [--timeout S]

Both programs run in a fresh temporary directory (their working directory)
with the same arguments and environment. The test passes when both exit with
status 0 and their standard outputs are identical byte for byte. With
--summary the Osprey program must also print "N passed, 0 failed" (N > 0).
On a mismatch the first differing lines are printed."""

import argparse
import os
import re
import subprocess
import sys
import tempfile


def run(binary, timeout):
    with tempfile.TemporaryDirectory(prefix="osprey-libc-") as directory:
        environment = dict(os.environ, TMPDIR=directory, OSPREY_LIBC_TEST="1")
        result = subprocess.run([binary], cwd=directory, env=environment, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, timeout=timeout, stdin=subprocess.DEVNULL)
    return result


def show_difference(osprey, host):
    osprey_lines = osprey.split(b"\n")
    host_lines = host.split(b"\n")
    shown = 0
    for number in range(max(len(osprey_lines), len(host_lines))):
        left = osprey_lines[number] if number < len(osprey_lines) else b"<missing>"
        right = host_lines[number] if number < len(host_lines) else b"<missing>"
        if left != right:
            print(f"line {number + 1}:\n  osprey: {left!r}\n  host:   {right!r}")
            shown += 1
            if shown == 20:
                break
    print(f"{sum(1 for a, b in zip(osprey_lines, host_lines) if a != b)} differing lines "
          f"(osprey {len(osprey_lines)} lines, host {len(host_lines)} lines)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--osprey", required=True)
    parser.add_argument("--host", required=True)
    parser.add_argument("--summary", action="store_true")
    parser.add_argument("--timeout", type=float, default=120)
    arguments = parser.parse_args()

    osprey = run(arguments.osprey, arguments.timeout)
    host = run(arguments.host, arguments.timeout)
    failed = False
    for name, result in (("osprey", osprey), ("host", host)):
        if result.returncode != 0:
            print(f"{name} build exited with status {result.returncode}")
            sys.stdout.write(result.stderr.decode(errors="replace"))
            failed = True
    if arguments.summary:
        summaries = re.findall(rb"^(\d+) passed, (\d+) failed$", osprey.stdout, re.MULTILINE)
        if not summaries or summaries[-1][1] != b"0" or summaries[-1][0] == b"0":
            print("osprey build: no clean 'N passed, 0 failed' summary")
            for line in re.findall(rb"^FAIL .*$", osprey.stdout, re.MULTILINE):
                print("  " + line.decode(errors="replace"))
            failed = True
        else:
            print(f"osprey build: {summaries[-1][0].decode()} passed, 0 failed")
    if osprey.stdout != host.stdout:
        show_difference(osprey.stdout, host.stdout)
        failed = True
    else:
        line_count = osprey.stdout.count(b"\n")
        print(f"outputs identical: {len(osprey.stdout)} bytes, {line_count} lines")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
