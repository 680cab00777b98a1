#!/usr/bin/env python3
"""Runs proc_test's deterministic families on the host Linux and compares each
transcript with expected/<family>.txt, the same files tests/system/proc.py holds
Osprey's transcripts to: so Osprey's observable behaviour is checked against
Linux's. Usage: host_compare.py <proc_test binary>
"""
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
import transcripts  # noqa: E402  (userland/test/transcripts.py)

FAMILIES = ("wait", "cow", "exec", "cloexec", "files", "dup2")
EXPECTED = pathlib.Path(__file__).resolve().parent / "expected"


def main():
    binary = pathlib.Path(sys.argv[1]).resolve()

    def run(family):
        with tempfile.TemporaryDirectory() as work:
            return subprocess.run([str(binary), family], cwd=work, capture_output=True, text=True, timeout=60), True

    return transcripts.compare_families(FAMILIES, EXPECTED, run)


if __name__ == "__main__":
    sys.exit(main())
