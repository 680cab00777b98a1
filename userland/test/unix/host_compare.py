#!/usr/bin/env python3
"""Runs a transcript program (unix_transcript, unix_poll_transcript) on the
host Linux and compares its output with its expected file (expected.txt,
poll_expected.txt), the file tests/system/unix_sockets.py holds Osprey's to.
Usage: host_compare.py <binary> [expected file name, default expected.txt]
"""
import pathlib
import subprocess
import sys
import tempfile



def main():
    name = sys.argv[2] if len(sys.argv) > 2 else "expected.txt"
    expected_path = pathlib.Path(__file__).resolve().parent / name
    with tempfile.TemporaryDirectory(prefix="osprey-unix-") as directory:
        result = subprocess.run([sys.argv[1]], capture_output=True, text=True, timeout=100, cwd=directory)
    expected = expected_path.read_text()
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
    print(f"PASS {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
