// sync [file...]: without operands, writes every filesystem's dirty data
// back (sync(2)); with them, makes each named file durable (fsync(2)), as
// GNU sync does.

#include "lib/utility.h"
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char** argv)
{
    g_program_name = "sync";
    Options options;
    if (!options_parse(argc, argv, "", &options))
        return 1;
    if (options.operand_count == 0) {
        sync();
        return 0;
    }
    int status = 0;
    for (int i = 0; i < options.operand_count; ++i) {
        const char* path = options.operands[i];
        int fd = open(path, O_RDONLY | O_NONBLOCK);
        if (fd < 0) {
            report_errno("error opening '%s'", path);
            status = 1;
            continue;
        }
        if (fsync(fd) < 0) {
            report_errno("error syncing '%s'", path);
            status = 1;
        }
        close(fd);
    }
    return status;
}
