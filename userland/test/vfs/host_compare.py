#!/usr/bin/env python3
"""Runs vfs_test's families on the host Linux (as root: the families mount
tmpfs and change uids) and compares each transcript with expected/<family>.txt,
the same files tests/system/vfs.py holds Osprey's transcripts to: so Osprey's
observable behaviour is checked against Linux's.
Usage: host_compare.py <vfs_test binary>
"""
import os
import pathlib
import subprocess
import sys
import tempfile

FAMILIES = ("paths", "perms", "mmap", "statfs")
EXPECTED = pathlib.Path(__file__).resolve().parent / "expected"


def main():
    if os.geteuid() != 0:
        print("SKIP: vfs_test needs root (mount, setuid)")
        return 77
    binary = pathlib.Path(sys.argv[1]).resolve()
    failures = 0
    for family in FAMILIES:
        with tempfile.TemporaryDirectory() as work:
            # World-searchable, so the perms family's uid 1000 can reach it.
            os.chmod(work, 0o755)
            result = subprocess.run([str(binary), family], cwd=work, capture_output=True, text=True, timeout=60)
        expected = (EXPECTED / f"{family}.txt").read_text()
        if result.returncode != 0 or result.stdout != expected:
            failures += 1
            print(f"FAIL {family}: status {result.returncode}\n--- host\n{result.stdout}--- expected\n{expected}")
        else:
            print(f"PASS {family}")
    print(f"host_compare: {len(FAMILIES) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
