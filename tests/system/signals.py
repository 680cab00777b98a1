#!/usr/bin/env python3
"""system.signals: /test/signals_test (userland/test/signals/signals_test.c) run
from kshell's `exec`; its transcript must equal the host Linux's
(userland/test/signals/expected.txt): handlers and sigreturn, masks, default
actions, SIGCHLD, SIGPIPE/EPIPE, pipe2, process groups and sessions, a caught
SIGSEGV. Then /test/signal_waits_test (signal_waits_test.c, compared with
signal_waits_expected.txt): SA_RESTART, sigsuspend, pause, sigtimedwait,
siginfo senders, sigaltstack. Then the kernel must answer and every process
must be gone.
"""
import pathlib

from osprey_harness import indent, run_group

SOURCES = pathlib.Path(__file__).resolve().parents[2] / "userland" / "test" / "signals"
PROGRAM = "/test/signals_test"
EXPECTED = SOURCES / "expected.txt"


def check_transcript(group, shell, program=PROGRAM, expected_file=EXPECTED):
    output = shell.run(f"exec {program}", timeout=120)
    group.check("no FAIL lines", "FAIL" not in output, indent(output))
    group.check_regex("exit status 0", rf"^exec: {program} exited with status 0$", output)
    lines = [line for line in output.splitlines()
             if not line.startswith(f"exec: {program}") and not line.startswith("user: ")]
    expected = expected_file.read_text().splitlines()
    group.check("transcript equals the host Linux's", lines == expected,
                indent("\n".join(lines)) + "\n--- expected\n" + indent("\n".join(expected)))


def check_survives(group, shell):
    output = shell.run("procs")
    group.check_regex("every process was reaped", r"^processes: 0$", output)


def body(group):
    shell = group.boot()
    if not shell:
        return
    group.step("transcript", check_transcript, group, shell)
    group.step("signal waits transcript", check_transcript, group, shell, "/test/signal_waits_test",
               SOURCES / "signal_waits_expected.txt")
    group.step("survives", check_survives, group, shell)


if __name__ == "__main__":
    run_group("system.signals", body)
