// ln [-s] [-f] target [link_name] / ln [-s] [-f] target... directory:
// makes hard links (or symbolic links with -s). With one operand the link is
// made in the current directory under the target's last component; when the
// last operand is a directory the links go inside it. -f replaces existing
// files.

#include "lib/path.h"
#include "lib/utility.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool make_link(const char* target, const char* link_path, bool symbolic, bool force)
{
    if (force) {
        struct stat status;
        if (lstat(link_path, &status) == 0 && !S_ISDIR(status.st_mode))
            unlink(link_path);
    }
    int result = symbolic ? symlink(target, link_path) : link(target, link_path);
    if (result < 0) {
        if (symbolic)
            report_errno("failed to create symbolic link '%s'", link_path);
        else if (errno == ENOENT && access(target, F_OK) < 0)
            report_errno("failed to access '%s'", target);
        else
            report_errno("failed to create hard link '%s' => '%s'", link_path, target);
        return false;
    }
    return true;
}

int main(int argc, char** argv)
{
    g_program_name = "ln";
    Options options;
    if (!options_parse(argc, argv, "sf", &options))
        return 1;
    bool symbolic = options.set['s'];
    bool force = options.set['f'];
    int count = options.operand_count;
    if (count == 0) {
        report("missing file operand");
        return 1;
    }
    const char* last = options.operands[count - 1];
    bool into_directory = count > 1 && path_is_directory(last);
    if (count == 1 || into_directory) {
        int targets = count == 1 ? 1 : count - 1;
        int exit_status = 0;
        for (int i = 0; i < targets; ++i) {
            char* link_path = count == 1 ? path_base_name(options.operands[i]) : path_inside(last, options.operands[i]);
            if (!make_link(options.operands[i], link_path, symbolic, force))
                exit_status = 1;
            free(link_path);
        }
        return exit_status;
    }
    if (count > 2) {
        report("target '%s' is not a directory", last);
        return 1;
    }
    return make_link(options.operands[0], last, symbolic, force) ? 0 : 1;
}
