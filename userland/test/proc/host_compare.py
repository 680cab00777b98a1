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

FAMILIES = ("wait", "cow", "exec", "cloexec", "files", "dup2")
EXPECTED = pathlib.Path(__file__).resolve().parent / "expected"


def main():
    binary = pathlib.Path(sys.argv[1]).resolve()
    failures = 0
    for family in FAMILIES:
        with tempfile.TemporaryDirectory() as work:
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
