#!/usr/bin/env python3
"""Runs a transcript program (unix_transcript, unix_poll_transcript) on the
host Linux and compares its output with its expected file (expected.txt,
poll_expected.txt), the file tests/system/unix_sockets.py holds Osprey's to.
Usage: host_compare.py <binary> [expected file name, default expected.txt]
"""
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
import transcripts  # noqa: E402  (userland/test/transcripts.py)


def main():
    name = sys.argv[2] if len(sys.argv) > 2 else "expected.txt"
    expected_path = pathlib.Path(__file__).resolve().parent / name
    with tempfile.TemporaryDirectory(prefix="osprey-unix-") as directory:
        result = subprocess.run([sys.argv[1]], capture_output=True, text=True, timeout=100, cwd=directory)
    return 0 if transcripts.matches(name, result, expected_path.read_text()) else 1


if __name__ == "__main__":
    sys.exit(main())
