#!/usr/bin/env python3
"""system.poll: readiness on Osprey, in one boot.

- /test/poll_test (userland/test/poll/poll_test.c) run from kshell's `exec`
  (twice: the kernel heap must be the same before and after the second run):
  its transcript (poll, ppoll, select, pselect, epoll on pipes, files,
  directories, /dev/null and epoll instances; errors, timeouts, signal masks)
  must equal the host Linux's (userland/test/poll/expected.txt).
- /test/poll_idle_test: poll, ppoll, select and epoll_wait blocked for a
  second leave the machine idle (no busy waiting).
- The terminal: a program polling /dev/tty sees POLLOUT at once and POLLIN
  only after a line is typed (canonical mode), and a blocked poll is woken
  by the typing.
- /test/poll_bench prints its BENCH lines (round trips through poll and epoll_wait).
Then the kernel must answer and every process must be gone.
"""
import pathlib
import re

from osprey_harness import PROMPT, indent, run_group, terminal_text

PROGRAM = "/test/poll_test"
IDLE_PROGRAM = "/test/poll_idle_test"
TTY_PROGRAM = "/test/poll_tty_test"
TEST_DIR = pathlib.Path(__file__).resolve().parents[2] / "userland" / "test" / "poll"
EXPECTED = TEST_DIR / "expected.txt"
TTY_EXPECTED = TEST_DIR / "tty_expected.txt"
# What the typist answers to each prompt of poll_tty_test (as tty_compare.py on the host).
TTY_SCRIPT = (
    ("poll_tty: waiting for a partial line", "ab"),
    ("poll_tty: waiting for the rest of the line", "cd\r"),
    ("poll_tty: waiting for another line", "ef\r"),
)


def program_lines(output, program):
    return [line for line in output.splitlines()
            if not line.startswith(f"exec: {program}") and not line.startswith("user: ")]


def heap_allocated(shell):
    match = re.search(r"^allocated_bytes: (\d+)$", shell.run("heapstat"), re.MULTILINE)
    return int(match.group(1)) if match else None


def check_transcript(group, shell):
    shell.run(f"exec {PROGRAM}", timeout=180)  # warms up what the kernel keeps (fd tables, caches)
    before = heap_allocated(shell)
    output = shell.run(f"exec {PROGRAM}", timeout=180)
    after = heap_allocated(shell)
    group.check("kernel heap back to where it was after poll_test (no epoll entry, watch or file leaked)",
                before is not None and before == after, f"allocated_bytes before {before}, after {after}")
    group.check_regex("poll_test exit status 0", rf"^exec: {PROGRAM} exited with status 0$", output)
    lines = program_lines(output, PROGRAM)
    expected = EXPECTED.read_text().splitlines()
    difference = [f"line {n + 1}: osprey {a!r} host {b!r}"
                  for n, (a, b) in enumerate(zip(lines, expected)) if a != b][:20]
    group.check("transcript equals the host Linux's", lines == expected,
                indent("\n".join(difference)) + f"\n({len(lines)} lines, expected {len(expected)})")


def check_idle(group, shell):
    output = shell.run(f"exec {IDLE_PROGRAM}", timeout=120)
    group.check("no FAIL lines", "FAIL" not in output, indent(output))
    group.check("control: a busy loop is not idle", "ok control: a busy loop is not idle" in output, indent(output))
    for name in ("poll", "ppoll", "select", "epoll_wait", "poll without timeout"):
        group.check(f"{name} sleeps while blocked", f"ok {name} sleeps while blocked" in output, indent(output))
    group.check_regex("poll_idle_test exit status 0", rf"^exec: {IDLE_PROGRAM} exited with status 0$", output)


def check_tty(group, shell):
    qemu = shell.qemu
    start = len(qemu.raw)
    qemu.send(f"exec {TTY_PROGRAM}\r")
    for prompt, keys in TTY_SCRIPT:
        qemu.wait_for(re.escape(prompt), 60, start=start, what=prompt)
        qemu.send(keys)
    exited = qemu.wait_for(r"exec: " + re.escape(TTY_PROGRAM) + r" exited with status \d+", 60, start=start)
    qemu.wait_for(re.escape(PROMPT), 30, start=exited.end(), what="the prompt after poll_tty_test")
    output = terminal_text(qemu.raw[start:])
    group.check_regex("poll_tty_test exit status 0", rf"^exec: {TTY_PROGRAM} exited with status 0$", output)
    expected = TTY_EXPECTED.read_text().splitlines()
    lines = [line for line in output.splitlines() if line in expected or line.startswith(("idle", "partial",
             "whole", "read:", "line read", "epoll", "poll_tty"))]
    group.check("terminal transcript equals the host Linux's", lines == expected,
                indent("\n".join(lines)) + "\n--- expected\n" + indent("\n".join(expected)))


def check_bench(group, shell):
    output = shell.run("exec /test/poll_bench 2000", timeout=180)
    print(indent(output))
    for name in ("poll_pipe_pingpong", "epoll_pipe_pingpong"):
        group.check_regex(f"BENCH {name}", rf"^BENCH {name} \d+\.\d us$", output)


def check_survives(group, shell):
    output = shell.run("procs")
    group.check_regex("every process was reaped", r"^processes: 0$", output)


def body(group):
    shell = group.boot()
    if not shell:
        return
    group.step("transcript", check_transcript, group, shell)
    group.step("idle", check_idle, group, shell)
    group.step("terminal", check_tty, group, shell)
    group.step("bench", check_bench, group, shell)
    group.step("survives", check_survives, group, shell)


if __name__ == "__main__":
    run_group("system.poll", body)
