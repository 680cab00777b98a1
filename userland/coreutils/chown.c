// chown [-R] [-h] OWNER[:GROUP] FILE... (or :GROUP): changes the owner and
// group. Owners and groups are numbers (there is no user database). -h
// changes symbolic links themselves; -R recurses into directories without
// following symbolic links (GNU's -P).

#include "lib/path.h"
#include "lib/utility.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uid_t s_owner = (uid_t)-1;
static gid_t s_group = (gid_t)-1;
static Options s_options;
static int s_status;

static bool parse_id(const char* text, unsigned* result)
{
    unsigned long long value;
    if (!parse_count(text, &value) || value >= 0xffffffffull)
        return false;
    *result = (unsigned)value;
    return true;
}

static void change_child(const char* child);

static void change(const char* path, bool top)
{
    bool no_follow = s_options.set['h'] || !top;
    int result = no_follow ? lchown(path, s_owner, s_group) : chown(path, s_owner, s_group);
    if (result < 0) {
        report_errno("%s '%s'", access(path, F_OK) == 0 || no_follow ? "changing ownership of" : "cannot access", path);
        s_status = 1;
    }
    if (!s_options.set['R'])
        return;
    struct stat status;
    if (lstat(path, &status) < 0 || !S_ISDIR(status.st_mode))
        return;
    if (!path_visit_children(path, change_child)) {
        report_errno("cannot read directory '%s'", path);
        s_status = 1;
    }
}

static void change_child(const char* child)
{
    change(child, false);
}

int main(int argc, char** argv)
{
    g_program_name = "chown";
    if (!options_parse(argc, argv, "Rh", &s_options))
        return 1;
    if (s_options.operand_count < 1) {
        report("missing operand");
        return 1;
    }
    if (s_options.operand_count < 2) {
        report("missing operand after '%s'", s_options.operands[0]);
        return 1;
    }
    char* spec = s_options.operands[0];
    char* colon = strchr(spec, ':');
    if (colon)
        *colon = '\0';
    unsigned id;
    if (*spec) {
        if (!parse_id(spec, &id)) {
            report("invalid user: '%s'", s_options.operands[0]);
            return 1;
        }
        s_owner = id;
    }
    if (colon && colon[1]) {
        if (!parse_id(colon + 1, &id)) {
            report("invalid group: '%s'", colon + 1);
            return 1;
        }
        s_group = id;
    }
    for (int i = 1; i < s_options.operand_count; ++i)
        change(s_options.operands[i], true);
    return s_status;
}
