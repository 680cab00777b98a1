#!/usr/bin/env python3
"""system.userland: boots GRUB's default entry, where the kernel starts /sbin/init as
pid 1, init mounts proc and devtmpfs and starts /bin/sh on the console, and drives that
shell over serial: echo, ls, cat, uname, ps and free (which read /proc), /proc's files,
a tmpfs /tmp, a command that is not found (status 127), and `exit`, after which init
starts a new shell.

It also checks the interactive shell on the console terminal: the root prompt, a
pipeline, redirections and exit statuses, Ctrl-C ending the foreground job (status
130) while the shell lives on, and Ctrl-Z stopping it for `jobs` and `fg`. The
terminal model expands tabs, hence `\s+` in the patterns. Each command is followed by
`; echo @@$?@@` so its end and its status show in the output whatever the prompt.
"""
import os
import re

from osprey_harness import DEFAULT_ENTRY, SOURCE_ROOT, HarnessError, indent, run_group, tail, terminal_text
from shell_session import STATUS, Sh, check_command



def body(group):
    shell = group.boot(wait_for_prompt=False, entry=DEFAULT_ENTRY)
    qemu = shell.qemu
    try:
        qemu.wait_for(r"init: starting /bin/sh", group.args.boot_timeout, what="init starting /bin/sh")
    except HarnessError as error:
        group.check("the default entry runs /sbin/init, which starts /bin/sh", False,
                    f"{error}\n{indent(tail(terminal_text(qemu.raw)))}")
        return
    qemu.wait_quiet(0.5, 5)
    log = terminal_text(qemu.raw)
    group.check_regex("the kernel started /sbin/init as pid 1", r"init: started /sbin/init as pid 1", log)
    group.check("init mounted proc on /proc and devtmpfs on /dev", "cannot mount" not in log, indent(tail(log)))
    group.check_regex("the kernel mounted a tmpfs on /tmp", r"tmpfs: mounted on /tmp", log)

    sh = Sh(qemu, group.args.command_timeout)
    check_command(group, sh, "echo hello", r"^hello$")
    output = check_command(group, sh, "ls -1 /", r"^bin$")
    for name in ("dev", "etc", "proc", "sbin", "tmp"):
        group.check(f"`ls -1 /` lists {name}", re.search(rf"^{name}$", output, re.MULTILINE), indent(output))
    with open(os.path.join(SOURCE_ROOT, "tools", "initramfs", "etc", "motd")) as motd:
        check_command(group, sh, "cat /etc/motd", "^" + re.escape(motd.read().strip()) + "$")
    check_command(group, sh, "uname -a", r"^Osprey ")
    check_command(group, sh, "uname", r"^Osprey$")
    # PID PPID STATE TIME CSW THR NAME COMMAND: the shell has run and switched.
    check_command(group, sh, "ps", r"(?m)^\s+1\s+0\s+\w\s+\d+:\d\d\.\d\d\s+\d+\s+1\s+init\s+/sbin/init$")
    check_command(group, sh, "ps", r"(?m)^\s+\d+\s+1\s+\w\s+\d+:\d\d\.\d\d\s+[1-9]\d*\s+1\s+sh\s")
    check_command(group, sh, "free", r"(?m)^Mem:\s+[1-9]\d+\s+\d+\s+[1-9]\d+")
    check_command(group, sh, "nosuchcommand", r"nosuchcommand: (command )?not found", status=127)

    # /proc, as the utilities and Linux programs read it.
    check_command(group, sh, "cat /proc/uptime", r"^\d+\.\d\d \d+\.\d\d$")
    check_command(group, sh, "cat /proc/meminfo", r"(?m)^MemTotal:\s+[1-9]\d+ kB$")
    check_command(group, sh, "cat /proc/mounts", r"(?m)^proc /proc proc rw,relatime 0 0$")
    check_command(group, sh, "cat /proc/mounts", r"(?m)^devtmpfs /dev devtmpfs rw,relatime 0 0$")
    check_command(group, sh, "cat /proc/cpuinfo", r"(?m)^vendor_id\s+: \w+\n(.*\n)*flags\s+: .*\bfpu\b")
    check_command(group, sh, "cat /proc/self/status", r"(?m)^Name:\s+cat\nState:\s+R \(running\)$")
    check_command(group, sh, "cat /proc/self/status", r"(?m)^voluntary_ctxt_switches:\s+\d+\n"
                  r"nonvoluntary_ctxt_switches:\s+\d+$")
    check_command(group, sh, "cat /proc/self/stat", r"^\d+ \(cat\) R( \d+){49}$")
    check_command(group, sh, "cat /proc/1/stat", r"^1 \(init\) S 0 1 1 0 0 0 0 0 0 0 \d+( \d+){38}$")
    check_command(group, sh, "cat /proc/1/cmdline", r"^/sbin/init$")
    check_command(group, sh, "cat /proc/dmesg", r"(?m)^\[\s*\d+\.\d{6}\] init: started /sbin/init as pid 1$")
    check_command(group, sh, "ls /proc/self/fd | cat", r"^0\n1\n2\n")
    check_command(group, sh, "ls -l /proc/self/fd/1", r"1 -> /dev/console$")
    check_command(group, sh, "ls /proc/42424", r"No such file or directory", status=2)

    # A tmpfs on /tmp.
    check_command(group, sh, "echo scratch > /tmp/file", r"^$")
    check_command(group, sh, "cat /tmp/file", r"^scratch$")

    # mount(2) and umount2(2): the checks of userland/test/mount/mount_test.c.
    try:
        output, status = sh.run("/test/mount_test")
        failures = re.findall(r"^FAIL .*$", output, re.MULTILINE)
        group.check("/test/mount_test: mount and umount2 answer as Linux", status == 0 and not failures
                    and "mount: 0 failed" in output, indent(output))
    except HarnessError as error:
        group.check("/test/mount_test", False, str(error))

    # The interactive shell: prompt, pipelines, redirections, statuses.
    group.check_regex("the shell shows the root prompt", r"/# ", terminal_text(qemu.raw))
    check_command(group, sh, "echo hello | cat | wc -c", r"^6$")
    check_command(group, sh, "ls /etc | grep motd", r"^motd$")
    check_command(group, sh, "echo one > /tmp/r; echo two >> /tmp/r; cat < /tmp/r", r"^one\ntwo$")
    check_command(group, sh, "cat /nonexistent 2>&1", r"No such file or directory", status=1)
    check_command(group, sh, "false || echo fallback", r"^fallback$")
    check_command(group, sh, "sh -c 'exit 3'", r"^$", status=3)

    # Job control: Ctrl-C ends the foreground job, not the shell; Ctrl-Z stops it.
    for key, name, status in (("\x03", "Ctrl-C", 130),):
        start = len(qemu.raw)
        qemu.send("sleep 20\r")
        qemu.wait_quiet(1.0, 3)
        qemu.send(key)
        qemu.wait_quiet(0.5, 3)
        qemu.send("echo @@$?@@\r")
        try:
            match = qemu.wait_for(STATUS, 8, start=start, what=f"the shell after {name}")
            group.check(f"{name} ends `sleep 20` with status {status} and the shell answers",
                        int(match.group(1)) == status, f"status {match.group(1)}")
        except HarnessError as error:
            group.check(f"{name} ends `sleep 20` and the shell answers", False,
                        f"{error}\n{indent(tail(terminal_text(qemu.raw[start:])))}")
    start = len(qemu.raw)
    qemu.send("sleep 20\r")
    qemu.wait_quiet(1.0, 3)
    qemu.send("\x1a")
    try:
        qemu.wait_for(r"Stopped", 5, start=start, what="the job stopped by Ctrl-Z")
        group.check("Ctrl-Z stops the foreground job", True)
        check_command(group, sh, "jobs", r"Stopped\s+sleep 20")
        start = len(qemu.raw)
        qemu.send("fg\r")
        qemu.wait_quiet(1.0, 3)
        qemu.send("\x03")
        qemu.wait_quiet(0.5, 3)
        qemu.send("echo @@$?@@\r")
        match = qemu.wait_for(STATUS, 8, start=start, what="the shell after fg and Ctrl-C")
        group.check("`fg` resumes the job and Ctrl-C ends it (status 130)", int(match.group(1)) == 130,
                    f"status {match.group(1)}")
    except HarnessError as error:
        group.check("Ctrl-Z, jobs and fg", False, f"{error}\n{indent(tail(terminal_text(qemu.raw[start:])))}")

    # exit: init says so and starts a new shell.
    start = len(qemu.raw)
    qemu.send("exit\r")
    try:
        qemu.wait_for(r"init: /bin/sh exited with status 0; restarting it in 1 s", 10, start=start,
                      what="init's restart message")
        qemu.wait_for(r"init: starting /bin/sh", 10, start=start, what="the new shell")
        qemu.wait_quiet(0.5, 5)
        group.check("`exit` makes init restart the shell", True)
        check_command(group, sh, "echo again", r"^again$")
    except HarnessError as error:
        group.check("`exit` makes init restart the shell", False, f"{error}\n{indent(tail(terminal_text(qemu.raw)))}")


if __name__ == "__main__":
    run_group("system.userland", body)
