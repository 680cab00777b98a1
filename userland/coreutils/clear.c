// clear: clears the terminal (ANSI: cursor home, erase the screen and the
// scrollback) by writing the escape sequence to stdout.

#include "lib/utility.h"
#include <unistd.h>

int main(void)
{
    g_program_name = "clear";
    static const char sequence[] = "\x1b[H\x1b[2J\x1b[3J";
    if (!write_all(STDOUT_FILENO, sequence, sizeof(sequence) - 1)) {
        report_errno("write error");
        return 1;
    }
    return 0;
}
