#!/usr/bin/env python3
"""Runs vfslife_test's families on the host Linux in a fresh tmpfs (as root,
to mount it) and compares each transcript with expected/<family>.txt, the
files tests/system/vfs.py holds Osprey's transcripts (from its /tmp) to.
Usage: host_compare.py <vfslife_test binary>
"""
import os
import pathlib
import subprocess
import sys
import tempfile

FAMILIES = ("unlinked", "sigbus", "noreplace", "atime")
EXPECTED = pathlib.Path(__file__).resolve().parent / "expected"


def main():
    if os.geteuid() != 0:
        print("SKIP: vfslife_test's host run needs root (a tmpfs of its own)")
        return 77
    binary = pathlib.Path(sys.argv[1]).resolve()
    failures = 0
    for family in FAMILIES:
        with tempfile.TemporaryDirectory() as work:
            # Its own tmpfs: the free-space checks must not see other users.
            mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "none", work]).returncode == 0
            try:
                result = subprocess.run([str(binary), family], cwd=work, capture_output=True, text=True, timeout=60)
            finally:
                if mounted:
                    subprocess.run(["umount", work])
        expected = (EXPECTED / f"{family}.txt").read_text()
        if not mounted or result.returncode != 0 or result.stdout != expected:
            failures += 1
            print(f"FAIL {family}: status {result.returncode}\n--- host\n{result.stdout}--- expected\n{expected}")
        else:
            print(f"PASS {family}")
    print(f"host_compare: {len(FAMILIES) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
