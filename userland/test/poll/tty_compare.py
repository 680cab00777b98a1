#!/usr/bin/env python3
"""Runs poll_tty_test on the host Linux under a pseudo-terminal, typing what
tests/system/poll.py types on Osprey's console, and compares its transcript
with tty_expected.txt (the file the system test holds Osprey's to).
Usage: tty_compare.py <poll_tty_test binary>
"""
import os
import pathlib
import pty
import select
import sys
import time

EXPECTED = pathlib.Path(__file__).resolve().parent / "tty_expected.txt"
# What the typist answers to each prompt of the program (see poll_tty_test.c).
SCRIPT = (
    ("poll_tty: waiting for a partial line", b"ab"),
    ("poll_tty: waiting for the rest of the line", b"cd\r"),
    ("poll_tty: waiting for another line", b"ef\r"),
)


def main():
    pid, master = pty.fork()
    if pid == 0:
        os.execv(sys.argv[1], [sys.argv[1]])
    output = b""
    step = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            output += data
        if step < len(SCRIPT) and SCRIPT[step][0].encode() in output:
            os.write(master, SCRIPT[step][1])
            step += 1
    _, status = os.waitpid(pid, 0)
    text = output.decode(errors="replace").replace("\r\n", "\n")
    expected = EXPECTED.read_text()
    if os.waitstatus_to_exitcode(status) != 0 or text != expected:
        print(f"FAIL: status {status}\n--- host\n{text}--- expected\n{expected}")
        return 1
    print("PASS poll_tty transcript")
    return 0


if __name__ == "__main__":
    sys.exit(main())
