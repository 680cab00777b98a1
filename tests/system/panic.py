#!/usr/bin/env python3
"""system.panic: `crash pagefault|gpf|divide` each end in the panic screen.

One boot per fault (a panicked kernel stays halted). Each checks the banner, the
exception's name, CR2 for the page fault, and that the backtrace starts at the
non-inlined trigger function, which shows that the exception frame's RIP is resolved
through the symbol module.
"""
import re

from osprey_harness import HarnessError, indent, run_group, terminal_text

FAULTS = [
    # argument, exception name, trigger function, extra (label, regex) checks
    ("pagefault", "Page Fault", "trigger_page_fault", [("CR2 is the faulting address", r"CR2: 0x00000deadbeef000\b")]),
    ("gpf", "General Protection", "trigger_general_protection", []),
    ("divide", "Divide Error", "trigger_divide_error", []),
]


def check_fault(group, argument, exception, function, extra):
    shell = group.boot(tag=argument)
    if not shell:
        return
    name = f"crash {argument}"
    start = len(shell.qemu.raw)
    shell.qemu.send(name + "\r")
    try:
        # A prompt instead means the command returned: fail at once rather than time out.
        match = shell.qemu.wait_for(r"Backtrace:|\nkshell> ", 20, start=start, what="the panic backtrace")
        if match.group(0) != "Backtrace:":
            raise HarnessError("the command returned to the prompt")
    except HarnessError as error:
        group.check(f"{name}: panic screen with a backtrace", False,
                    f"{error}\n{indent(terminal_text(shell.qemu.raw[start:]))}")
        group.stop_all()
        return
    shell.qemu.wait_quiet(1.0, 10)  # the backtrace lines follow
    screen = terminal_text(shell.qemu.raw[start:])
    group.check_regex(f"{name}: '*** KERNEL PANIC ***' line", r"^\*\*\* KERNEL PANIC \*\*\*", screen)
    group.check_regex(f"{name}: names the exception '{exception}'", re.escape(exception), screen)
    for label, pattern in extra:
        group.check_regex(f"{name}: {label}", pattern, screen)
    frames = re.findall(r"^  #(\d+) 0x[0-9a-f]+ (.*)$", screen.split("Backtrace:", 1)[-1], re.MULTILINE)
    group.check(f"{name}: backtrace names {function}", any(function in frame for _, frame in frames), indent(screen))
    group.check(f"{name}: backtrace frame #0 is {function}",
                frames and frames[0][0] == "0" and re.search(rf"\b{function}\b.*\+0x[0-9a-f]+$", frames[0][1]),
                f"frames: {frames}")
    group.check(f"{name}: no prompt after the panic", "kshell> " not in screen, indent(screen))
    group.stop_all()


def body(group):
    for argument, exception, function, extra in FAULTS:
        group.step(f"crash {argument}", check_fault, group, argument, exception, function, extra)


if __name__ == "__main__":
    run_group("system.panic", body)
