#!/usr/bin/env python3
"""system.unix_sockets: AF_UNIX sockets in one boot.

  - /test/unix_transcript (userland/test/unix/unix_transcript.c): the seed's
    three tests and checklist and every behaviour of the issue, printed; the
    transcript must equal the host Linux's (userland/test/unix/expected.txt);
  - /test/unix_poll_transcript: readiness of sockets (poll, ppoll, select,
    epoll LT/ET/ONESHOT), blocked waits woken by other processes, signals
    interrupting socket calls (SA_RESTART, SO_RCVTIMEO); held to the host
    Linux's userland/test/unix/poll_expected.txt;
  - /test/unix_checks: what only Osprey can check (AF_INET refused, the
    live-socket counter in /proc/sockstat back at its baseline after
    sockets of every kind were made, passed and closed), and a socket inode
    left behind for `ls -l` and `stat`;
  - /test/unix_stress: processes passing fds and CRC-checked messages over
    stream and seqpacket sockets; then the socket count and the kernel
    heap (kshell's heapstat) must be back where they started;
  - /test/unix_bench prints its BENCH lines (figures only, never judged);
  - the kernel still answers and every process was reaped.
"""
import pathlib
import re

from osprey_harness import indent, run_group

TRANSCRIPT = "/test/unix_transcript"
CHECKS = "/test/unix_checks"
STRESS = "/test/unix_stress"
POLL_TRANSCRIPT = "/test/unix_poll_transcript"
EXPECTED = pathlib.Path(__file__).resolve().parents[2] / "userland" / "test" / "unix" / "expected.txt"
POLL_EXPECTED = EXPECTED.with_name("poll_expected.txt")


def program_lines(output, program):
    return [line for line in output.splitlines()
            if not line.startswith(f"exec: {program}") and not line.startswith("user: ")]


def compare_transcript(group, shell, program, expected_path, what):
    output = shell.run(f"exec {program}", timeout=300)
    group.check_regex(f"{what} exits with status 0", rf"^exec: {program} exited with status 0$", output)
    lines = program_lines(output, program)
    expected = expected_path.read_text().splitlines()
    differences = [f"line {n + 1}: osprey {a!r} / linux {b!r}"
                   for n, (a, b) in enumerate(zip(lines, expected)) if a != b]
    if len(lines) != len(expected):
        differences.append(f"osprey {len(lines)} lines, linux {len(expected)} lines")
    group.check(f"{what} equals the host Linux's", not differences,
                indent("\n".join(differences[:40])) + "\n--- osprey\n" + indent("\n".join(lines[-30:])))


def check_transcript(group, shell):
    compare_transcript(group, shell, TRANSCRIPT, EXPECTED, "transcript")


def check_poll_transcript(group, shell):
    compare_transcript(group, shell, POLL_TRANSCRIPT, POLL_EXPECTED, "readiness transcript")


def check_osprey_only(group, shell):
    output = shell.run(f"exec {CHECKS}", timeout=120)
    group.check("no FAIL lines", "FAIL" not in output, indent(output))
    group.check_regex("checks exit with status 0", rf"^exec: {CHECKS} exited with status 0$", output)
    group.check_regex("checks ran", r"^PASS AF_INET is EAFNOSUPPORT$", output)
    listing = shell.run("exec /bin/ls -l /tmp/osprey-socket")
    group.check_regex("ls -l shows a socket", r"^s[rwx-]{9} .*osprey-socket$", listing)
    status = shell.run("exec /bin/stat /tmp/osprey-socket")
    group.check_regex("stat says socket", r"socket", status)


def heap_figures(shell):
    output = shell.run("heapstat")
    figures = {}
    for key in ("allocated_bytes", "live_allocations"):
        match = re.search(rf"^{key}: (\d+)$", output, re.MULTILINE)
        figures[key] = int(match.group(1)) if match else None
    return figures, output


def check_stress(group, shell):
    before, before_text = heap_figures(shell)
    output = shell.run(f"exec {STRESS}", timeout=400)
    group.check("stress: no FAIL lines", "FAIL" not in output, indent(output))
    group.check_regex("stress exits with status 0", rf"^exec: {STRESS} exited with status 0$", output)
    group.check_regex("stress moved messages", r"^PASS stress: \d+ messages, \d+ fds", output)
    group.check_regex("stress: live sockets back to baseline", r"^PASS sockets back to baseline", output)
    after, after_text = heap_figures(shell)
    ok = None not in before.values() and None not in after.values()
    group.check("stress: kernel heap back to baseline (same live allocations and bytes)",
                ok and before == after,
                f"before:\n{indent(before_text)}\nafter:\n{indent(after_text)}")


def check_bench(group, shell):
    output = shell.run("exec /test/unix_bench 1", timeout=120)
    print(indent("\n".join(line for line in output.splitlines() if line.startswith("BENCH "))))
    for name in ("unix_stream_pingpong", "pipe_pingpong", "unix_stream_throughput", "unix_dgram_rate"):
        group.check_regex(f"bench prints {name}", rf"^BENCH {name} [0-9.]+ \S+$", output)


def check_survives(group, shell):
    output = shell.run("procs")
    group.check_regex("every process was reaped", r"^processes: 0$", output)


def body(group):
    shell = group.boot()
    if not shell:
        return
    group.step("transcript", check_transcript, group, shell)
    group.step("readiness transcript", check_poll_transcript, group, shell)
    group.step("osprey only", check_osprey_only, group, shell)
    group.step("stress", check_stress, group, shell)
    group.step("bench", check_bench, group, shell)
    group.step("survives", check_survives, group, shell)


if __name__ == "__main__":
    run_group("system.unix_sockets", body)
