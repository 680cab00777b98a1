// rm [-r] [-f] file...: removes files; -r (or -R) removes directories and
// their contents; -f ignores missing files and never fails for them.
// "/" is never removed recursively.

#include "lib/copy.h"
#include "lib/utility.h"
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char** argv)
{
    g_program_name = "rm";
    Options options;
    if (!options_parse(argc, argv, "rRfi", &options))
        return 1;
    bool recursive = options.set['r'] || options.set['R'];
    bool force = options.set['f'];
    if (options.operand_count == 0 && !force) {
        report("missing operand");
        return 1;
    }
    int status = 0;
    for (int i = 0; i < options.operand_count; ++i) {
        const char* path = options.operands[i];
        const char* base = strrchr(path, '/');
        base = base && base[1] ? base + 1 : path;
        if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
            report("refusing to remove '.' or '..' directory: skipping '%s'", path);
            status = 1;
            continue;
        }
        struct stat information;
        if (lstat(path, &information) < 0) {
            if (!(force && errno == ENOENT)) {
                report_errno("cannot remove '%s'", path);
                status = 1;
            }
            continue;
        }
        if (S_ISDIR(information.st_mode)) {
            if (!recursive) {
                errno = EISDIR;
                report_errno("cannot remove '%s'", path);
                status = 1;
            } else if (strspn(path, "/") == strlen(path)) {
                report("it is dangerous to operate recursively on '/'");
                status = 1;
            } else if (!remove_tree(path)) {
                status = 1;
            }
            continue;
        }
        if (unlink(path) < 0) {
            report_errno("cannot remove '%s'", path);
            status = 1;
        }
    }
    return status;
}
