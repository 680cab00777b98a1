"""A pseudo-terminal session for the interactive tests: the program runs as
a session leader with the pty's slave side as its controlling terminal
(pty.fork), and the test types into the master side and reads the screen
output."""

import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time


class Terminal:
    def __init__(self, argv, env, cwd, columns=100, rows=30):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                os.chdir(cwd)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.output = b""
        self.mark = 0
        self.status = None

    def _read_available(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the slave side is closed
            return False
        self.output += data
        return bool(data)

    def expect(self, pattern, timeout=5.0):
        """Waits until `pattern` (a bytes regex) appears after the mark; moves
        the mark past it and returns the match, or None on timeout."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while True:
            match = regex.search(self.output, self.mark)
            if match:
                self.mark = match.end()
                return match
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self._read_available(min(remaining, 0.1))

    def settle(self, seconds):
        """Reads whatever arrives during `seconds` and returns it."""
        start = len(self.output)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._read_available(max(0.0, min(0.05, deadline - time.monotonic())))
        return self.output[start:]

    def send(self, text):
        os.write(self.fd, text.encode() if isinstance(text, str) else text)

    def since_mark(self):
        return self.output[self.mark:]

    def alive(self):
        if self.status is not None:
            return False
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        if pid == self.pid:
            self.status = status
            return False
        return True

    def wait_exit(self, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._read_available(0.05)
            if not self.alive():
                return self.status
        return None

    def close(self):
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)
