#!/usr/bin/env python3
"""Runs files_test for every family on the host Linux, each in a fresh
directory it creates, and compares each transcript with expected/<family>.txt, the files
tests/system/ring3.py holds Osprey's transcripts to.
Usage: host_compare.py <files_test binary>
"""
import pathlib
import subprocess
import sys
import tempfile

FAMILIES = ("open", "io", "dup", "fcntl", "getdents", "stat")
EXPECTED = pathlib.Path(__file__).resolve().parent / "expected"


def main():
    failed = 0
    for family in FAMILIES:
        with tempfile.TemporaryDirectory() as directory:
            scratch = str(pathlib.Path(directory) / "scratch")
            result = subprocess.run([sys.argv[1], family, scratch], capture_output=True, text=True, timeout=30)
        expected = (EXPECTED / f"{family}.txt").read_text()
        if result.returncode != 0 or result.stdout != expected:
            print(f"FAIL {family}: status {result.returncode}\n--- host\n{result.stdout}{result.stderr}"
                  f"--- expected\n{expected}")
            failed += 1
        else:
            print(f"PASS {family} transcript")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
