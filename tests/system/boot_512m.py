#!/usr/bin/env python3
"""system.boot_512m: one boot with 512 MiB, then the kshell diagnostics one by one.

Formats are the agreed ones (docs/testing.md lists them); each check names what it
expects, so a failure says which command broke and shows its output.
"""
import re
import time

from osprey_harness import indent, run_group

MIB_KIB = 1024
EXPECTED_COMMANDS = ("help", "meminfo", "uptime", "cpuinfo", "acpi", "irqstat", "dmesg", "heapstat", "crash")
TIMER_NAME = re.compile(r"timer|pit|hpet|lapic", re.IGNORECASE)


def check_help(group, shell):
    output = shell.run("help")
    listed = re.findall(r"^  (\S+)\s+\S", output, re.MULTILINE)
    group.check("help: every line is '  <name> <help text>'",
                listed and len(listed) == len(output.strip("\n").split("\n")), indent(output))
    missing = [name for name in EXPECTED_COMMANDS if name not in listed]
    group.check("help: lists " + " ".join(EXPECTED_COMMANDS), not missing, f"missing {missing}; output:\n{indent(output)}")


def check_unknown_command(group, shell):
    output = shell.run("xyzzy")
    group.check_regex("unknown command: error line", r"^kshell: unknown command 'xyzzy' \(try 'help'\)$", output)
    # A long line typed at full speed comes back intact: no byte lost on the way in.
    word = "".join(chr(ord("a") + i % 26) for i in range(200))
    output = shell.run(word)
    group.check("unknown command: 200 characters typed at once arrive intact",
                f"unknown command '{word}'" in output, indent(output))


def check_meminfo(group, shell, expected_mib):
    output = shell.run("meminfo")
    values = {key: int(value) for key, value in re.findall(r"^(\w+):\s+(\d+) KiB$", output, re.MULTILINE)}
    total = values.get("total")
    expected = expected_mib * MIB_KIB
    group.check(f"meminfo: total within 3% of {expected_mib} MiB",
                total is not None and abs(total - expected) <= expected * 0.03,
                f"total {total} KiB, expected {expected} KiB +-3%; output:\n{indent(output)}")
    group.check("meminfo: free + used = total",
                all(k in values for k in ("free", "used", "total")) and values["free"] + values["used"] == values["total"],
                indent(output))


def parse_uptime(output):
    match = re.search(r"^up (\d+)\.(\d{6}) s$", output, re.MULTILINE)
    return int(match.group(1)) + int(match.group(2)) / 1e6 if match else None


def check_uptime(group, shell):
    first_output = shell.run("uptime")
    first = parse_uptime(first_output)
    group.check("uptime: 'up <s>.<6 digits> s'", first is not None, indent(first_output))
    host_start = time.monotonic()
    time.sleep(1.0)
    second_output = shell.run("uptime")
    host_elapsed = time.monotonic() - host_start
    second = parse_uptime(second_output)
    if first is None or second is None:
        group.check("uptime: increases between two calls", False, indent(second_output))
        return
    delta = second - first
    # Under TCG the guest clock follows host time; allow for typing latency and a
    # loaded host, but catch a clock that stands still or runs at the wrong rate.
    group.check("uptime: increases between two calls 1 s apart by 0.5-1x host time + 1 s",
                0.5 <= delta <= host_elapsed + 1.0,
                f"first {first:.6f} s, second {second:.6f} s, host elapsed {host_elapsed:.3f} s")


def check_cpuinfo(group, shell):
    output = shell.run("cpuinfo")
    group.check_regex("cpuinfo: vendor line", r"^vendor: \S+", output)
    group.check_regex("cpuinfo: model line", r"^model: \S", output)
    group.check_regex("cpuinfo: family/model/stepping line", r"^family: \d+ model: \d+ stepping: \d+$", output)
    features = re.search(r"^features: (.*)$", output, re.MULTILINE)
    names = set(features.group(1).split()) if features else set()
    group.check("cpuinfo: features list has fpu, tsc, pae (which the kernel needs)",
                {"fpu", "tsc", "pae"} <= names, indent(output))


def check_acpi(group, shell):
    output = shell.run("acpi")
    madt = re.search(r"^(?:APIC|MADT) 0x[0-9a-f]{16} len \d+ rev \d+ oem \S.*\n(  .*)", output, re.MULTILINE)
    group.check("acpi: MADT line '<SIG> 0x<16 hex> len <n> rev <n> oem <id>'", madt, indent(output))
    group.check("acpi: MADT summary counts one CPU", madt and re.search(r"\bcpus: 1\b", madt.group(1)), indent(output))


def timer_line(output):
    best = None
    for vector, count, name in re.findall(r"^\s*(\S+)\s+(\d+)\s+(.+)$", output, re.MULTILINE):
        if TIMER_NAME.search(name) and (best is None or int(count) > best[1]):
            best = (vector, int(count), name)
    return best


def check_irqstat(group, shell):
    first_output = shell.run("irqstat")
    first = timer_line(first_output)
    group.check("irqstat: a timer vector with a count", first and first[1] > 0, indent(first_output))
    time.sleep(0.5)
    second_output = shell.run("irqstat")
    second = timer_line(second_output)
    group.check("irqstat: the timer count increases",
                first and second and first[0] == second[0] and second[1] > first[1],
                f"first {first}, second {second}\n{indent(second_output)}")


def check_dmesg(group, shell):
    output = shell.run("dmesg")
    group.check_regex("dmesg: boot log record '[    s.us] boot: loader ...'", r"^\[\s*\d+\.\d{6}\] boot: loader '", output)


def check_heapstat(group, shell):
    output = shell.run("heapstat")
    group.check_regex("heapstat: allocated_bytes", r"^allocated_bytes: \d+$", output)


def check_history(group, shell):
    shell.run("help")
    output = shell.run("\x1b[A")
    group.check("line editing: ESC[A recalls and runs the previous command",
                "list the commands" in output and "unknown command" not in output, indent(output))


def body(group):
    shell = group.boot()
    if not shell:
        return
    steps = [
        ("help", check_help),
        ("unknown command", check_unknown_command),
        ("meminfo", lambda g, s: check_meminfo(g, s, 512)),
        ("uptime", check_uptime),
        ("cpuinfo", check_cpuinfo),
        ("acpi", check_acpi),
        ("irqstat", check_irqstat),
        ("dmesg", check_dmesg),
        ("heapstat", check_heapstat),
        ("line editing", check_history),
    ]
    for name, function in steps:
        group.step(name, function, group, shell)


if __name__ == "__main__":
    run_group("system.boot_512m", body)
