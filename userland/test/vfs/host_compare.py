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

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
import transcripts  # noqa: E402  (userland/test/transcripts.py)

FAMILIES = ("paths", "perms", "mmap", "statfs")
EXPECTED = pathlib.Path(__file__).resolve().parent / "expected"


def main():
    if os.geteuid() != 0:
        print("SKIP: vfs_test needs root (mount, setuid)")
        return 77
    binary = pathlib.Path(sys.argv[1]).resolve()

    def run(family):
        with tempfile.TemporaryDirectory() as work:
            # World-searchable, so the perms family's uid 1000 can reach it.
            os.chmod(work, 0o755)
            return subprocess.run([str(binary), family], cwd=work, capture_output=True, text=True, timeout=60), True

    return transcripts.compare_families(FAMILIES, EXPECTED, run)


if __name__ == "__main__":
    sys.exit(main())
