// mkdir [-p] [-m mode] directory...: creates directories. -p creates the
// missing parents too and accepts directories that already exist; -m gives
// the octal mode (default 0777 less the umask).

#include "lib/utility.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool is_directory(const char* path)
{
    struct stat status;
    return stat(path, &status) == 0 && S_ISDIR(status.st_mode);
}

// Creates every missing component of `path`.
static bool make_parents(const char* path, mode_t mode)
{
    char* copy = strdup(path);
    if (!copy) {
        report("out of memory");
        return false;
    }
    bool ok = true;
    for (char* cursor = copy;;) {
        while (*cursor == '/')
            ++cursor;
        if (!*cursor)
            break;
        char* slash = strchr(cursor, '/');
        if (slash)
            *slash = '\0';
        bool last = !slash || slash[1 + strspn(slash + 1, "/")] == '\0';
        // Intermediate directories get u+wx so the next level can be made.
        mode_t this_mode = last ? mode : (0777 | S_IWUSR | S_IXUSR);
        if (mkdir(copy, this_mode) < 0 && !(errno == EEXIST && is_directory(copy))) {
            if (errno == EEXIST && !last)
                errno = ENOTDIR;
            report_errno("cannot create directory '%s'", path);
            ok = false;
            break;
        }
        if (!slash)
            break;
        *slash = '/';
        cursor = slash + 1;
    }
    free(copy);
    return ok;
}

int main(int argc, char** argv)
{
    g_program_name = "mkdir";
    Options options;
    if (!options_parse(argc, argv, "pm:", &options))
        return 1;
    mode_t mode = 0777;
    if (options.value['m']) {
        char* end;
        unsigned long value = strtoul(options.value['m'], &end, 8);
        if (*end || !*options.value['m'] || value > 07777) {
            report("invalid mode '%s'", options.value['m']);
            return 1;
        }
        mode = (mode_t)value;
    }
    if (options.operand_count == 0) {
        report("missing operand");
        return 1;
    }
    int status = 0;
    for (int i = 0; i < options.operand_count; ++i) {
        const char* path = options.operands[i];
        if (options.set['p']) {
            if (!make_parents(path, mode))
                status = 1;
        } else if (mkdir(path, mode) < 0) {
            report_errno("cannot create directory '%s'", path);
            status = 1;
        }
        if (options.value['m'] && status == 0)
            chmod(path, mode);
    }
    return status;
}
