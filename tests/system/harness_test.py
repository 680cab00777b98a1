#!/usr/bin/env python3
"""Host checks of the harness's terminal model (no QEMU): the byte sequences a line
editor and GRUB send must render as the text a terminal shows."""
import unittest

from osprey_harness import terminal_text


class TerminalTextTest(unittest.TestCase):
    def test_crlf_lines(self):
        self.assertEqual(terminal_text("a\r\nb\r\n"), "a\nb\n")

    def test_backspace_erase(self):
        self.assertEqual(terminal_text("kshell> hepl\b \b\b \blp"), "kshell> help")

    def test_cursor_left_insert_and_erase_to_end(self):
        # Typing "hlp", Left twice, insert "e": the editor echoes "elp" then moves back 2.
        self.assertEqual(terminal_text("hlp\x1b[2De" + "lp\x1b[2D"), "help")
        self.assertEqual(terminal_text("uptime\x1b[6D\x1b[Khelp"), "help")

    def test_history_redraw_with_carriage_return(self):
        self.assertEqual(terminal_text("kshell> junk\r\x1b[Kkshell> help\r\n"), "kshell> help\n")

    def test_other_escapes_dropped(self):
        self.assertEqual(terminal_text("\x1b[0;30;47m*Osprey\x1b[m\x1b[?25h\x1b[2J\x1b[05;03Hx"), "*Ospreyx")

    def test_incomplete_escape_at_end_is_held(self):
        self.assertEqual(terminal_text("abc\x1b"), "abc")


if __name__ == "__main__":
    unittest.main()
