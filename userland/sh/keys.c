// Reading keys from a terminal in raw mode: single bytes, and the escape
// sequences terminals send for cursor and editing keys (ECMA-48 CSI
// "ESC [ params final", and the SS3 form "ESC O x" of application mode).

#include "keys.h"
#include <errno.h>
#include <unistd.h>

bool key_read_byte(int fd, unsigned char* byte)
{
    for (;;) {
        ssize_t count = read(fd, byte, 1);
        if (count == 1)
            return true;
        if (count < 0 && errno == EINTR)
            continue;
        return false;
    }
}

// After ESC: reads the rest of a CSI (ESC [ params final) or SS3 (ESC O x)
// sequence and returns a key code: 'A'..'D' arrows, 'H' home, 'F' end,
// 'X' delete, 0 for anything else.
char key_read_escape(int fd)
{
    unsigned char kind;
    unsigned char byte;
    if (!key_read_byte(fd, &kind))
        return 0;
    if (kind == 'O')
        return (char)(key_read_byte(fd, &byte) ? byte : 0);
    if (kind != '[')
        return 0;
    int parameter = 0;
    for (;;) {
        if (!key_read_byte(fd, &byte))
            return 0;
        if (byte >= '0' && byte <= '9') {
            parameter = parameter * 10 + (byte - '0');
            continue;
        }
        if (byte >= 0x40 && byte <= 0x7e)
            break;
    }
    if (byte != '~')
        return (char)byte;
    switch (parameter) {
    case 1:
    case 7:
        return 'H';
    case 4:
    case 8:
        return 'F';
    case 3:
        return 'X';
    default:
        return 0;
    }
}
