// <strings.h>: case-insensitive comparison in the "C" locale, ffs.

#include <ctype.h>
#include <strings.h>

int strcasecmp(const char* left, const char* right)
{
    return strncasecmp(left, right, (size_t)-1);
}

int strncasecmp(const char* left, const char* right, size_t count)
{
    for (; count > 0; --count, ++left, ++right) {
        int a = tolower((unsigned char)*left);
        int b = tolower((unsigned char)*right);
        if (a != b || !a)
            return a - b;
    }
    return 0;
}

int ffs(int value)
{
    return value ? __builtin_ctz((unsigned)value) + 1 : 0;
}
