// hello: the first ring-3 program. Prints a greeting and its arguments;
// `hello status <n>` exits with status n, so the exit path is checked too.
#include "runtime.h"

static int parse_number(const char* text)
{
    int value = 0;
    while (*text >= '0' && *text <= '9')
        value = value * 10 + (*text++ - '0');
    return value;
}

int main(int argc, char** argv)
{
    out("Hello from ring 3!\n");
    out("argc=%d\n", argc);
    for (int i = 0; i < argc; ++i)
        out("argv[%d]=%s\n", i, argv[i]);
    if (argc == 3 && string_equal(argv[1], "status"))
        return parse_number(argv[2]);
    return 0;
}
