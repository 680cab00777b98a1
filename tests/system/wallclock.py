#!/usr/bin/env python3
"""system.wallclock: the wall clock read from the CMOS RTC at boot.

QEMU's RTC follows the host's clock (-rtc base=utc, its default), so the kernel's
boot log names today's date and /test/wallclock_test's first line, `now <seconds>`
(time() in ring 3), must be within a few minutes of the host's time. The program's
own checks (time, gettimeofday, CLOCK_REALTIME and _COARSE agree; clock_getres;
clock_settime/settimeofday errors and EPERM for a user that is not root; root
moving CLOCK_REALTIME and not CLOCK_MONOTONIC; an absolute CLOCK_REALTIME sleep;
a new file's mtime) print "ok"/"FAIL" lines. kshell's `uptime` answers afterwards.
"""
import datetime
import re
import time

from osprey_harness import indent, run_group

# Generous: the check is that the clock is the host's date and time, not
# seconds since boot; a slow TCG boot and the command's run fit well inside.
TOLERANCE_SECONDS = 300


def check_boot_log(group, shell):
    log = shell.kernel_output()
    today = datetime.datetime.now(datetime.timezone.utc)
    match = re.search(r"rtc: (\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) UTC", log)
    group.check("boot log: the RTC was read", match is not None, indent(log[-2000:]))
    if match:
        booted = datetime.datetime(*map(int, match.groups()), tzinfo=datetime.timezone.utc)
        group.check("boot log: the RTC holds the host's date and time",
                    abs((booted - today).total_seconds()) < TOLERANCE_SECONDS, f"RTC {booted}, host {today}")


def check_program(group, shell):
    program = "/test/wallclock_test"
    output = shell.run(f"exec {program}", timeout=120)
    host_now = time.time()
    print(indent(output))
    match = re.search(r"^now (\d+)$", output, re.MULTILINE)
    group.check("wallclock_test prints time()", match is not None, indent(output))
    if match:
        guest_now = int(match.group(1))
        group.check(f"time() in ring 3 is within {TOLERANCE_SECONDS} s of the host's",
                    abs(guest_now - host_now) < TOLERANCE_SECONDS, f"guest {guest_now}, host {host_now:.0f}")
    oks = re.findall(r"^ok (.+)$", output, re.MULTILINE)
    group.check("wallclock_test ran its checks", len(oks) >= 30, f"{len(oks)} ok lines\n{indent(output)}")
    for failure in re.findall(r"^FAIL (.+)$", output, re.MULTILINE):
        group.check(failure, False, indent(output))
    group.check_regex("wallclock_test: 0 failed", r"^wallclock: 0 failed$", output)
    group.check_regex("wallclock_test: exit status 0", rf"^exec: {program} exited with status 0$", output)
    output = shell.run("uptime")
    group.check_regex("kshell still answers", r"^up \d+\.\d{6} s$", output)


def body(group):
    shell = group.boot()
    if not shell:
        return
    group.step("boot log", check_boot_log, group, shell)
    group.step("wallclock_test", check_program, group, shell)


if __name__ == "__main__":
    run_group("system.wallclock", body)
