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

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
import transcripts  # noqa: E402  (userland/test/transcripts.py)

FAMILIES = ("open", "io", "dup", "fcntl", "getdents", "stat")
EXPECTED = pathlib.Path(__file__).resolve().parent / "expected"


def main():
    def run(family):
        with tempfile.TemporaryDirectory() as directory:
            scratch = str(pathlib.Path(directory) / "scratch")
            return subprocess.run([sys.argv[1], family, scratch], capture_output=True, text=True, timeout=30), True

    return transcripts.compare_families(FAMILIES, EXPECTED, run)


if __name__ == "__main__":
    sys.exit(main())
