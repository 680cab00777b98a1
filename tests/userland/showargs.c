// showargs: prints each argument in brackets on one line ("[a] [b c] []"),
// so the shell tests can see exactly how words were split and quoted.

#include <stdio.h>

int main(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
        printf("%s[%s]", i > 1 ? " " : "", argv[i]);
    putchar('\n');
    return 0;
}
