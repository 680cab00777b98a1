"""/bin/sh on the serial console, driven command by command, for the system
test groups that boot the default entry (init and the shell)."""

from osprey_harness import HarnessError, indent, terminal_text

# What each command is followed by: its exit status between markers.
STATUS = r"@@(\d+)@@"


class Sh:
    """/bin/sh on the serial console, driven command by command."""

    def __init__(self, qemu, timeout):
        self.qemu = qemu
        self.timeout = timeout

    def run(self, command, timeout=None):
        """Returns (output lines after the echoed command, exit status)."""
        start = len(self.qemu.raw)
        self.qemu.send(command + "; echo @@$?@@\r")
        match = self.qemu.wait_for(STATUS, timeout or self.timeout, start=start, what=f"the end of {command!r}")
        lines = terminal_text(self.qemu.raw[start:match.start()]).split("\n")
        # Output starts after the echo of what was typed: the last line holding
        # the literal marker. The line can show twice: the terminal echoes
        # typed-ahead characters before the shell reads them, then the shell's
        # line editor draws the line again after its prompt.
        echoes = [index for index, line in enumerate(lines) if "@@$?@@" in line]
        echo = echoes[-1] if echoes else 0
        return "\n".join(lines[echo + 1:]).strip("\n"), int(match.group(1))


def check_command(group, sh, command, pattern, status=0, timeout=None):
    """Runs `command`; checks its output matches `pattern` and its status. Returns the output."""
    try:
        output, actual = sh.run(command, timeout)
    except HarnessError as error:
        group.check(f"`{command}`", False, str(error))
        return ""
    group.check_regex(f"`{command}` prints /{pattern}/", pattern, output)
    group.check(f"`{command}` exits with status {status}", actual == status, f"status {actual}\n{indent(output)}")
    return output
