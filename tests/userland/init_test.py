#!/usr/bin/env python3
"""userland.init: /sbin/init as process 1 on the host, inside new user, pid
and mount namespaces (unshare), with our sh bind-mounted over /bin/sh and a
pseudo-terminal as the console. Checks: init mounts /proc, starts the shell
in its own session with the console as controlling terminal (so Ctrl-C
works), reaps orphans, and restarts the shell when it exits or is killed.
Skipped (exit 77) where unprivileged namespaces are not available."""

import os
import pty
import shutil
import signal
import subprocess
import sys
import time

from harness import SKIP, Checker, parse_arguments, run

PROMPT = rb"# $"


class Console:
    """The master side of the pty whose slave is init's console."""

    def __init__(self, master):
        self.fd = master
        self.output = b""
        self.mark = 0

    def expect(self, pattern, timeout=5.0):
        import re
        import select
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            match = regex.search(self.output, self.mark)
            if match:
                self.mark = match.end()
                return match
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self.fd], [], [], min(remaining, 0.1))
            if ready:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    return None

    def send(self, text):
        os.write(self.fd, text.encode())


def main():
    arguments = parse_arguments()
    init = os.path.join(arguments.bin_dir, "init")
    sh = os.path.join(arguments.bin_dir, "sh")
    checker = Checker("userland.init")

    result = run([init])
    checker.check("init refuses to run as another process", result.returncode == 1
                  and "must be run as process 1" in result.stderr, f"{result.returncode} {result.stderr!r}")

    unshare = shutil.which("unshare")
    if not unshare or run([unshare, "--user", "--map-root-user", "--pid", "--fork", "--mount", "--kill-child",
                           "true"]).returncode != 0:
        print("SKIP userland.init: unprivileged user/pid/mount namespaces are not available")
        checker.finish()
        return SKIP

    master, slave = pty.openpty()
    # A new session without a controlling terminal: init's shell will take the pty.
    process = subprocess.Popen(
        [unshare, "--user", "--map-root-user", "--pid", "--fork", "--mount", "--kill-child", "/bin/sh", "-c",
         f"mount --bind '{sh}' /bin/sh && exec '{init}'"],
        stdin=slave, stdout=slave, stderr=slave, start_new_session=True, env={"PATH": "/usr/bin:/bin"})
    os.close(slave)
    console = Console(master)
    bin_dir = arguments.bin_dir
    try:
        checker.check("init starts the shell", console.expect(rb"init: starting /bin/sh", 5.0) is not None,
                      repr(console.output))
        checker.check("the shell prompts", console.expect(PROMPT, 5.0) is not None, repr(console.output))
        console.send("echo pid=$$\r")
        match = console.expect(rb"pid=(\d+)\r?\n", 3.0)
        checker.check("the shell reports its pid", match is not None, repr(console.output[-200:]))
        shell_pid = match.group(1) if match else b"?"
        console.expect(PROMPT)

        console.send(f"{bin_dir}/ps\r")
        checker.check("init mounted /proc: ps shows init as pid 1",
                      console.expect(rb"\n *1 +0 +\w +\d+:\d\d\.\d\d +\d+ +1 +init ", 3.0) is not None, repr(console.output[-400:]))
        checker.check("ps shows the shell as init's child",
                      console.expect(rb"\n *" + shell_pid + rb" +1 +\w +\d+:\d\d\.\d\d +\d+ +1 +sh ", 3.0) is not None,
                      repr(console.output[-400:]))
        console.expect(PROMPT)

        # The console is the shell's controlling terminal: Ctrl-C reaches the job.
        console.send(f"{bin_dir}/sleep 5\r")
        time.sleep(0.4)
        start = time.monotonic()
        console.send("\x03")
        prompt = console.expect(PROMPT, 3.0)
        checker.check("Ctrl-C on the console ends the job", prompt is not None and time.monotonic() - start < 1.5,
                      repr(console.output[-200:]))

        # An orphan: its parent exits at once, init must reap it.
        console.send(f"{bin_dir}/sh -c '{bin_dir}/sleep 0.3 & exit'\r")
        console.expect(PROMPT)
        # The orphan exits after 0.3 s; a loaded machine may take a moment
        # longer to run init's wait, so look a few times.
        for attempt in range(6):
            time.sleep(0.5)
            console.send(f"{bin_dir}/ps\r")
            console.expect(PROMPT)
            listing = console.output[console.output.rfind(b"PID  PPID"):]
            if b" Z " not in listing and b"sleep" not in listing:
                break
        checker.check("init reaps orphans (no zombies)", b" Z " not in listing and b"sleep" not in listing,
                      repr(listing))

        console.send("exit 3\r")
        checker.check("init reports the shell's exit", console.expect(
            rb"init: /bin/sh exited with status 3; restarting it in 1 s", 3.0) is not None, repr(console.output[-300:]))
        checker.check("init restarts the shell", console.expect(rb"init: starting /bin/sh", 4.0) is not None
                      and console.expect(PROMPT, 4.0) is not None, repr(console.output[-300:]))
        console.send(f"{bin_dir}/kill -9 $$\r")
        checker.check("init reports a killed shell", console.expect(
            rb"init: /bin/sh was killed by signal 9 \(Killed\); restarting", 3.0) is not None,
            repr(console.output[-300:]))
        checker.check("and restarts it again", console.expect(PROMPT, 4.0) is not None, repr(console.output[-300:]))
        console.send("echo again\r")
        checker.check("the new shell works", console.expect(rb"\nagain\r?\n", 3.0) is not None)
    finally:
        process.send_signal(signal.SIGTERM)  # --kill-child: init gets SIGKILL, the namespace ends
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        os.close(master)
    return checker.finish()


if __name__ == "__main__":
    sys.exit(main())
