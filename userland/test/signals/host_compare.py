#!/usr/bin/env python3
"""Runs signals_test on the host Linux and compares its transcript with
expected.txt, the file tests/system/signals.py holds Osprey's transcript to.
Usage: host_compare.py <signals_test binary>
"""
import pathlib
import subprocess
import sys

EXPECTED = pathlib.Path(__file__).resolve().parent / "expected.txt"


def main():
    result = subprocess.run([sys.argv[1]], capture_output=True, text=True, timeout=30)
    expected = EXPECTED.read_text()
    if result.returncode != 0 or result.stdout != expected:
        print(f"FAIL: status {result.returncode}\n--- host\n{result.stdout}--- expected\n{expected}")
        return 1
    print("PASS signals transcript")
    return 0


if __name__ == "__main__":
    sys.exit(main())
