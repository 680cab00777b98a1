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

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
import transcripts  # noqa: E402  (userland/test/transcripts.py)

FAMILIES = ("unlinked", "sigbus", "noreplace", "atime")
EXPECTED = pathlib.Path(__file__).resolve().parent / "expected"


def main():
    if os.geteuid() != 0:
        print("SKIP: vfslife_test's host run needs root (a tmpfs of its own)")
        return 77
    binary = pathlib.Path(sys.argv[1]).resolve()

    def run(family):
        with tempfile.TemporaryDirectory() as work:
            # Its own tmpfs: the free-space checks must not see other users.
            mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "none", work]).returncode == 0
            try:
                result = subprocess.run([str(binary), family], cwd=work, capture_output=True, text=True, timeout=60)
            finally:
                if mounted:
                    subprocess.run(["umount", work])
        return result, mounted

    return transcripts.compare_families(FAMILIES, EXPECTED, run)


if __name__ == "__main__":
    sys.exit(main())
