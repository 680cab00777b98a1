#!/usr/bin/env python3
"""system.threads: one boot; /test/musl_threads (userland/test/musl/
musl_threads.c, built with musl-gcc -static) runs unchanged on Osprey and
its output must equal the same binary's run here on the host Linux:

- pthreads: the Threads: line of /proc/self/status and /proc/self/task/<tid>/
  status per thread, a mutex-protected counter shared by 8 threads, join values,
  __thread variables, distinct gettid values, a condition-variable
  producer/consumer and a broadcast (futex WAIT/WAKE/REQUEUE), a timed
  wait ending with ETIMEDOUT, pthread_kill reaching the chosen thread,
  a process signal taken by the one thread not blocking it, exit from a
  second thread ending the process with its status (exit_group), execve
  from a second thread, and 250 short-lived threads;
- `errors`: raw futex and clone calls and their errno values (EAGAIN,
  ETIMEDOUT, EFAULT, EINVAL, ENOSYS, EINTR).

Then meminfo's free count must be what it was before (thread stacks and
kernel objects come back), kshell must answer and every process must be
gone.
"""
import pathlib
import subprocess
import tempfile
import time
import re

from osprey_harness import indent, run_group

PROGRAM = "/test/musl_threads"


def binary(group):
    return pathlib.Path(group.args.iso).resolve().parent / "userland" / "test" / "musl" / "musl_threads.static"


def program_lines(output):
    return [line for line in output.splitlines()
            if not line.startswith(f"exec: {PROGRAM}") and not line.startswith("user: ")]


def free_kib(shell):
    match = re.search(r"^free:\s+(\d+) KiB$", shell.run("meminfo"), re.MULTILINE)
    return int(match.group(1)) if match else None


def settled_free_kib(shell):
    """meminfo's free count once two readings 0.5 s apart agree (the
    scheduler frees an ended thread's stack shortly after its exit)."""
    previous = free_kib(shell)
    for _ in range(10):
        time.sleep(0.5)
        current = free_kib(shell)
        if current == previous:
            return current
        previous = current
    return previous


def compare(group, shell, label, arguments):
    with tempfile.TemporaryDirectory() as directory:
        host = subprocess.run([str(binary(group))] + arguments, capture_output=True, text=True, timeout=120,
                              cwd=directory)
    group.check(f"{label}: runs on the host", host.returncode == 0, host.stdout + host.stderr)
    command = " ".join([PROGRAM] + arguments)
    output = shell.run(f"exec {command}", timeout=240)
    group.check_regex(f"{label}: exit status 0", rf"^exec: {PROGRAM} exited with status 0$", output)
    group.check(f"{label}: no kernel panic", "KERNEL PANIC" not in output)
    group.check(f"{label}: output equals the host's", program_lines(output) == host.stdout.splitlines(),
                indent(output) + "\n--- host\n" + indent(host.stdout))


def check_threads(group, shell):
    # A first run sets up kernel state that stays (the copy-on-write
    # frame-share table): measure from the second.
    compare(group, shell, "errors", ["errors"])
    before = settled_free_kib(shell)
    compare(group, shell, "pthreads", [])
    after = settled_free_kib(shell)
    group.check("every frame came back (meminfo free unchanged)", before is not None and before == after,
                f"free before {before} KiB, after {after} KiB")


def check_survives(group, shell):
    output = shell.run("uptime")
    group.check_regex("kshell still answers", r"^up \d+\.\d{6} s$", output)
    output = shell.run("procs")
    group.check_regex("every process was reaped", r"^processes: 0$", output)


def body(group):
    shell = group.boot()
    if not shell:
        return
    group.step("musl threads", check_threads, group, shell)
    group.step("survives", check_survives, group, shell)


if __name__ == "__main__":
    run_group("system.threads", body)
