#!/usr/bin/env python3
"""system.ring3_sh: the same checks as system.ring3 where the shell matters, through
/bin/sh (GRUB's default entry: init starts the shell on the console).

- Out of memory from the shell: `/test/oom_test exhaust` (children that touch all
  memory are killed with SIGKILL); the shell answers afterwards and /proc/meminfo's
  MemFree is the same before and after.
- Job control in the shell: `cat &` reads the terminal from the background, is
  stopped by SIGTTIN, and `jobs` says so; `fg` brings it back to read (Ctrl-D ends it).
"""
import re
import time

from osprey_harness import DEFAULT_ENTRY, HarnessError, indent, run_group, tail, terminal_text
from shell_session import STATUS, Sh, check_command


def read_mem_free(sh):
    output, _ = sh.run("cat /proc/meminfo")
    match = re.search(r"(?m)^MemFree:\s+(\d+) kB$", output)
    return int(match.group(1)) if match else None


def mem_free(group, sh):
    """MemFree once two readings 0.5 s apart agree: an ended thread's kernel
    stack is freed by the scheduler's reaper shortly after the exit."""
    previous = read_mem_free(sh)
    group.check("/proc/meminfo has MemFree", previous is not None)
    for _ in range(10):
        time.sleep(0.5)
        current = read_mem_free(sh)
        if current == previous:
            break
        previous = current
    return previous


def check_oom(group, sh):
    before = mem_free(group, sh)
    try:
        output, status = sh.run("/test/oom_test exhaust")
    except HarnessError as error:
        group.check("oom_test exhaust from the shell", False, str(error))
        return
    group.check("oom_test exhaust from the shell: status 0, 0 failed",
                status == 0 and "exhaust: 0 failed" in output and "FAIL" not in output, indent(output))
    check_command(group, sh, "echo alive", r"^alive$")
    after = mem_free(group, sh)
    group.check("every frame came back (MemFree unchanged)", before is not None and before == after,
                f"MemFree before {before} kB, after {after} kB")


def check_background_read(group, sh, qemu):
    start = len(qemu.raw)
    qemu.send("cat &\r")
    try:
        qemu.wait_for(r"/# ", 10, start=start + 1, what="the prompt after `cat &`")
    except HarnessError as error:
        group.check("`cat &` starts a background job", False, str(error))
        return
    qemu.wait_quiet(1.0, 3)
    check_command(group, sh, "jobs", r"Stopped \(tty input\)\s+cat")
    start = len(qemu.raw)
    qemu.send("fg\r")
    qemu.wait_quiet(1.0, 3)
    qemu.send("typed\r")
    qemu.wait_quiet(0.5, 3)
    qemu.send("\x04")
    qemu.wait_quiet(0.5, 3)
    qemu.send("echo @@$?@@\r")
    try:
        match = qemu.wait_for(STATUS, 8, start=start, what="the shell after fg and Ctrl-D")
        text = terminal_text(qemu.raw[start:match.start()])
        typed_lines = [line for line in text.splitlines() if line.strip() == "typed"]
        group.check("`fg` continues cat in the foreground, it reads and echoes a line, Ctrl-D ends it",
                    int(match.group(1)) == 0 and len(typed_lines) == 2 and "not found" not in text, indent(text))
    except HarnessError as error:
        group.check("fg after SIGTTIN", False, f"{error}\n{indent(tail(terminal_text(qemu.raw[start:])))}")


def body(group):
    shell = group.boot(wait_for_prompt=False, entry=DEFAULT_ENTRY)
    qemu = shell.qemu
    try:
        qemu.wait_for(r"init: starting /bin/sh", group.args.boot_timeout, what="init starting /bin/sh")
    except HarnessError as error:
        group.check("the default entry starts /bin/sh", False, f"{error}\n{indent(tail(terminal_text(qemu.raw)))}")
        return
    qemu.wait_quiet(0.5, 5)
    sh = Sh(qemu, 120)
    group.step("out of memory", check_oom, group, sh)
    group.step("background read", check_background_read, group, sh, qemu)


if __name__ == "__main__":
    run_group("system.ring3_sh", body)
