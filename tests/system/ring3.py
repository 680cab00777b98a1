#!/usr/bin/env python3
"""system.ring3: one boot (512 MiB), programs run from kshell's `exec`.

- Out of memory: /test/oom_test limits (64 TiB mmap, brk and malloc fail with
  ENOMEM; the transcript must equal the host Linux's, userland/test/oom/
  expected_limits.txt), then /test/oom_test exhaust (children touching memory
  until none is left are killed with SIGKILL after touching most of it; the
  parent maps and forks afterwards). meminfo's free count must be the same
  before and after, and kshell must still answer.
- Job control: /test/jobs_test (SIGTTIN, SIGTTOU with TOSTOP and for settings
  changes from the background, SIGHUP and SIGCONT for an orphaned stopped group,
  SIGHUP to the foreground group at the session leader's exit) on the console as
  its sessions' controlling terminal; the transcript must equal the host Linux's
  on a pseudo-terminal (userland/test/jobs/expected.txt).
- musl: /test/musl_hello, built with Debian's musl-gcc -static (printf, file
  and pipe I/O, fork and wait), runs unmodified; its output must equal the same
  binary's on the host Linux, run here.
- Files: /test/files_test, one family of file system calls per run (open and
  openat flags, read/write/lseek/pread/pwrite/readv/writev, dup/dup2/dup3,
  fcntl, getdents64, the stat family), each in a new directory under /tmp; the
  transcripts must equal the host Linux's (userland/test/files/expected/).
- /test/process_bench prints its BENCH lines (the format only: no speed check).
"""
import pathlib
import re
import subprocess
import tempfile
import time

from osprey_harness import indent, run_group

SOURCES = pathlib.Path(__file__).resolve().parents[2] / "userland" / "test"


def free_kib(shell):
    match = re.search(r"^free:\s+(\d+) KiB$", shell.run("meminfo"), re.MULTILINE)
    return int(match.group(1)) if match else None


def settled_free_kib(shell):
    """meminfo's free count once two readings 0.5 s apart agree: an ended
    thread's kernel stack is freed by the scheduler shortly after the exit."""
    previous = free_kib(shell)
    for _ in range(10):
        time.sleep(0.5)
        current = free_kib(shell)
        if current == previous:
            return current
        previous = current
    return previous


def program_lines(output, program):
    return [line for line in output.splitlines()
            if not line.startswith(f"exec: {program}") and not line.startswith("user: ")]


def check_oom(group, shell):
    program = "/test/oom_test"
    output = shell.run(f"exec {program} limits", timeout=60)
    expected = (SOURCES / "oom" / "expected_limits.txt").read_text().splitlines()
    group.check("oom limits: transcript equals the host Linux's", program_lines(output, program) == expected,
                indent(output) + "\n--- expected\n" + indent("\n".join(expected)))
    # Measured after a first program has run: the first one in a boot sets up
    # kernel state that stays (the copy-on-write frame-share table, 256 KiB
    # of heap at 512 MiB, and the heap growth that holds it).
    before = settled_free_kib(shell)
    output = shell.run(f"exec {program} exhaust", timeout=300)
    print(indent(output))
    group.check("oom exhaust: no FAIL lines", "FAIL" not in output, indent(output))
    group.check_regex("oom exhaust: summary 0 failed", r"^exhaust: 0 failed$", output)
    group.check_regex("oom exhaust: exit status 0", rf"^exec: {program} exited with status 0$", output)
    group.check_regex("oom exhaust: the kernel says why", r"^user: \S*oom_test: out of memory at address 0x[0-9a-f]+, killed$", output)
    group.check("oom: no kernel panic", "KERNEL PANIC" not in output)
    after = settled_free_kib(shell)
    group.check("oom: every frame came back (meminfo free unchanged)", before is not None and before == after,
                f"free before {before} KiB, after {after} KiB")
    output = shell.run("uptime")
    group.check_regex("oom: kshell still answers", r"^up \d+\.\d{6} s$", output)


def check_jobs(group, shell):
    program = "/test/jobs_test"
    output = shell.run(f"exec {program}", timeout=120)
    expected = (SOURCES / "jobs" / "expected.txt").read_text().splitlines()
    group.check("jobs: transcript equals the host Linux's", program_lines(output, program) == expected,
                indent(output) + "\n--- expected\n" + indent("\n".join(expected)))
    group.check_regex("jobs: exit status 0", rf"^exec: {program} exited with status 0$", output)


def check_musl(group, shell):
    program = "/test/musl_hello"
    binary = pathlib.Path(group.args.iso).resolve().parent / "userland" / "test" / "musl" / "musl_hello.static"
    with tempfile.TemporaryDirectory() as directory:
        host = subprocess.run([str(binary), directory], capture_output=True, text=True, timeout=60)
    group.check("musl: runs on the host", host.returncode == 0, host.stdout + host.stderr)
    output = shell.run(f"exec {program} /tmp", timeout=60)
    group.check_regex("musl: exit status 0", rf"^exec: {program} exited with status 0$", output)
    lines = program_lines(output, program)
    expected = host.stdout.splitlines()
    group.check("musl: output equals the host's", lines == expected,
                indent(output) + "\n--- host\n" + indent(host.stdout))


FILE_FAMILIES = ("open", "io", "dup", "fcntl", "getdents", "stat")


def check_files(group, shell):
    program = "/test/files_test"
    for family in FILE_FAMILIES:
        output = shell.run(f"exec {program} {family} /tmp/files_{family}", timeout=60)
        expected = (SOURCES / "files" / "expected" / f"{family}.txt").read_text().splitlines()
        group.check(f"files {family}: transcript equals the host Linux's",
                    program_lines(output, program) == expected,
                    indent(output) + "\n--- expected\n" + indent("\n".join(expected)))
        group.check_regex(f"files {family}: exit status 0", rf"^exec: {program} exited with status 0$", output)


def check_bench(group, shell):
    program = "/test/process_bench"
    output = shell.run(f"exec {program} 500", timeout=120)
    print(indent(output))
    group.check_regex("process_bench: pipe_pingpong line", r"^BENCH pipe_pingpong \d+\.\d\d us$", output)
    group.check_regex("process_bench: pipe_write_read line", r"^BENCH pipe_write_read \d+ ns$", output)
    group.check_regex("process_bench: context_switch line", r"^BENCH context_switch \d+ ns$", output)
    group.check_regex("process_bench: exit status 0", rf"^exec: {program} exited with status 0$", output)


def check_survives(group, shell):
    output = shell.run("procs")
    group.check_regex("every process was reaped", r"^processes: 0$", output)


def body(group):
    shell = group.boot()
    if not shell:
        return
    group.step("out of memory", check_oom, group, shell)
    group.step("job control", check_jobs, group, shell)
    group.step("musl", check_musl, group, shell)
    group.step("file system calls", check_files, group, shell)
    group.step("ipc benchmark", check_bench, group, shell)
    group.step("survives", check_survives, group, shell)


if __name__ == "__main__":
    run_group("system.ring3", body)
