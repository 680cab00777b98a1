#!/usr/bin/env python3
"""userland.job_control: the Osprey sh, interactive on a pseudo-terminal
(Python's pty), with job control: Ctrl-C ends the foreground job and not the
shell, Ctrl-Z stops it, jobs/fg/bg manage it; the line editor's history
(up arrow), tab completion of commands and paths, cursor editing, Ctrl-C
at the prompt and Ctrl-D."""

import os
import re
import sys
import tempfile
import time

from harness import Checker, osprey_environment, parse_arguments
from terminal import Terminal

PROMPT = rb"[$#] $"


def run_session(checker, terminal):
    def command(text, expected, timeout=5.0, name=None):
        terminal.send(text + "\r")
        match = terminal.expect(expected, timeout)
        checker.check(name or f"`{text}`", match is not None, f"screen since mark: {terminal.since_mark()[-300:]!r}")
        terminal.expect(PROMPT, timeout)
        return match

    prompt = terminal.expect(PROMPT, 5.0)
    checker.check("prompt appears", prompt is not None, repr(terminal.output[-200:]))
    expected_prompt = b"# " if os.geteuid() == 0 else b"$ "
    checker.check("prompt ends in '# ' for root, '$ ' otherwise", prompt is not None and prompt.group(0) == expected_prompt,
                  repr(terminal.output[-40:]))
    command("echo he''llo", rb"\r\nhello\r\n")

    # Ctrl-C: the foreground job dies, the shell stays.
    terminal.send("sleep 5\r")
    terminal.settle(0.4)
    start = time.monotonic()
    terminal.send("\x03")
    prompt = terminal.expect(PROMPT, 3.0)
    elapsed = time.monotonic() - start
    checker.check("Ctrl-C ends the foreground job quickly", prompt is not None and elapsed < 1.5, f"{elapsed:.2f} s")
    checker.check("Ctrl-C leaves the shell alive", terminal.alive())
    command("echo st=$?", rb"st=130\r\n", name="$? is 130 after Ctrl-C")

    # Ctrl-Z, jobs, fg, Ctrl-C.
    terminal.send("sleep 5\r")
    terminal.settle(0.4)
    terminal.send("\x1a")
    checker.check("Ctrl-Z stops the job", terminal.expect(rb"\[1\]\+  Stopped +sleep 5\r\n", 3.0) is not None,
                  repr(terminal.since_mark()))
    terminal.expect(PROMPT, 3.0)
    command("echo st=$?", rb"st=148\r\n", name="$? is 148 after Ctrl-Z")
    command("jobs", rb"\[1\]\+  Stopped                 sleep 5\r\n", name="jobs shows the stopped job")
    terminal.send("fg\r")
    checker.check("fg names the job", terminal.expect(rb"\r\nsleep 5\r\n", 3.0) is not None, repr(terminal.since_mark()))
    resumed = terminal.settle(0.6)
    checker.check("fg resumes it in the foreground (no prompt)", re.search(PROMPT, resumed) is None, repr(resumed))
    terminal.send("\x03")
    checker.check("Ctrl-C ends the resumed job", terminal.expect(PROMPT, 3.0) is not None)
    terminal.send("jobs\r")
    terminal.expect(PROMPT, 3.0)
    listing = terminal.output[terminal.output.rfind(b"jobs"):]
    checker.check("no jobs left", b"[1]" not in listing, repr(listing))

    # A stopped pipeline, continued with bg; its end is reported at a prompt.
    terminal.send("sleep 1 | cat\r")
    terminal.settle(0.3)
    terminal.send("\x1a")
    checker.check("Ctrl-Z stops a whole pipeline", terminal.expect(rb"Stopped +sleep 1 \| cat", 3.0) is not None,
                  repr(terminal.since_mark()))
    terminal.expect(PROMPT, 3.0)
    command("bg", rb"\[1\]\+ sleep 1 \| cat &\r\n", name="bg continues it")
    time.sleep(1.3)
    command("", rb"\[1\]\+  Done +sleep 1 \| cat\r\n", name="Done is reported")

    # Background jobs.
    command("sleep 0.2 &", rb"\[1\] \d+\r\n", name="& prints the job number and pid")
    time.sleep(0.5)
    command("", rb"\[1\]\+  Done +sleep 0\.2", name="a background job's end is reported")

    # A program killed by a signal.
    command("segv", rb"Segmentation fault", name="a crash is reported")
    checker.check("the shell survives", terminal.alive())

    # History: the up arrow brings back the previous command.
    command("echo hist-''one", rb"\r\nhist-one\r\n")
    terminal.send("\x1b[A\r")
    checker.check("up arrow recalls the previous command", terminal.expect(rb"\r\nhist-one\r\n", 3.0) is not None,
                  repr(terminal.since_mark()))
    terminal.expect(PROMPT, 3.0)
    command("echo two''-back", rb"two-back\r\n")
    terminal.send("\x1b[A\x1b[A\x1b[B\r")  # up, up, down: the newest again
    checker.check("up/down walk the history", terminal.expect(rb"\r\ntwo-back\r\n", 3.0) is not None,
                  repr(terminal.since_mark()))
    terminal.expect(PROMPT, 3.0)

    # Cursor editing: insert in the middle of the line.
    terminal.send("echo ac\x1b[DB\r")
    checker.check("left arrow and insert", terminal.expect(rb"\r\naBc\r\n", 3.0) is not None, repr(terminal.since_mark()))
    terminal.expect(PROMPT, 3.0)
    terminal.send("cho ctrl-a\x01e\r")
    checker.check("Ctrl-A goes to the start", terminal.expect(rb"\r\nctrl-a\r\n", 3.0) is not None,
                  repr(terminal.since_mark()))
    terminal.expect(PROMPT, 3.0)

    # Tab completion of a command (unique prefix in PATH) and of a path.
    terminal.send("unam\t")
    completed = terminal.settle(0.5)
    checker.check("tab completes a unique command", b"e " in completed, repr(completed))
    terminal.send("-s\r")
    checker.check("the completed command runs", terminal.expect(rb"\r\nLinux\r\n", 3.0) is not None,
                  repr(terminal.since_mark()))
    terminal.expect(PROMPT, 3.0)
    terminal.send("cat compl\t")
    completed = terminal.settle(0.5)
    checker.check("tab completes a path", b"etion-target.txt " in completed, repr(completed))
    terminal.send("\r")
    checker.check("the completed path is used", terminal.expect(rb"content-42\r\n", 3.0) is not None)
    terminal.expect(PROMPT, 3.0)
    terminal.send("ls sub\t")
    completed = terminal.settle(0.5)
    checker.check("a directory completes with a slash", b"dir/" in completed, repr(completed))
    terminal.send("\x15\r")  # Ctrl-U: drop the line
    terminal.expect(PROMPT, 3.0)

    # Ctrl-C at the prompt abandons the line.
    terminal.send("echo dis''carded\x03")
    checker.check("Ctrl-C at the prompt prints ^C", terminal.expect(rb"\^C\r\n", 3.0) is not None)
    terminal.expect(PROMPT, 3.0)
    command("echo ke''pt", rb"\r\nkept\r\n")
    checker.check("the abandoned line did not run", b"discarded\r\n" not in terminal.output)

    # Ctrl-D on an empty line ends the shell.
    terminal.send("\x04")
    status = terminal.wait_exit(5.0)
    checker.check("Ctrl-D exits the shell", status is not None and os.WIFEXITED(status), f"status {status}")
    checker.check("it says exit", b"exit\r\n" in terminal.output[-20:], repr(terminal.output[-20:]))


def main():
    arguments = parse_arguments()
    checker = Checker("userland.job_control")
    with tempfile.TemporaryDirectory(prefix="osprey-jobs-") as directory:
        with open(os.path.join(directory, "completion-target.txt"), "w") as handle:
            handle.write("content-42\n")
        os.makedirs(os.path.join(directory, "subdir"))
        environment = osprey_environment(arguments, TERM="vt100")
        terminal = Terminal([os.path.join(arguments.bin_dir, "sh")], environment, directory)
        try:
            run_session(checker, terminal)
        finally:
            terminal.close()
    return checker.finish()


if __name__ == "__main__":
    sys.exit(main())
