// mv source destination / mv source... directory: renames files and
// directories. Across file systems (rename fails with EXDEV) the source is
// copied with its attributes and then removed.

#include "lib/copy.h"
#include "lib/path.h"
#include "lib/utility.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static bool move(const char* source, const char* destination)
{
    struct stat status;
    if (lstat(source, &status) < 0) {
        report_errno("cannot stat '%s'", source);
        return false;
    }
    if (rename(source, destination) == 0)
        return true;
    if (errno == EINVAL) {
        report("cannot move '%s' to a subdirectory of itself, '%s'", source, destination);
        return false;
    }
    if (errno != EXDEV) {
        report_errno("cannot move '%s' to '%s'", source, destination);
        return false;
    }
    struct stat existing;
    if (lstat(destination, &existing) == 0 && !S_ISDIR(existing.st_mode) && unlink(destination) < 0) {
        report_errno("cannot remove '%s'", destination);
        return false;
    }
    if (!copy_tree(source, destination, CopyRecursive, CopyPreserveAttributes))
        return false;
    return remove_tree(source);
}

int main(int argc, char** argv)
{
    g_program_name = "mv";
    Options options;
    if (!options_parse(argc, argv, "f", &options))
        return 1;
    int count = options.operand_count;
    if (count == 0) {
        report("missing file operand");
        return 1;
    }
    if (count == 1) {
        report("missing destination file operand after '%s'", options.operands[0]);
        return 1;
    }
    const char* destination = options.operands[count - 1];
    bool into_directory = path_is_directory(destination);
    if (count > 2 && !into_directory) {
        report("target '%s' is not a directory", destination);
        return 1;
    }
    int status = 0;
    for (int i = 0; i < count - 1; ++i) {
        char* target = into_directory ? path_inside(destination, options.operands[i]) : NULL;
        if (!move(options.operands[i], target ? target : destination))
            status = 1;
        free(target);
    }
    return status;
}
