"""Osprey system test harness: boot the real ISO in QEMU and drive the serial console.

A test group is a small script that boots once (or a few times), runs many checks and
prints `N passed, M failed`. The harness:

  - starts QEMU exactly as a user gets it (q35, GRUB from build/osprey.iso, the
    accelerator tools/accel.sh picks) with the serial port on QEMU's stdio, which the
    harness holds as two pipes;
  - reads the serial output on a thread into one growing buffer (the raw transcript,
    also written to a log file for post-mortems);
  - types commands all at once: QEMU's 16550 model only accepts bytes while its receive
    FIFO has room and leaves the rest in the pipe, so nothing is dropped however fast
    we write (the unknown-command check with a long line in boot_512m pins this);
  - turns the byte stream into text the way a terminal shows it (a small line model
    that honours CR, LF, backspace and the cursor/erase escapes a line editor uses, and
    drops every other escape sequence, such as GRUB's full-screen menu drawing);
  - always kills QEMU: on normal exit, on any exception, on SIGTERM/SIGINT (CTest's
    timeout), and through PR_SET_PDEATHSIG if the harness itself is killed outright.

Only the Python standard library is used.
"""

import argparse
import contextlib
import ctypes
import os
import re
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
PROMPT = "kshell> "
# GRUB's menu entries (boot/grub/grub.cfg): the first runs /sbin/init, the second kshell.
MONITOR_ENTRY = "Osprey kernel monitor"
DEFAULT_ENTRY = None
KERNEL_BANNER = "Osprey x86_64 kernel"
SKIP_EXIT_CODE = 77  # CTest's SKIP_RETURN_CODE for groups that cannot run here


class HarnessError(Exception):
    """A mechanical failure: timeout, QEMU exited, no prompt."""


# --- Terminal model -------------------------------------------------------------------

_ESCAPE = re.compile(
    r"\x1b\[([0-9;?]*)([ -/]*)([@-~])"  # CSI: parameters, intermediates, final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC ... BEL or ST
    r"|\x1b[()*+][0-9A-Za-z]"  # character set selection
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
)


def terminal_text(raw):
    """Renders serial output as the lines a terminal would show.

    Handles CR (column 0), LF (new line), BS (cursor left), CSI K (erase to end of
    line), CSI n C / n D (cursor right/left); all other escapes are dropped, so GRUB's
    menu drawing degrades to harmless fragments before the kernel banner.
    """
    lines = []
    line = []
    column = 0
    position = 0
    length = len(raw)
    while position < length:
        ch = raw[position]
        if ch == "\x1b":
            match = _ESCAPE.match(raw, position)
            if not match:
                if position + 1 >= length:
                    break  # an escape still arriving
                position += 1
                continue
            position = match.end()
            final = match.group(3)
            if final is None:
                continue
            count = int(match.group(1) or "1") if match.group(1).isdigit() else 1
            if final == "K":
                mode = match.group(1) or "0"
                if mode == "0":
                    del line[column:]
                elif mode == "2":
                    line = [" "] * column
            elif final == "C":
                column += count
            elif final == "D":
                column = max(0, column - count)
            continue
        position += 1
        if ch == "\n":
            lines.append("".join(line).rstrip())
            line = []
            column = 0
        elif ch == "\r":
            column = 0
        elif ch == "\b":
            column = max(0, column - 1)
        elif ch == "\t":
            column = (column // 8 + 1) * 8
        elif ch >= " " or ord(ch) >= 0x80:
            while len(line) < column:
                line.append(" ")
            if column < len(line):
                line[column] = ch
            else:
                line.append(ch)
            column += 1
    lines.append("".join(line))
    return "\n".join(lines)


# --- QEMU -----------------------------------------------------------------------------


def _die_with_parent():
    """Runs in the QEMU child before exec: SIGKILL it when the harness dies."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except OSError:
        pass
    os.setpgrp()


def accelerator():
    script = os.path.join(SOURCE_ROOT, "tools", "accel.sh")
    try:
        return subprocess.run([script], check=True, capture_output=True, text=True).stdout.strip() or "tcg"
    except (OSError, subprocess.CalledProcessError):
        return "tcg"


class Qemu:
    """One QEMU process with the guest's COM1 on a pair of pipes."""

    def __init__(self, iso, memory="512M", extra_args=(), log_path=None, deadline=None):
        accel = accelerator()
        cpu = "host" if accel == "kvm" else "max"
        self.command = [
            "qemu-system-x86_64",
            "-machine", "q35", "-accel", accel, "-cpu", cpu, "-m", memory,
            "-cdrom", iso, "-boot", "d",
            "-display", "none", "-monitor", "none", "-serial", "stdio",
            "-no-reboot",
        ] + list(extra_args)
        self._lock = threading.Condition()
        self._raw = []  # decoded chunks
        self._raw_text = ""
        self._stderr = []
        self._log = open(log_path, "w", encoding="utf-8", errors="replace") if log_path else None
        if self._log:
            self._log.write("# " + " ".join(self.command) + "\n")
            self._log.flush()
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=_die_with_parent,
        )
        self._readers = [
            threading.Thread(target=self._read_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        self._watchdog = None
        if deadline:
            self._watchdog = threading.Timer(deadline, self.kill)
            self._watchdog.daemon = True
            self._watchdog.start()

    def _read_stdout(self):
        decoder_buffer = b""
        while True:
            try:
                chunk = os.read(self.process.stdout.fileno(), 4096)
            except OSError:
                chunk = b""
            if not chunk:
                break
            decoder_buffer += chunk
            # Keep an incomplete UTF-8 sequence for the next chunk.
            try:
                text = decoder_buffer.decode("utf-8")
                decoder_buffer = b""
            except UnicodeDecodeError as error:
                if error.start >= len(decoder_buffer) - 3 and error.reason == "unexpected end of data":
                    text = decoder_buffer[: error.start].decode("utf-8", errors="replace")
                    decoder_buffer = decoder_buffer[error.start :]
                else:
                    text = decoder_buffer.decode("utf-8", errors="replace")
                    decoder_buffer = b""
            with self._lock:
                self._raw.append(text)
                self._raw_text += text
                if self._log:
                    self._log.write(text)
                    self._log.flush()
                self._lock.notify_all()
        with self._lock:
            self._lock.notify_all()

    def _read_stderr(self):
        for line in self.process.stderr:
            with self._lock:
                self._stderr.append(line.decode("utf-8", errors="replace"))

    @property
    def raw(self):
        with self._lock:
            return self._raw_text

    @property
    def stderr(self):
        with self._lock:
            return "".join(self._stderr)

    def alive(self):
        return self.process.poll() is None

    def send(self, text, char_delay=0.0):
        """Writes keys to the guest's serial port. char_delay paces them if wanted."""
        data = text.encode("utf-8")
        try:
            if char_delay <= 0:
                self.process.stdin.write(data)
                self.process.stdin.flush()
                return
            for byte in data:
                self.process.stdin.write(bytes([byte]))
                self.process.stdin.flush()
                time.sleep(char_delay)
        except (BrokenPipeError, ValueError) as error:
            raise HarnessError(f"QEMU is gone, cannot send {text!r}: {error}") from None

    def wait_until(self, predicate, timeout, what):
        """Waits until predicate(raw_text) returns something truthy and returns it."""
        end = time.monotonic() + timeout
        with self._lock:
            while True:
                result = predicate(self._raw_text)
                if result:
                    return result
                remaining = end - time.monotonic()
                if remaining <= 0:
                    raise HarnessError(f"timed out after {timeout:.0f} s waiting for {what}")
                if self.process.poll() is not None and not self._readers[0].is_alive():
                    raise HarnessError(
                        f"QEMU exited (status {self.process.returncode}) while waiting for {what}"
                        + (f"; stderr: {''.join(self._stderr).strip()}" if self._stderr else "")
                    )
                self._lock.wait(min(remaining, 0.2))

    def wait_for(self, pattern, timeout, start=0, what=None):
        """Waits for a regex in the raw stream from offset start; returns the match."""
        regex = re.compile(pattern)
        return self.wait_until(lambda raw: regex.search(raw, start), timeout, what or repr(pattern))

    def wait_quiet(self, quiet, timeout):
        """Waits until no output arrived for `quiet` seconds (or timeout)."""
        end = time.monotonic() + timeout
        last_length = -1
        last_change = time.monotonic()
        while time.monotonic() < end:
            length = len(self.raw)
            if length != last_length:
                last_length = length
                last_change = time.monotonic()
            elif time.monotonic() - last_change >= quiet:
                return
            if not self.alive():
                return
            time.sleep(0.05)

    def kill(self):
        if self.process.poll() is None:
            try:
                self.process.kill()
            except OSError:
                pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.process.stdin,):
            with contextlib.suppress(OSError, ValueError):
                stream.close()
        if self._watchdog:
            self._watchdog.cancel()

    def close(self):
        self.kill()
        for reader in self._readers:
            reader.join(timeout=5)
        if self._log:
            with self._lock:
                self._log.close()
                self._log = None


class Kshell:
    """The kernel monitor on a booted Qemu."""

    def __init__(self, qemu, command_timeout=15.0):
        self.qemu = qemu
        self.command_timeout = command_timeout
        self._desynchronized = False
        self._unresponsive = False

    def wait_for_prompt(self, timeout):
        self.qemu.wait_for(re.escape(PROMPT), timeout, what=f"the first {PROMPT!r} prompt")

    def kernel_output(self):
        """Everything since the kernel's banner, as a terminal shows it."""
        raw = self.qemu.raw
        banner = raw.find(KERNEL_BANNER)
        return terminal_text(raw[banner:] if banner >= 0 else raw)

    def run(self, keys, timeout=None):
        """Types keys plus Enter at the prompt and returns the output up to the next prompt.

        The first rendered line (the prompt and the echo of what was typed, whatever the
        line editor drew while we typed) is dropped; the result is the command's lines.
        """
        timeout = timeout or self.command_timeout
        if self._unresponsive:
            raise HarnessError(f"not typing {keys!r}: kshell stopped answering earlier")
        if self._desynchronized:
            self._resynchronize()
        raw = self.qemu.raw
        start = raw.rfind(PROMPT)
        if start < 0:
            raise HarnessError("no prompt to type at")
        self.qemu.send(keys + "\r")

        def finished(raw_text):
            lines = terminal_text(raw_text[start:]).split("\n")
            for index in range(1, len(lines)):
                if lines[index].startswith(PROMPT):
                    return lines[1:index]
            return None

        try:
            lines = self.qemu.wait_until(finished, timeout, f"the prompt after {keys!r}")
        except HarnessError:
            self._desynchronized = True
            raise
        return "\n".join(lines)

    def _resynchronize(self):
        """After a command timed out: press Enter and wait for a fresh prompt."""
        self._desynchronized = False
        start = len(self.qemu.raw)
        self.qemu.send("\r")
        try:
            self.qemu.wait_for(re.escape(PROMPT), self.command_timeout, start=start, what="a prompt to resynchronize")
        except HarnessError:
            # Give up on this boot: the remaining steps fail at once instead of each timing out.
            self._unresponsive = True
            raise


# --- Checks and groups ----------------------------------------------------------------


class Group:
    """Records checks, prints them as they happen and a summary at the end."""

    def __init__(self, name, args):
        self.name = name
        self.args = args
        self.passed = 0
        self.failed = 0
        self._qemus = []

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"PASS  {name}", flush=True)
        else:
            self.failed += 1
            separator = ":\n" if "\n" in detail or detail.startswith("    |") else ": "
            print(f"FAIL  {name}" + (separator + detail if detail else ""), flush=True)
        return bool(condition)

    def check_regex(self, name, pattern, text, flags=re.MULTILINE):
        """Checks that pattern occurs in text; returns the match (or None)."""
        match = re.search(pattern, text, flags)
        self.check(name, match, f"no match for /{pattern}/ in:\n{indent(text)}")
        return match

    def step(self, name, function, *args):
        """Runs a block of checks; a harness error inside it is one failure, not a crash."""
        try:
            return function(*args)
        except HarnessError as error:
            self.check(name, False, str(error))
            return None

    def boot(self, memory=None, extra_args=(), tag=None, wait_for_prompt=True, entry=MONITOR_ENTRY):
        """Starts QEMU on the ISO; with wait_for_prompt, waits for kshell's prompt.

        entry=MONITOR_ENTRY (the default) picks GRUB's "Osprey kernel monitor" entry
        (Down and Enter in the menu), since the first entry runs /sbin/init;
        entry=DEFAULT_ENTRY lets GRUB boot its default entry untouched.
        """
        label = self.name + (f".{tag}" if tag else "")
        log_path = os.path.join(self.args.log_dir, label + ".log") if self.args.log_dir else None
        qemu = Qemu(
            self.args.iso,
            memory=memory or self.args.memory,
            extra_args=extra_args,
            log_path=log_path,
            deadline=self.args.deadline,
        )
        self._qemus.append(qemu)
        shell = Kshell(qemu, command_timeout=self.args.command_timeout)
        if entry == MONITOR_ENTRY:
            try:
                # GRUB draws the whole menu before its 1 s countdown starts; any key stops it.
                qemu.wait_for(re.escape(MONITOR_ENTRY), self.args.boot_timeout, what="GRUB's menu")
                qemu.send("\x1b[B\r")
            except HarnessError as error:
                self.check("GRUB's menu offers the monitor entry", False,
                           f"{error}\n--- serial output (last lines) ---\n{tail(terminal_text(qemu.raw))}")
                return None
        if wait_for_prompt:
            try:
                shell.wait_for_prompt(self.args.boot_timeout)
                self.check(f"boot ({memory or self.args.memory}) reaches the kshell prompt", True)
            except HarnessError as error:
                self.check(f"boot ({memory or self.args.memory}) reaches the kshell prompt", False,
                           f"{error}\n--- serial output (last lines) ---\n{tail(terminal_text(qemu.raw))}")
                return None
        return shell

    def stop_all(self):
        for qemu in self._qemus:
            qemu.close()
        self._qemus = []

    def finish(self):
        self.stop_all()
        print(f"{self.name}: {self.passed} passed, {self.failed} failed", flush=True)
        return 1 if self.failed or not self.passed else 0


def indent(text, prefix="    | "):
    return "\n".join(prefix + line for line in text.split("\n"))


def tail(text, count=25):
    return "\n".join(text.rstrip().split("\n")[-count:])


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


def run_group(name, body, argv=None, defaults=None):
    """Parses the common options, runs body(group) and exits with the group's status."""
    defaults = defaults or {}
    parser = argparse.ArgumentParser(description=f"Osprey system test group {name}")
    parser.add_argument("--iso", default=os.path.join(SOURCE_ROOT, "build", "osprey.iso"))
    parser.add_argument("--memory", default=defaults.get("memory", "512M"))
    parser.add_argument("--boot-timeout", type=float, default=defaults.get("boot_timeout", 90.0),
                        help="seconds from QEMU start to the first prompt")
    parser.add_argument("--command-timeout", type=float, default=15.0)
    parser.add_argument("--deadline", type=float, default=defaults.get("deadline", 240.0),
                        help="hard limit in seconds for each QEMU process")
    parser.add_argument("--log-dir", default=None, help="write each boot's raw serial output here")
    args = parser.parse_args(argv)
    if not os.path.isfile(args.iso):
        print(f"{name}: {args.iso} does not exist; build it with `make build`", flush=True)
        print(f"{name}: 0 passed, 1 failed", flush=True)
        sys.exit(1)
    if args.log_dir:
        os.makedirs(args.log_dir, exist_ok=True)
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, _terminate)
    group = Group(name, args)
    status = 1
    try:
        body(group)
    except HarnessError as error:
        group.check("harness", False, str(error))
    finally:
        status = group.finish()
    sys.exit(status)
