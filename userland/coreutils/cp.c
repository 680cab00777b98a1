// cp [-r] source destination / cp [-r] source... directory: copies files;
// -r (or -R) copies directories recursively (symbolic links inside are
// copied as links); -p keeps modes, owners and times.

#include "lib/copy.h"
#include "lib/path.h"
#include "lib/utility.h"
#include <stdlib.h>

int main(int argc, char** argv)
{
    g_program_name = "cp";
    Options options;
    if (!options_parse(argc, argv, "rRpf", &options))
        return 1;
    CopyDepth depth = options.set['r'] || options.set['R'] ? CopyRecursive : CopyTopOnly;
    CopyAttributes attributes = options.set['p'] ? CopyPreserveAttributes : CopyNewAttributes;
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
        const char* source = options.operands[i];
        char* target = into_directory ? path_inside(destination, source) : NULL;
        if (!copy_tree(source, target ? target : destination, depth, attributes))
            status = 1;
        free(target);
    }
    return status;
}
