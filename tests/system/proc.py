#!/usr/bin/env python3
"""system.proc: one boot, then processes from kshell's `exec`.

/test/proc_test (userland/test/proc/proc_test.c) runs one family per subcommand and
prints "ok <check>" / "FAIL <check>" lines and "<family>: <n> failed"; `exec` reports
"exec: <path> exited with status <n>" or "exec: <path> killed by <SIGNAL>" (kernel/proc/
Commands.cpp). The kernel must answer afterwards and every process must be gone.
"""
import pathlib

from osprey_harness import indent, run_group

PROGRAM = "/test/proc_test"
FAMILIES = ("wait", "cow", "exec", "cloexec", "files", "dup2", "demand", "bomb")
# Transcripts the host Linux produces too (userland/test/proc/host_compare.py).
EXPECTED = pathlib.Path(__file__).resolve().parents[2] / "userland" / "test" / "proc" / "expected"


def check_family(group, shell, family):
    output = shell.run(f"exec {PROGRAM} {family}", timeout=120)
    group.check(f"{family}: no FAIL lines", "FAIL" not in output, indent(output))
    group.check_regex(f"{family}: summary with 0 failed", rf"^{family}: 0 failed$", output)
    group.check_regex(f"{family}: exit status 0", rf"^exec: {PROGRAM} exited with status 0$", output)
    expected_file = EXPECTED / f"{family}.txt"
    if expected_file.exists():
        # Without kshell's status line and the kernel's fault reports ("user: ...").
        lines = [line for line in output.splitlines()
                 if not line.startswith(f"exec: {PROGRAM}") and not line.startswith("user: ")]
        expected = expected_file.read_text().splitlines()
        group.check(f"{family}: transcript equals the host Linux's", lines == expected,
                    indent("\n".join(lines)) + "\n--- expected\n" + indent("\n".join(expected)))


def check_echo(group, shell):
    output = shell.run(f"exec {PROGRAM} echo a b")
    group.check_regex("echo: argv passed", r"^argv\[2\] = a$", output)
    group.check_regex("echo: exit status 42", rf"^exec: {PROGRAM} exited with status 42$", output)


def check_errors(group, shell):
    output = shell.run("exec /no/such")
    group.check_regex("exec of a missing file: ENOENT", r"^exec: /no/such: cannot execute: ENOENT$", output)
    output = shell.run("exec /etc/motd")
    group.check_regex("exec of a text file: cannot execute", r"^exec: /etc/motd: cannot execute: E[A-Z]+$", output)


def check_bench(group, shell):
    output = shell.run(f"exec {PROGRAM} bench", timeout=120)
    for name in ("getpid", "fork_exit_wait", "fork_execve_wait", "page_fault_anon"):
        group.check_regex(f"bench: {name} printed", rf"^BENCH {name} \d+ ", output)
    print(indent(output))


def check_survives(group, shell):
    output = shell.run("procs")
    group.check_regex("every process was reaped", r"^processes: 0$", output)
    output = shell.run("uptime")
    group.check_regex("kshell still answers", r"^up \d+\.\d{6} s$", output)


def check_boot_path(group, shell):
    log = shell.kernel_output()
    group.check_regex("boot: /sbin/init started as pid 1, or kshell said why not",
                      r"init: started /sbin/init as pid 1|kshell: no /sbin/init in the root filesystem"
                      r"|kshell: requested on the command line", log)
    group.check("boot: init did not fail to start", "init: cannot start" not in log, "")


def body(group):
    shell = group.boot()
    if not shell:
        return
    group.step("boot path", check_boot_path, group, shell)
    for family in FAMILIES:
        group.step(family, check_family, group, shell, family)
    group.step("echo", check_echo, group, shell)
    group.step("errors", check_errors, group, shell)
    group.step("bench", check_bench, group, shell)
    group.step("survives", check_survives, group, shell)


if __name__ == "__main__":
    run_group("system.proc", body)
