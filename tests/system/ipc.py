#!/usr/bin/env python3
"""system.ipc: capability IPC in ring 3 (docs/ipc.md), one boot of GRUB's default
entry (init and /bin/sh), driven from the shell:

- /test/ipc_test: every rule and every forbidden case by its exact error (rights,
  expiry, closed and guessed handles, queue bounds, sizes, lifetimes, EINTR,
  call/reply, transfer, a receiver dying with capabilities in flight, port_wait,
  the registry, the fork/execve rule, the table limit);
- the services: echo and kv started in the background register themselves,
  `services` lists them, the clients call them from the shell, and killing a
  service removes its name;
- /test/ipc_fuzz: random IPC calls from several processes for a bounded time;
  the kernel answers afterwards and its heap is back at the baseline;
- /test/ipc_bench prints BENCH lines (figures, not checks; docs/performance.md).
"""
import re

from osprey_harness import DEFAULT_ENTRY, HarnessError, indent, run_group, tail, terminal_text
from userland import Sh


def run(group, sh, command, timeout=None):
    """(output, status) of `command`, or None after recording the failure."""
    saved = sh.timeout
    if timeout:
        sh.timeout = timeout
    try:
        return sh.run(command)
    except HarnessError as error:
        group.check(f"`{command}` finishes", False, f"{error}\n{indent(tail(terminal_text(sh.qemu.raw)))}")
        return None
    finally:
        sh.timeout = saved


def check_program(group, sh, command, summary, timeout):
    result = run(group, sh, command, timeout)
    if result is None:
        return ""
    output, status = result
    failures = re.findall(r"^FAIL .*$", output, re.MULTILINE)
    group.check(f"{command}: no FAIL lines", not failures, indent("\n".join(failures) or output))
    group.check_regex(f"{command}: summary", summary, output)
    group.check(f"{command}: exit status 0", status == 0, f"status {status}\n{indent(tail(output, 40))}")
    return output


# The IPC items of the seed's verification checklist (000_a877274b1b09b265.txt section 6),
# each as the ipc_test lines that show it.
SEED_ITEMS = {
    "seed 6: IPC port creation and message sending": (
        "ok port_create", "ok port_send: Data", "ok port_receive", "ok message: sender pid filled in by the kernel",
        "ok message: payload", "ok port_call"),
    "seed 6: capability rights are checked": (
        "ok port_send without SEND: Permission denied", "ok port_receive without RECEIVE: Permission denied",
        "ok cap_duplicate without DUPLICATE: Permission denied", "ok cap_diminish to a superset: Operation not permitted",
        "ok port_send carrying a handle without TRANSFER: Permission denied",
        "ok port_send on an expired handle: Timer expired"),
    "seed 6: the service registry works": (
        "ok service_register", "ok service_lookup gives SEND only", "ok the service receives it",
        "ok a dead owner's names are removed: No such file or directory"),
}


def check_rules(group, sh):
    output = check_program(group, sh, "/test/ipc_test", r"(?m)^ipc_test: \d+ checks, 0 failed$", 180)
    lines = set(output.splitlines())
    for item, expected in SEED_ITEMS.items():
        missing = [line for line in expected if line not in lines]
        group.check(item, output and not missing, "missing: " + ", ".join(missing))


def expect(group, sh, command, pattern, status=0, timeout=None):
    result = run(group, sh, command, timeout)
    if result is None:
        return ""
    output, actual = result
    group.check_regex(f"`{command}` prints /{pattern}/", pattern, output)
    group.check(f"`{command}` exits with status {status}", actual == status, f"status {actual}\n{indent(output)}")
    return output


def service_pid(output, name):
    match = re.search(rf"^{re.escape(name)}\s+(\d+)$", output, re.MULTILINE)
    return match.group(1) if match else None


def check_services(group, sh):
    # Started in the background from the shell, as a user would (README).
    expect(group, sh, "echo_service & kv_service & sleep 1", r"")
    listing = expect(group, sh, "services", r"(?m)^NAME\s+PID$")
    echo_pid, kv_pid = service_pid(listing, "echo"), service_pid(listing, "kv")
    group.check("`services` lists echo and kv with their pids", echo_pid and kv_pid, indent(listing))
    expect(group, sh, "echo_client hello from the shell", r"(?m)^hello from the shell$")
    expect(group, sh, "kv set os osprey", r"(?m)^ok$")
    expect(group, sh, "kv set bird fish-hawk", r"(?m)^ok$")
    expect(group, sh, "kv get os", r"(?m)^osprey$")
    expect(group, sh, "kv list", r"(?m)^os\nbird$")
    expect(group, sh, "kv del os", r"(?m)^ok$")
    expect(group, sh, "kv get os", r"(?m)^error: no such key$", status=1)
    expect(group, sh, "echo_service", r"cannot register \"echo\": File exists", status=1)
    if echo_pid:
        expect(group, sh, f"kill {echo_pid}; sleep 1; services", r"(?m)^kv\s+\d+$")
        output = expect(group, sh, "services", r"(?m)^NAME")
        group.check("a killed service's name is gone", not re.search(r"(?m)^echo\s", output), indent(output))
        expect(group, sh, "echo_client anyone there", r"echo_client: No such file or directory", status=1)
    if kv_pid:
        expect(group, sh, f"kill {kv_pid}; sleep 1; kv get bird", r"kv: No such file or directory", status=1)


def check_fuzz(group, sh):
    # Two seeds, and more workers the second time.
    for arguments in ("8 4 1", "6 6 20261121"):
        output = check_program(group, sh, f"/test/ipc_fuzz {arguments}", r"(?m)^ipc_fuzz: PASS ", 180)
        for line in re.findall(r"^ipc_fuzz: (?:baseline|after).*$", output, re.MULTILINE):
            print(f"    {line}", flush=True)
    # The kernel still serves everything else.
    expect(group, sh, "echo still alive", r"(?m)^still alive$")


def report_bench(group, sh):
    result = run(group, sh, "/test/ipc_bench 2000", 300)
    if result is None:
        return
    output, status = result
    lines = re.findall(r"^BENCH .*$", output, re.MULTILINE)
    for line in lines:
        print(line, flush=True)
    for name in ("ipc_call_round_trip", "ipc_throughput_64b", "ipc_throughput_4k", "ipc_cap_transfer"):
        group.check(f"ipc_bench printed {name}", any(line.startswith(f"BENCH {name} ") for line in lines),
                    indent(output))


def body(group):
    shell = group.boot(wait_for_prompt=False, entry=DEFAULT_ENTRY)
    qemu = shell.qemu
    try:
        qemu.wait_for(r"init: starting /bin/sh", group.args.boot_timeout, what="init starting /bin/sh")
    except HarnessError as error:
        group.check("the shell starts", False, f"{error}\n{indent(tail(terminal_text(qemu.raw)))}")
        return
    qemu.wait_quiet(0.5, 5)
    sh = Sh(qemu, group.args.command_timeout)
    group.step("rules", check_rules, group, sh)
    group.step("services", check_services, group, sh)
    group.step("fuzz", check_fuzz, group, sh)
    group.step("bench", report_bench, group, sh)


if __name__ == "__main__":
    run_group("system.ipc", body, defaults={"deadline": 600.0})
