// sleep NUMBER[smhd]...: pauses for the sum of the intervals. A number may
// have a fraction ("0.25"); the suffix is s (default), m, h or d.

#include "lib/utility.h"
#include <errno.h>
#include <time.h>

// Parses "12.5m" into nanoseconds. False if malformed or too long.
static bool parse_interval(const char* text, unsigned long long* nanoseconds)
{
    unsigned long long whole = 0;
    unsigned long long fraction = 0; // in nanoseconds
    const char* cursor = text;
    bool any_digit = false;
    for (; *cursor >= '0' && *cursor <= '9'; ++cursor) {
        whole = whole * 10 + (unsigned)(*cursor - '0');
        any_digit = true;
        if (whole > 1000000000ull)
            return false;
    }
    if (*cursor == '.') {
        unsigned long long scale = 100000000ull;
        for (++cursor; *cursor >= '0' && *cursor <= '9'; ++cursor) {
            fraction += (unsigned)(*cursor - '0') * scale;
            scale /= 10;
            any_digit = true;
        }
    }
    unsigned long long multiplier = 1;
    switch (*cursor) {
    case '\0':
    case 's':
        break;
    case 'm':
        multiplier = 60;
        break;
    case 'h':
        multiplier = 3600;
        break;
    case 'd':
        multiplier = 86400;
        break;
    default:
        return false;
    }
    if (!any_digit || (*cursor && cursor[1]))
        return false;
    *nanoseconds = (whole * 1000000000ull + fraction) * multiplier;
    return true;
}

int main(int argc, char** argv)
{
    g_program_name = "sleep";
    if (argc < 2) {
        report("missing operand");
        return 1;
    }
    unsigned long long total = 0;
    for (int i = 1; i < argc; ++i) {
        unsigned long long interval;
        if (!parse_interval(argv[i], &interval)) {
            report("invalid time interval '%s'", argv[i]);
            return 1;
        }
        total += interval;
    }
    struct timespec remaining = { (time_t)(total / 1000000000ull), (long)(total % 1000000000ull) };
    while (nanosleep(&remaining, &remaining) < 0) {
        if (errno != EINTR) {
            report_errno("cannot sleep");
            return 1;
        }
    }
    return 0;
}
