// echo [-neE] [string...]: writes the arguments separated by spaces and a
// newline. -n: no newline; -e: interpret backslash escapes (\\ \a \b \c \e
// \f \n \r \t \v \0NNN \xHH); -E: do not (the default). As GNU echo, an
// argument is an option only if it is made of those letters entirely.

#include "lib/utility.h"
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool is_option(const char* argument)
{
    return argument[0] == '-' && argument[1] && strspn(argument + 1, "neE") == strlen(argument + 1);
}

static int hex_value(char digit)
{
    if (digit >= '0' && digit <= '9')
        return digit - '0';
    if (digit >= 'a' && digit <= 'f')
        return digit - 'a' + 10;
    if (digit >= 'A' && digit <= 'F')
        return digit - 'A' + 10;
    return -1;
}

// Writes `text` with escapes interpreted. Returns false at \c (stop all output).
static bool print_escaped(const char* text)
{
    for (; *text; ++text) {
        if (*text != '\\' || !text[1]) {
            putchar(*text);
            continue;
        }
        char kind = *++text;
        int value = 0;
        switch (kind) {
        case 'a':
            putchar('\a');
            break;
        case 'b':
            putchar('\b');
            break;
        case 'c':
            return false;
        case 'e':
            putchar('\x1b');
            break;
        case 'f':
            putchar('\f');
            break;
        case 'n':
            putchar('\n');
            break;
        case 'r':
            putchar('\r');
            break;
        case 't':
            putchar('\t');
            break;
        case 'v':
            putchar('\v');
            break;
        case '\\':
            putchar('\\');
            break;
        case '0':
            for (int digits = 0; digits < 3 && text[1] >= '0' && text[1] <= '7'; ++digits)
                value = value * 8 + (*++text - '0');
            putchar(value);
            break;
        case 'x':
            if (hex_value(text[1]) < 0) {
                fputs("\\x", stdout);
                break;
            }
            for (int digits = 0; digits < 2 && hex_value(text[1]) >= 0; ++digits)
                value = value * 16 + hex_value(*++text);
            putchar(value);
            break;
        default:
            putchar('\\');
            putchar(kind);
            break;
        }
    }
    return true;
}

int main(int argc, char** argv)
{
    g_program_name = "echo";
    bool newline = true;
    bool escapes = false;
    int index = 1;
    for (; index < argc && is_option(argv[index]); ++index) {
        for (const char* letter = argv[index] + 1; *letter; ++letter) {
            if (*letter == 'n')
                newline = false;
            else if (*letter == 'e')
                escapes = true;
            else
                escapes = false;
        }
    }
    for (int i = index; i < argc; ++i) {
        if (i > index)
            putchar(' ');
        if (escapes) {
            if (!print_escaped(argv[i])) {
                newline = false;
                break;
            }
        } else {
            fputs(argv[i], stdout);
        }
    }
    if (newline)
        putchar('\n');
    if (fflush(stdout) != 0 || ferror(stdout)) {
        report_errno("write error");
        return 1;
    }
    return 0;
}
