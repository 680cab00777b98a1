#pragma once

// Key input for the line editor (see keys.c).

#include <stdbool.h>

// Reads one byte, retrying after signals. False at end of input or on error.
bool key_read_byte(int fd, unsigned char* byte);
// After an ESC byte: reads the rest of the sequence and returns a key code:
// 'A'..'D' for the arrows, 'H' home, 'F' end, 'X' delete, 0 for anything else.
char key_read_escape(int fd);
