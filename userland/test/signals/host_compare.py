#!/usr/bin/env python3
"""Runs a signal test program on the host Linux and compares its transcript
with the expected file (expected.txt by default), the file
tests/system/signals.py holds Osprey's transcript to.
Usage: host_compare.py <test binary> [<expected file> [<argument>...]]
"""
import pathlib
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
import transcripts  # noqa: E402  (userland/test/transcripts.py)

EXPECTED = pathlib.Path(__file__).resolve().parent / "expected.txt"


def main():
    result = subprocess.run([sys.argv[1], *sys.argv[3:]], capture_output=True, text=True, timeout=30)
    expected_file = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else EXPECTED
    label = f"{pathlib.Path(sys.argv[1]).name} transcript"
    return 0 if transcripts.matches(label, result, expected_file.read_text()) else 1


if __name__ == "__main__":
    sys.exit(main())
