#!/usr/bin/env python3
"""system.fs: one boot, then the root filesystem as kshell sees it.

The root is the initramfs built by tools/mkinitramfs.py (boot/CMakeLists.txt): /bin,
/sbin, /etc/motd, /etc/hostname ("osprey\\n") and the symlink /etc/alias -> motd. The
formats are FsCommands.cpp's: `ls` prints "<mode> <size> <name>[ -> target]" per entry,
`stat` a "  Size: <n>" line, errors "<command>: <path>: <ERRNO>".
"""
import re

from osprey_harness import indent, run_group

LS_LINE = re.compile(r"^([-dlcbps][-rwxsStT]{9})\s+(\d+) (.+)$", re.MULTILINE)


def listing(output):
    return {name: (mode, int(size)) for mode, size, name in LS_LINE.findall(output)}


def check_boot_log(group, shell):
    log = shell.kernel_output()
    group.check_regex("boot log: the initramfs was unpacked with no errors",
                      r"initramfs: \d+ bytes: \d+ files, \d+ directories, 1 symlinks", log)
    group.check("boot log: no unpack warning", "could not be unpacked" not in log, "")


def check_root_listing(group, shell):
    output = shell.run("ls /")
    entries = listing(output)
    for name in ("bin", "sbin", "etc"):
        group.check(f"ls /: lists {name} as a directory", entries.get(name, ("",))[0].startswith("d"), indent(output))
    group.check("ls /: lists . and ..", "." in entries and ".." in entries, indent(output))


def check_etc_listing(group, shell):
    output = shell.run("ls /etc")
    entries = listing(output)
    group.check("ls /etc: motd is a regular file, mode -rw-r--r--",
                entries.get("motd", ("",))[0] == "-rw-r--r--", indent(output))
    group.check("ls /etc: hostname is 7 bytes", entries.get("hostname", ("", -1))[1] == 7, indent(output))
    group.check("ls /etc: alias is a symlink to motd", "alias -> motd" in entries
                and entries["alias -> motd"][0].startswith("l"), indent(output))


def check_cat(group, shell):
    output = shell.run("cat /etc/motd")
    group.check("cat /etc/motd: prints the message of the day", output.strip() == "Welcome to Osprey.", indent(output))
    output = shell.run("cat /etc/alias")
    group.check("cat /etc/alias: reads motd through the symlink", output.strip() == "Welcome to Osprey.",
                indent(output))
    output = shell.run("cat /etc/hostname")
    group.check("cat /etc/hostname: osprey", output.strip() == "osprey", indent(output))
    output = shell.run("cat /etc")
    group.check_regex("cat /etc: a directory gives EISDIR", r"^cat: /etc: EISDIR$", output)


def check_stat(group, shell):
    output = shell.run("stat /etc/hostname")
    group.check_regex("stat /etc/hostname: size 7 (with the newline)", r"^\s*Size: 7\s", output)
    group.check_regex("stat /etc/hostname: a regular file", r"Type: regular file", output)
    group.check_regex("stat /etc/hostname: mode 0644, owned by root", r"Mode: \(0644/-rw-r--r--\)\s+Uid: 0\s+Gid: 0",
                      output)
    output = shell.run("stat /etc/alias")
    group.check_regex("stat /etc/alias: the link itself, 4 bytes", r"Size: 4\s+Blocks: 0\s+Type: symbolic link", output)


def check_errors(group, shell):
    output = shell.run("ls /nonexistent")
    group.check_regex("ls /nonexistent: ENOENT", r"^ls: /nonexistent: ENOENT$", output)
    output = shell.run("ls /etc/motd/x")
    group.check_regex("ls /etc/motd/x: ENOTDIR", r"^ls: /etc/motd/x: ENOTDIR$", output)
    output = shell.run("ls /etc/alias/")
    group.check_regex("ls /etc/alias/: a trailing slash on a symlink to a file gives ENOTDIR",
                      r"^ls: /etc/alias/: ENOTDIR$", output)


def check_mounts(group, shell):
    output = shell.run("mounts")
    group.check_regex("mounts: the root is a ramfs", r"^/ ramfs$", output)


def body(group):
    shell = group.boot()
    if not shell:
        return
    group.step("boot log", check_boot_log, group, shell)
    group.step("ls /", check_root_listing, group, shell)
    group.step("ls /etc", check_etc_listing, group, shell)
    group.step("cat", check_cat, group, shell)
    group.step("stat", check_stat, group, shell)
    group.step("errors", check_errors, group, shell)
    group.step("mounts", check_mounts, group, shell)


if __name__ == "__main__":
    run_group("system.fs", body)
