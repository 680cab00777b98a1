// umount target...: unmounts the filesystem mounted on each target.

#include "lib/utility.h"
#include <errno.h>
#include <string.h>
#include <sys/mount.h>

int main(int argc, char** argv)
{
    g_program_name = "umount";
    Options options;
    if (!options_parse(argc, argv, "", &options))
        return 1;
    if (options.operand_count == 0) {
        report("bad usage");
        return 1;
    }
    int status = 0;
    for (int i = 0; i < options.operand_count; ++i) {
        const char* target = options.operands[i];
        if (umount2(target, 0) == 0)
            continue;
        status = 32; // util-linux: mount failure
        if (errno == EINVAL)
            report("%s: not mounted.", target);
        else if (errno == EBUSY)
            report("%s: target is busy.", target);
        else
            report_errno("%s", target);
    }
    return status;
}
