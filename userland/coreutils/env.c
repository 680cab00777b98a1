// env [-i] [-u name]... [name=value]... [command [argument...]]: runs a
// command in a modified environment, or prints the environment. -i starts
// from an empty one, -u removes a variable. Options end at the first operand,
// so the command's own options are left alone.
// Exit status: the command's; 125 for env's own errors, 126 if the command
// cannot run, 127 if it is not found.

#include "lib/utility.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv)
{
    g_program_name = "env";
    int index = 1;
    for (; index < argc && argv[index][0] == '-'; ++index) {
        const char* option = argv[index];
        if (strcmp(option, "--") == 0) {
            ++index;
            break;
        }
        if (strcmp(option, "-i") == 0 || strcmp(option, "-") == 0) {
            clearenv();
        } else if (strcmp(option, "-u") == 0 || strncmp(option, "-u", 2) == 0) {
            const char* name = option[2] ? option + 2 : (index + 1 < argc ? argv[++index] : NULL);
            if (!name) {
                report("option requires an argument -- 'u'");
                return 125;
            }
            if (unsetenv(name) < 0) {
                report_errno("cannot unset '%s'", name);
                return 125;
            }
        } else {
            report("invalid option -- '%s'", option + 1);
            return 125;
        }
    }
    for (; index < argc && strchr(argv[index], '='); ++index) {
        if (putenv(argv[index]) < 0) {
            report_errno("cannot set '%s'", argv[index]);
            return 125;
        }
    }
    if (index == argc) {
        for (char** entry = environ; entry && *entry; ++entry)
            printf("%s\n", *entry);
        return fflush(stdout) == 0 ? 0 : 125;
    }
    execvp(argv[index], argv + index);
    int error = errno;
    report_errno("'%s'", argv[index]);
    return error == ENOENT ? 127 : 126;
}
