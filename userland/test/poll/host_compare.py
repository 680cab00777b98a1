#!/usr/bin/env python3
"""Runs poll_test on the host Linux, built with Osprey's libc and with glibc,
and compares both transcripts with expected.txt, the file tests/system/poll.py
holds Osprey's transcript to.
Usage: host_compare.py <poll_test (Osprey libc)> <poll_test (glibc)>
"""
import pathlib
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
import transcripts  # noqa: E402  (userland/test/transcripts.py)

EXPECTED = pathlib.Path(__file__).resolve().parent / "expected.txt"


def main():
    expected = EXPECTED.read_text()
    passed = True
    for binary in sys.argv[1:]:
        result = subprocess.run([binary], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        passed = transcripts.matches(binary, result, expected) and passed
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
