// touch [-c] file...: sets the access and modification times of each file
// to now, creating it (empty) when it does not exist, unless -c is given.

#include "lib/utility.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char** argv)
{
    g_program_name = "touch";
    Options options;
    if (!options_parse(argc, argv, "c", &options))
        return 1;
    if (options.operand_count == 0) {
        report("missing file operand");
        return 1;
    }
    int status = 0;
    for (int i = 0; i < options.operand_count; ++i) {
        const char* path = options.operands[i];
        if (utimensat(AT_FDCWD, path, NULL, 0) == 0)
            continue;
        if (errno != ENOENT) {
            report_errno("cannot touch '%s'", path);
            status = 1;
            continue;
        }
        if (options.set['c'])
            continue;
        int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0) {
            report_errno("cannot touch '%s'", path);
            status = 1;
            continue;
        }
        close(fd);
    }
    return status;
}
