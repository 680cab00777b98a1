#!/usr/bin/env python3
"""system.devtty: pipes, devfs and the console terminal, from kshell.

`devtest` (kernel/kshell/commands/DevCommands.cpp) runs in-kernel checks and prints
"devtest: FAILED <what>" per failure, "devtest: <node> c <major>:<minor>" per device
node, "devtest: pipe 1 MiB in <us> us, checksum <hex>", then "devtest: ok".
`ls /dev` lists the nodes in FsCommands.cpp's format; `mounts` shows "/dev devfs".
`benchpipe` prints BENCH lines for a kernel-thread pipe ping-pong and throughput.
"""
import re

from osprey_harness import indent, run_group

LS_LINE = re.compile(r"^([-dlcbps][-rwxsStT]{9})\s+(\d+) (.+)$", re.MULTILINE)

NODES = {
    "null": ("crw-rw-rw-", "1:3"),
    "zero": ("crw-rw-rw-", "1:5"),
    "full": ("crw-rw-rw-", "1:7"),
    "random": ("crw-rw-rw-", "1:8"),
    "urandom": ("crw-rw-rw-", "1:9"),
    "console": ("crw-------", "5:1"),
    "tty": ("crw-rw-rw-", "5:0"),
}


def check_boot_log(group, shell):
    log = shell.kernel_output()
    group.check_regex("boot log: the generator is seeded", r"random: ChaCha20 generator seeded", log)
    group.check_regex("boot log: devfs is mounted on /dev", r"devfs: mounted on /dev", log)


def check_listing(group, shell):
    output = shell.run("ls /dev")
    entries = {name: mode for mode, _, name in LS_LINE.findall(output)}
    for name, (mode, _) in NODES.items():
        group.check(f"ls /dev: {name} is {mode}", entries.get(name) == mode, indent(output))
    output = shell.run("mounts")
    group.check_regex("mounts: /dev is a devfs", r"^/dev devfs$", output)
    output = shell.run("stat /dev/null")
    group.check_regex("stat /dev/null: a character device", r"character device", output)


def check_devtest(group, shell):
    output = shell.run("devtest", timeout=120)
    group.check("devtest: no failure", "FAILED" not in output, indent(output))
    group.check_regex("devtest: ok", r"^devtest: ok$", output)
    group.check_regex("devtest: 1 MiB went through a pipe", r"^devtest: pipe 1 MiB in \d+ us, checksum 0x[0-9a-f]+$",
                      output)
    for name, (_, numbers) in NODES.items():
        group.check_regex(f"devtest: /dev/{name} is {numbers}", rf"^devtest: /dev/{name} c {numbers}$", output)


def check_kshell_after_tty(group, shell):
    # devtest closed its terminal descriptions: console input is kshell's again.
    output = shell.run("mounts")
    group.check_regex("kshell reads the console again after the tty closed", r"^/ ramfs$", output)


def check_bench(group, shell):
    output = shell.run("benchpipe 2000", timeout=120)
    group.check_regex("benchpipe: ping-pong figure", r"^BENCH pipe_pingpong_kthreads \d+ ns$", output)
    group.check_regex("benchpipe: throughput figure", r"^BENCH pipe_throughput_kthreads \d+ MiB/s$", output)


def body(group):
    shell = group.boot()
    if not shell:
        return
    group.step("boot log", check_boot_log, group, shell)
    group.step("ls /dev", check_listing, group, shell)
    group.step("devtest", check_devtest, group, shell)
    group.step("kshell after the tty", check_kshell_after_tty, group, shell)
    group.step("benchpipe", check_bench, group, shell)


if __name__ == "__main__":
    run_group("system.devtty", body)
