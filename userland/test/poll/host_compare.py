#!/usr/bin/env python3
"""Runs poll_test on the host Linux, built with Osprey's libc and with glibc,
and compares both transcripts with expected.txt, the file tests/system/poll.py
holds Osprey's transcript to.
Usage: host_compare.py <poll_test (Osprey libc)> <poll_test (glibc)>
"""
import pathlib
import subprocess
import sys

EXPECTED = pathlib.Path(__file__).resolve().parent / "expected.txt"


def main():
    expected = EXPECTED.read_text()
    failed = False
    for binary in sys.argv[1:]:
        result = subprocess.run([binary], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        if result.returncode != 0 or result.stdout != expected:
            print(f"FAIL {binary}: status {result.returncode}\n--- host\n{result.stdout}--- expected\n{expected}")
            failed = True
        else:
            print(f"PASS {binary}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
