#!/usr/bin/env python3
"""system.ahci_timeout: AHCI command timeouts, port resets and retries on QEMU's ich9 AHCI.

One boot with two AHCI disks:
- sda (port 0): an 8 MiB raw image with host patterns;
- sdb (port 1): QEMU's null-co driver with latency-ns, so every request takes
  SLOW_LATENCY_MS; far below the default 10 s timeout (the boot's partition scan stays
  quick), far above the SHORT_TIMEOUT_MS the test sets at run time.

Checks, through kshell's `ahci` command and /test/disktest:
- the knob refuses bad input (not a number, 0, above the maximum, a negative number, an
  unknown disk) with EINVAL / ENODEV and changes nothing;
- with the short timeout, a read of sdb ends in EIO for the program after 1 + 3 attempts:
  the counters show 4 timeouts, 4 port resets, 3 retries and 1 failure, and dmesg the
  timeouts, the COMRESETs and the give-up; the kernel runs on and sda reads right;
- with the default timeout back, sdb reads again (zeros);
- with one doorbell dropped (test fault injection) on sda, a read returns the host's bytes
  after exactly one timeout, one reset and one retry; the same for a write, which is
  flushed, read back, and checked on the host image after QEMU is gone;
- with every attempt's doorbell dropped, a read of sda ends in EIO after exactly 4
  attempts, and sda reads on.
"""
import os
import re
import shutil
import tempfile

from disks import fnv1a, host_bytes, pattern, run_program
from osprey_harness import indent, run_group

MIB = 1024 * 1024
DISKTEST = "/test/disktest"
SLOW_LATENCY_MS = 300
SHORT_TIMEOUT_MS = 40
# sda's timeout while doorbells are dropped: short, yet far above any real command's time.
INJECTION_TIMEOUT_MS = 500
DEFAULT_TIMEOUT_MS = 10000
MAX_TIMEOUT_MS = 3600000

# sda: (offset, length, seed) written by the host; read with a dropped doorbell.
HOST_PATTERN = (4 * MIB + 512, 8192, 31)
# sda: read after the slow disk's failures, far from the others (read-ahead).
OTHER_PATTERN = (MIB + 100, 3000, 33)
# sda: read after a command was given up (not read before, so not in the cache).
LATE_PATTERN = (5 * MIB + 7, 5000, 34)
# sda: what the guest writes with a dropped doorbell.
GUEST_WRITE = (6 * MIB + 1000, 20000, 32)
# sdb: where the slow reads go (not at sector 0, which the partition scan cached).
SLOW_OFFSET = 2 * MIB

COUNTERS = ("timeout_ms", "timeouts", "errors", "retries", "port_resets", "failures", "dropped_doorbells",
            "drop_pending")


def qemu_arguments(sda):
    return [
        "-drive", f"file={sda},if=none,id=disk-sda,format=raw",
        "-device", "ide-hd,drive=disk-sda,bus=ide.0",
        "-blockdev", f"driver=null-co,node-name=slow,size={64 * MIB},read-zeroes=on,"
                     f"latency-ns={SLOW_LATENCY_MS * 1000000}",
        "-device", "ide-hd,drive=slow,bus=ide.1",
    ]


def disk_state(shell, name):
    """The `ahci` line of one disk as a dict of its counters (None when it is missing)."""
    listing = shell.run("ahci")
    match = re.search(rf"^{name} port \d+ (.*)$", listing, re.MULTILINE)
    if not match:
        return None, listing
    words = match.group(1).split()
    return {words[i]: int(words[i + 1]) for i in range(0, len(words) - 1, 2)}, listing


def delta(before, after):
    return {key: after[key] - before[key] for key in COUNTERS if key != "timeout_ms"}


def expect(changes, **wanted):
    """The counters that changed are exactly `wanted`; all others stayed."""
    return all(changes[key] == wanted.get(key, 0) for key in changes)


def check_knob_input(group, shell):
    before, listing = disk_state(shell, "sdb")
    group.check("`ahci` lists sdb with the default timeout",
                before is not None and before["timeout_ms"] == DEFAULT_TIMEOUT_MS, indent(listing))
    group.check("`ahci` lists sda on port 0", re.search(r"^sda port 0 timeout_ms ", listing, re.MULTILINE),
                indent(listing))
    for value in ("abc", "0", str(MAX_TIMEOUT_MS + 1), "-5", "12ms", "99999999999999999999999"):
        output = shell.run(f"ahci timeout sdb {value}")
        group.check(f"ahci timeout sdb {value}: EINVAL", f"ahci: timeout sdb: {value}: EINVAL" in output,
                    indent(output))
    output = shell.run("ahci drop-doorbell sda 1001")
    group.check("ahci drop-doorbell sda 1001: EINVAL", "EINVAL" in output, indent(output))
    output = shell.run("ahci timeout sdz 100")
    group.check("ahci timeout on an unknown disk: ENODEV", "ahci: sdz: ENODEV" in output, indent(output))
    output = shell.run("ahci timeout sdb")
    group.check("ahci timeout without a value: usage", output.startswith("usage: ahci"), indent(output))
    after, listing = disk_state(shell, "sdb")
    group.check("bad input changed nothing on sdb", after == before, indent(listing))
    sda, listing = disk_state(shell, "sda")
    group.check("bad input armed no fault on sda", sda is not None and sda["drop_pending"] == 0, indent(listing))


def check_slow_disk(group, shell):
    before, listing = disk_state(shell, "sdb")
    output = shell.run(f"ahci timeout sdb {SHORT_TIMEOUT_MS}")
    group.check(f"ahci timeout sdb {SHORT_TIMEOUT_MS} is taken",
                re.search(rf"^sdb port 1 timeout_ms {SHORT_TIMEOUT_MS} ", output, re.MULTILINE), indent(output))
    output, status = run_program(group, shell, f"{DISKTEST} read /dev/sdb {SLOW_OFFSET} 4096", timeout=120)
    group.check("a read of the slow disk fails with EIO", status == 1
                and re.search(rf"pread /dev/sdb at {SLOW_OFFSET}: Input/output error", output), indent(output))
    after, listing = disk_state(shell, "sdb")
    changes = delta(before, after)
    group.check("sdb counters: 4 timeouts, 4 port resets, 3 retries, 1 failure",
                expect(changes, timeouts=4, port_resets=4, retries=3, failures=1), f"{changes}\n{indent(listing)}")

    log = shell.run("dmesg")
    group.check("dmesg: 4 timeouts after the short timeout",
                len(re.findall(rf"ahci: sdb: command 0x25 at LBA \d+ timed out after {SHORT_TIMEOUT_MS} ms",
                               log)) == 4, indent(log))
    group.check("dmesg: 4 COMRESETs after timeouts",
                len(re.findall(r"ahci: sdb: port reset \(COMRESET\): command timed out", log)) == 4, indent(log))
    group.check_regex("dmesg: retries 1 to 3", r"ahci: sdb: retrying command 0x25 at LBA \d+ \(3 of 3\)", log)
    group.check_regex("dmesg: given up after 4 attempts", r"ahci: sdb: command 0x25 at LBA \d+ failed 4 times; "
                      r"giving up", log)
    group.check("dmesg: no port that failed to recover", not re.search(r"did not (recover|restart|bring)|still "
                                                                        r"issued", log), indent(log))

    offset, length, seed = OTHER_PATTERN
    output, status = run_program(group, shell, f"{DISKTEST} read /dev/sda {offset} {length}")
    group.check("the other AHCI disk still reads right after the timeouts",
                status == 0 and f"{fnv1a(host_bytes(length, seed)):016x}" in output, indent(output))
    output = shell.run("echo still here")
    group.check("kshell still answers", "still here" in output, indent(output))

    output = shell.run(f"ahci timeout sdb {DEFAULT_TIMEOUT_MS}")
    group.check("the default timeout is back on sdb",
                re.search(rf"^sdb port 1 timeout_ms {DEFAULT_TIMEOUT_MS} ", output, re.MULTILINE), indent(output))
    before, _ = disk_state(shell, "sdb")
    output, status = run_program(group, shell, f"{DISKTEST} read /dev/sdb {SLOW_OFFSET} 4096", timeout=120)
    group.check("with the default timeout the slow disk reads again (zeros)",
                status == 0 and f"sum /dev/sdb {SLOW_OFFSET} 4096 {fnv1a(bytes(4096)):016x}" in output,
                indent(output))
    after, listing = disk_state(shell, "sdb")
    group.check("sdb: no new timeouts with the default timeout", expect(delta(before, after)), indent(listing))


def check_dropped_doorbell(group, shell):
    offset, length, seed = HOST_PATTERN
    before, _ = disk_state(shell, "sda")
    output = shell.run("ahci drop-doorbell sda 1")
    group.check("ahci drop-doorbell sda 1 is armed", re.search(r"^sda port 0 .* drop_pending 1$", output,
                                                              re.MULTILINE), indent(output))
    output = shell.run(f"ahci timeout sda {INJECTION_TIMEOUT_MS}")
    group.check(f"ahci timeout sda {INJECTION_TIMEOUT_MS} is taken",
                re.search(rf"^sda port 0 timeout_ms {INJECTION_TIMEOUT_MS} ", output, re.MULTILINE), indent(output))
    output, status = run_program(group, shell, f"{DISKTEST} read /dev/sda {offset} {length}")
    group.check("a read with a dropped doorbell returns the host's bytes",
                status == 0 and f"sum /dev/sda {offset} {length} {fnv1a(host_bytes(length, seed)):016x}" in output,
                indent(output))
    after, listing = disk_state(shell, "sda")
    changes = delta(before, after)
    group.check("sda counters after the read: 1 dropped doorbell, 1 timeout, 1 port reset, 1 retry",
                expect(changes, dropped_doorbells=1, timeouts=1, port_resets=1, retries=1),
                f"{changes}\n{indent(listing)}")

    offset, length, seed = GUEST_WRITE
    before = after
    shell.run("ahci drop-doorbell sda 1")
    output, status = run_program(group, shell, f"{DISKTEST} write /dev/sda {offset} {length} {seed}")
    group.check("a write with a dropped doorbell succeeds and is flushed",
                status == 0 and f"wrote /dev/sda {offset} {length}" in output, indent(output))
    after, listing = disk_state(shell, "sda")
    changes = delta(before, after)
    group.check("sda counters after the write: 1 dropped doorbell, 1 timeout, 1 port reset, 1 retry",
                expect(changes, dropped_doorbells=1, timeouts=1, port_resets=1, retries=1),
                f"{changes}\n{indent(listing)}")
    output, status = run_program(group, shell, f"{DISKTEST} read /dev/sda {offset} {length}")
    group.check("the write reads back", status == 0 and f"{fnv1a(pattern(length, seed)):016x}" in output,
                indent(output))
    log = shell.run("dmesg")
    group.check("dmesg: the doorbells were dropped by fault injection",
                len(re.findall(r"ahci: sda: fault injection: doorbell of command 0x[0-9a-f]+ at LBA \d+ dropped",
                               log)) == 2, indent(log))
    group.check("dmesg: sda gave nothing up", not re.search(r"ahci: sda: .*giving up", log), indent(log))


def check_dropped_retries(group, shell):
    """Every attempt dropped: EIO after 1 + 3 attempts on a healthy disk, which works on."""
    offset, length, seed = LATE_PATTERN
    shell.run("ahci drop-doorbell sda 7")
    output = shell.run("ahci drop-doorbell sda 0")
    group.check("ahci drop-doorbell sda 0 disarms", re.search(r"^sda port 0 .* drop_pending 0$", output, re.MULTILINE),
                indent(output))
    before, _ = disk_state(shell, "sda")
    shell.run("ahci drop-doorbell sda 5")
    output, status = run_program(group, shell, f"{DISKTEST} read /dev/sda {3 * MIB} 4096")
    group.check("a read whose every attempt is dropped fails with EIO",
                status == 1 and re.search(rf"pread /dev/sda at {3 * MIB}: Input/output error", output), indent(output))
    after, listing = disk_state(shell, "sda")
    changes = delta(before, after)
    group.check("sda counters: 4 dropped doorbells, 4 timeouts, 4 port resets, 3 retries, 1 failure, 1 still armed",
                expect(changes, dropped_doorbells=4, timeouts=4, port_resets=4, retries=3, failures=1, drop_pending=1),
                f"{changes}\n{indent(listing)}")
    shell.run("ahci drop-doorbell sda 0")
    output, status = run_program(group, shell, f"{DISKTEST} read /dev/sda {offset} {length}")
    group.check("sda reads right after giving a command up",
                status == 0 and f"{fnv1a(host_bytes(length, seed)):016x}" in output, indent(output))
    shell.run(f"ahci timeout sda {DEFAULT_TIMEOUT_MS}")


def check_image(group, path):
    offset, length, seed = GUEST_WRITE
    with open(path, "rb") as image:
        image.seek(offset - 512)
        around = image.read(length + 1024)
    group.check("host: the write with the dropped doorbell landed", around[512:512 + length] == pattern(length, seed),
                f"first bytes {around[512:528].hex()}")
    group.check("host: the bytes around it are untouched", around[:512] == bytes(512) and around[-512:] == bytes(512))


def body(group):
    directory = tempfile.mkdtemp(prefix="osprey-ahci-timeout-")
    try:
        sda = os.path.join(directory, "sda.img")
        with open(sda, "wb") as image:
            image.truncate(8 * MIB)
            for offset, length, seed in (HOST_PATTERN, OTHER_PATTERN, LATE_PATTERN):
                image.seek(offset)
                image.write(host_bytes(length, seed))
        shell = group.boot(memory="256M", extra_args=qemu_arguments(sda))
        if not shell:
            return
        group.step("knob input", check_knob_input, group, shell)
        group.step("slow disk", check_slow_disk, group, shell)
        group.step("dropped doorbell", check_dropped_doorbell, group, shell)
        group.step("dropped retries", check_dropped_retries, group, shell)
        group.stop_all()
        check_image(group, sda)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    run_group("system.ahci_timeout", body, defaults={"deadline": 240.0})
