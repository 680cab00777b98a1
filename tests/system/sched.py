#!/usr/bin/env python3
"""system.sched: one boot, then the scheduler seen from kshell.

- `threads` lists kshell (normal, running), the idle thread and the reaper in the agreed
  format (kernel/kshell/commands/SchedCommands.cpp), and the idle thread collects the CPU
  time while kshell waits for input (the CPU halts in the idle thread, not in a poll loop);
- `schedtest` runs the in-kernel self-test (mutex, semaphore, condition variable, exit
  and reaping, FPU state, sleeps, timeouts, priorities, fairness) and prints
  `schedtest: ok`; every test thread is reaped afterwards;
- `benchsched` prints its BENCH lines with plausible values;
- kshell still answers afterwards (its reads block on a wait queue).
"""
import re
import time

from osprey_harness import indent, run_group

THREAD_LINE = re.compile(
    r"^\s*(?P<id>\d+) (?P<name>\S+)\s+(?P<cls>realtime|normal|idle)\s+(?P<prio>-?\d+|-)\s+"
    r"(?P<state>running|runnable|blocked|sleeping|dead)\s+(?P<vcsw>\d+)\s+(?P<icsw>\d+)\s+"
    r"(?P<cpu>\d+\.\d{3})$")
HEADER = re.compile(r"^\s*ID\s+NAME\s+CLASS\s+PRIO\s+STATE\s+VCSW\s+ICSW\s+CPU_MS$")
SELF_TEST_CHECKS = ("mutex", "semaphore", "condvar", "exit", "fpu", "sleep", "timeouts", "priority", "fairness")
BENCHES = ("context_switch_kthread", "semaphore_roundtrip_kthread", "thread_create_join_kthread")


def parse_threads(group, output, label):
    lines = output.strip("\n").split("\n")
    group.check(f"{label}: header line", lines and HEADER.match(lines[0]), indent(output))
    threads = {}
    bad = []
    for line in lines[1:]:
        match = THREAD_LINE.match(line)
        if match:
            threads[match["name"]] = match.groupdict()
        else:
            bad.append(line)
    group.check(f"{label}: every line is '<id> <name> <class> <prio> <state> <vcsw> <icsw> <cpu ms>'",
                threads and not bad, indent(output))
    return threads


def check_threads_at_boot(group, shell):
    output = shell.run("threads")
    threads = parse_threads(group, output, "threads")
    kshell = threads.get("kshell", {})
    group.check("threads: kshell is a running normal-class thread",
                kshell.get("cls") == "normal" and kshell.get("state") == "running", indent(output))
    idle = threads.get("idle0", {})
    group.check("threads: idle0 is in the idle class", idle.get("cls") == "idle", indent(output))
    group.check("threads: the reaper waits", threads.get("reaper", {}).get("state") == "blocked", indent(output))
    return threads


def check_idle_halts(group, shell):
    first = parse_threads(group, shell.run("threads"), "threads (idle 1)")
    host_start = time.monotonic()
    time.sleep(1.0)
    second_output = shell.run("threads")
    host_elapsed = time.monotonic() - host_start
    second = parse_threads(group, second_output, "threads (idle 2)")
    try:
        idle_delta = float(second["idle0"]["cpu"]) - float(first["idle0"]["cpu"])
        kshell_delta = float(second["kshell"]["cpu"]) - float(first["kshell"]["cpu"])
        vcsw_delta = int(second["kshell"]["vcsw"]) - int(first["kshell"]["vcsw"])
    except KeyError:
        group.check("threads: idle and kshell listed twice", False, indent(second_output))
        return
    group.check("threads: while kshell waits for input, the idle thread gets the CPU time",
                idle_delta >= 300 and idle_delta > 5 * kshell_delta,
                f"idle +{idle_delta:.3f} ms, kshell +{kshell_delta:.3f} ms in {host_elapsed:.3f} s of host time")
    group.check("threads: kshell blocked (voluntary switches) for its input", vcsw_delta >= 1,
                f"kshell voluntary switches +{vcsw_delta}")


def check_schedtest(group, shell, before):
    output = shell.run("schedtest", timeout=180)
    group.check_regex("schedtest: ends with 'schedtest: ok'", r"^schedtest: ok$", output)
    for name in SELF_TEST_CHECKS:
        group.check_regex(f"schedtest: reports the {name} check", rf"^  {name}: \S", output)
    group.check("schedtest: no FAILED line", "FAILED" not in output, indent(output))
    after = parse_threads(group, shell.run("threads"), "threads (after schedtest)")
    group.check("threads: every test thread was reaped", set(after) == set(before),
                f"before {sorted(before)}, after {sorted(after)}")


def check_benchsched(group, shell):
    output = shell.run("benchsched", timeout=120)
    for name in BENCHES:
        match = group.check_regex(f"benchsched: BENCH {name} <n> ns", rf"^BENCH {name} (\d+) ns$", output)
        if match:
            value = int(match.group(1))
            group.check(f"benchsched: {name} is plausible (0 < {value} ns < 10 ms)", 0 < value < 10_000_000)


def check_still_answers(group, shell):
    output = shell.run("uptime")
    group.check_regex("kshell still answers after the tests", r"^up \d+\.\d{6} s$", output)


def body(group):
    shell = group.boot()
    if not shell:
        return
    threads = group.step("threads", check_threads_at_boot, group, shell) or {}
    group.step("idle", check_idle_halts, group, shell)
    group.step("schedtest", check_schedtest, group, shell, threads)
    group.step("benchsched", check_benchsched, group, shell)
    group.step("kshell", check_still_answers, group, shell)


if __name__ == "__main__":
    run_group("system.sched", body, defaults={"deadline": 400.0})
