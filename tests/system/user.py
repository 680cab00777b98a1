#!/usr/bin/env python3
"""system.user: ring 3 from kshell's `run`, on one boot.

Runs each embedded test program (userland/test/) and checks what it prints and
how it ends, in the formats of kernel/kshell/commands/UserCommands.cpp:
  run: <program> exited with status <n>
  run: <program> killed by <SIGNAL>
  run: <program>: cannot execute: <ERRNO>
then that kshell still answers and that no memory leaked.
"""
import re

from osprey_harness import indent, run_group

FAULTS = {
    # fault kind: (signal, exception name in the "user: ..." report line)
    "null": ("SIGSEGV", "Page Fault"),
    "kernel": ("SIGSEGV", "Page Fault"),
    "nx": ("SIGSEGV", "Page Fault"),
    "readonly": ("SIGSEGV", "Page Fault"),
    "stack": ("SIGSEGV", "Page Fault"),
    "ud2": ("SIGILL", "Invalid Opcode"),
    "divide": ("SIGFPE", "Divide Error"),
    "hlt": ("SIGSEGV", "General Protection"),
}
BAD_ELVES = ("truncated", "magic", "class32", "bigendian", "machine", "type", "phentsize", "phnum", "phdrs",
             "filesz", "offset", "overlap", "kernel", "huge", "misaligned", "entry", "interp")


def free_kib(shell):
    match = re.search(r"^free:\s+(\d+) KiB$", shell.run("meminfo"), re.MULTILINE)
    return int(match.group(1)) if match else None


def memory_figures(shell):
    """Free memory and the kernel heap's own figures. The heap keeps the pages
    it grew into (slab caches), so free memory alone would call the first
    sockets or pipes of a boot a leak; instead every page must be either free
    or the heap's, and the heap's live objects must be exactly as before."""
    figures = {"free_kib": free_kib(shell)}
    heap = shell.run("heapstat")
    for key in ("pages", "live_allocations", "allocated_bytes"):
        match = re.search(rf"^{key}: (\d+)$", heap, re.MULTILINE)
        figures[key] = int(match.group(1)) if match else None
    return figures


def check_memory(group, before, after):
    known = before and after and None not in before.values() and None not in after.values()
    detail = f"before {before}, after {after}"
    group.check("memory: every page of every program came back (free + kernel heap pages unchanged)",
                known and before["free_kib"] + 4 * before["pages"] == after["free_kib"] + 4 * after["pages"],
                detail)
    group.check("memory: no kernel object outlived its program (heap live allocations and bytes unchanged)",
                known and all(before[key] == after[key] for key in ("live_allocations", "allocated_bytes")),
                detail)


def exited(name, status):
    return rf"^run: {name} exited with status {status}$"


def check_summary(group, label, name, output):
    """A checking program prints ok/FAIL lines and '<name>: N passed, 0 failed'."""
    failures = [line for line in output.split("\n") if line.startswith("FAIL")]
    group.check(f"{label}: no FAIL lines", not failures, indent("\n".join(failures) or output))
    group.check_regex(f"{label}: summary with 0 failed", rf"^{name}: [1-9]\d* passed, 0 failed$", output)


def check_hello(group, shell):
    output = shell.run("run hello one two")
    group.check_regex("hello: greeting", r"^Hello from ring 3!$", output)
    group.check_regex("hello: argc", r"^argc=3$", output)
    group.check("hello: argv in order",
                "argv[0]=hello\nargv[1]=one\nargv[2]=two" in output, indent(output))
    group.check_regex("hello: exit status 0", exited("hello", 0), output)
    output = shell.run("run hello status 42")
    group.check_regex("hello: exit status 42 comes back", exited("hello", 42), output)
    output = shell.run("run hello_pie")
    group.check_regex("hello_pie (static PIE): greeting", r"^Hello from ring 3!$", output)
    group.check_regex("hello_pie: exit status 0", exited("hello_pie", 0), output)


def check_startup(group, shell):
    for name, base in (("startup", r"0x40[0-9a-f]{4}"), ("startup_pie", r"0x555555554000")):
        output = shell.run(f"run {name} alpha beta")
        group.check_regex(f"{name}: loaded at its base", rf"^startup: image at {base},", output)
        check_summary(group, name, "startup", output)
        group.check_regex(f"{name}: exit status 0", exited(name, 0), output)


def check_syscalls(group, shell):
    output = shell.run("run syscalls", timeout=60)
    check_summary(group, "syscalls", "syscalls", output)
    group.check_regex("syscalls: uname output", r"^uname: Osprey osprey \S+ \S+ x86_64$", output)
    group.check_regex("syscalls: exit status 0", exited("syscalls", 0), output)


def check_fuzz(group, shell):
    output = shell.run("run fuzz 0x5eed 20000", timeout=180)
    match = re.search(r"^fuzz: 20000 calls: (\d+) succeeded, (\d+) failed \((\d+) ENOSYS, (\d+) EFAULT\)$",
                      output, re.MULTILINE)
    group.check("fuzz: 20000 random calls answered", match, indent(output))
    if match:
        group.check("fuzz: the mix hit ENOSYS, EFAULT and successes",
                    int(match.group(1)) > 0 and int(match.group(3)) > 0 and int(match.group(4)) > 0, match.group(0))
    sockets = re.search(r"^fuzz: (\d+) sockets open$", output, re.MULTILINE)
    group.check("fuzz: the storm made sockets", sockets and int(sockets.group(1)) > 0, indent(output))
    check_summary(group, "fuzz", "fuzz", output)
    group.check_regex("fuzz: exit status 0", exited("fuzz", 0), output)


def check_faults(group, shell):
    for kind, (signal, exception) in FAULTS.items():
        output = shell.run(f"run fault {kind}")
        group.check_regex(f"fault {kind}: reported as {exception}", rf"^user: fault: {exception} .* at rip 0x[0-9a-f]{{16}}",
                          output)
        group.check_regex(f"fault {kind}: killed by {signal}", rf"^run: fault killed by {signal}$", output)
        group.check(f"fault {kind}: the program did not go on", "survived" not in output, indent(output))
    output = shell.run("run fault null")
    group.check_regex("fault null: the page-fault address is 0",
                      r"address 0x0000000000000000 \(not-present page, write, user mode\)", output)


def check_noncanonical(group, shell):
    output = shell.run("run noncanonical")
    group.check_regex("noncanonical: the program reached its syscall", r"^noncanonical: syscall at 0x7ffffffffffe", output)
    group.check_regex("noncanonical: no return to RIP 0x0000800000000000",
                      r"^user: noncanonical: General Protection .* at rip 0x0000800000000000$", output)
    group.check_regex("noncanonical: killed by SIGSEGV", r"^run: noncanonical killed by SIGSEGV$", output)


def check_bad_elves(group, shell):
    refused = []
    for bad in BAD_ELVES:
        output = shell.run(f"run bad_{bad}")
        if not re.search(rf"^run: bad_{bad}: cannot execute: ENOEXEC$", output, re.MULTILINE):
            refused.append(f"bad_{bad}:\n{indent(output)}")
    group.check(f"bad ELF files: all {len(BAD_ELVES)} refused with ENOEXEC", not refused, "\n".join(refused))
    output = shell.run("run no_such_program")
    group.check_regex("run: an unknown program is named", r"^run: no program 'no_such_program' \(programs: .*hello", output)


def check_bench(group, shell):
    output = shell.run("run bench", timeout=120)
    match = group.check_regex("bench: BENCH getpid line", r"^BENCH getpid (\d+) ns$", output)
    group.check_regex("bench: BENCH clock_gettime line", r"^BENCH clock_gettime (\d+) ns$", output)
    if match:
        print(f"      getpid round trip: {match.group(1)} ns", flush=True)


def check_usercopy(group, shell):
    output = shell.run("usercopy")
    check_summary(group, "usercopy", "usercopy", output)


def check_trace_and_table(group, shell):
    output = shell.run("run -t hello")
    group.check_regex("run -t: traces write with its result",
                      r"^\[hello\] write\(0x1, 0x[0-9a-f]+, 0x13, 0x0, 0x0, 0x0\) = 0x13$", output)
    output = shell.run("syscalls")
    group.check_regex("syscalls: the table lists getpid as 39", r"^\s+39 getpid$", output)
    group.check_regex("syscalls: the table lists exit_group as 231", r"^\s+231 exit_group$", output)


def body(group):
    shell = group.boot(memory="512M")
    if not shell:
        return
    # One run first: the kernel heap grows on first use and keeps its pages.
    group.step("hello", check_hello, group, shell)
    before = group.step("memory before", memory_figures, shell)
    group.step("startup", check_startup, group, shell)
    group.step("syscalls", check_syscalls, group, shell)
    group.step("faults", check_faults, group, shell)
    group.step("noncanonical", check_noncanonical, group, shell)
    group.step("bad ELF files", check_bad_elves, group, shell)
    group.step("fuzz", check_fuzz, group, shell)
    group.step("bench", check_bench, group, shell)
    group.step("trace and table", check_trace_and_table, group, shell)
    group.step("usercopy", check_usercopy, group, shell)
    after = group.step("memory after", memory_figures, shell)
    check_memory(group, before, after)
    output = group.step("kshell answers", shell.run, "uptime")
    group.check_regex("kshell still answers after all programs", r"^up \d+\.\d{6} s$", output or "")


if __name__ == "__main__":
    run_group("system.user", body)
