#!/usr/bin/env python3
"""Runs unix_transcript on the host Linux and compares its transcript with
expected.txt, the file tests/system/unix_sockets.py holds Osprey's to.
Usage: host_compare.py <unix_transcript binary>
"""
import pathlib
import subprocess
import sys
import tempfile

EXPECTED = pathlib.Path(__file__).resolve().parent / "expected.txt"


def main():
    with tempfile.TemporaryDirectory(prefix="osprey-unix-") as directory:
        result = subprocess.run([sys.argv[1]], capture_output=True, text=True, timeout=100, cwd=directory)
    expected = EXPECTED.read_text()
    if result.returncode != 0 or result.stdout != expected:
        got = result.stdout.splitlines()
        want = expected.splitlines()
        for number in range(max(len(got), len(want))):
            left = got[number] if number < len(got) else "<missing>"
            right = want[number] if number < len(want) else "<missing>"
            if left != right:
                print(f"line {number + 1}:\n  host:     {left!r}\n  expected: {right!r}")
        print(f"FAIL: status {result.returncode}")
        return 1
    print("PASS unix transcript")
    return 0


if __name__ == "__main__":
    sys.exit(main())
