// rmdir [-p] directory...: removes empty directories; -p also removes each
// parent named in the path once it is empty.

#include "lib/utility.h"
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv)
{
    g_program_name = "rmdir";
    Options options;
    if (!options_parse(argc, argv, "p", &options))
        return 1;
    if (options.operand_count == 0) {
        report("missing operand");
        return 1;
    }
    int status = 0;
    for (int i = 0; i < options.operand_count; ++i) {
        char* path = options.operands[i];
        if (rmdir(path) < 0) {
            report_errno("failed to remove '%s'", path);
            status = 1;
            continue;
        }
        if (!options.set['p'])
            continue;
        // "a/b/c": then "a/b", then "a".
        for (char* slash = strrchr(path, '/'); slash && slash != path; slash = strrchr(path, '/')) {
            while (slash > path && slash[-1] == '/')
                --slash;
            *slash = '\0';
            if (rmdir(path) < 0) {
                report_errno("failed to remove '%s'", path);
                status = 1;
                break;
            }
        }
    }
    return status;
}
