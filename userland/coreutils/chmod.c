// chmod [-R] MODE FILE...: changes permission bits. MODE is octal (0755) or
// symbolic, GNU's grammar: comma-separated clauses [ugoa]*([-+=]([rwxXst]*|[ugo]))+.
// A clause without [ugoa] acts on all three but leaves the umask's bits alone.
// -R recurses into directories (symbolic links met are not followed).

#include "lib/path.h"
#include "lib/utility.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char* s_mode_text;
static bool s_recursive;
static int s_status;
static mode_t s_umask;

// Applies the mode text to `old` (the file's current mode). False on a
// malformed mode.
static bool apply_mode(const char* text, mode_t old, bool is_directory, mode_t* result)
{
    if (*text >= '0' && *text <= '7') {
        mode_t mode = 0;
        for (const char* p = text; *p; ++p) {
            if (*p < '0' || *p > '7' || p - text >= 4)
                return false;
            mode = mode * 8 + (mode_t)(*p - '0');
        }
        // GNU keeps a directory's setuid/setgid bits unless the number names them (5+ digits).
        if (is_directory && strlen(text) < 5)
            mode |= old & (S_ISUID | S_ISGID);
        *result = mode;
        return true;
    }
    mode_t mode = old & 07777;
    const char* p = text;
    for (;;) {
        mode_t who = 0;
        for (; strchr("ugoa", *p) && *p; ++p)
            who |= *p == 'u' ? 04700 : *p == 'g' ? 02070 : *p == 'o' ? 01007 : 07777;
        bool masked = who == 0;
        if (masked)
            who = 07777;
        if (!*p || !strchr("+-=", *p))
            return false;
        while (*p && strchr("+-=", *p)) {
            char op = *p++;
            mode_t bits = 0;
            if (*p && strchr("ugo", *p)) {
                // Copy another class's bits.
                mode_t source = *p == 'u' ? (mode >> 6) & 7 : *p == 'g' ? (mode >> 3) & 7 : mode & 7;
                bits = source * 0111;
                ++p;
            } else {
                for (; *p && strchr("rwxXst", *p); ++p) {
                    switch (*p) {
                    case 'r':
                        bits |= 0444;
                        break;
                    case 'w':
                        bits |= 0222;
                        break;
                    case 'x':
                        bits |= 0111;
                        break;
                    case 'X':
                        if (is_directory || (mode & 0111))
                            bits |= 0111;
                        break;
                    case 's':
                        bits |= S_ISUID | S_ISGID;
                        break;
                    case 't':
                        bits |= S_ISVTX;
                        break;
                    }
                }
            }
            bits &= who;
            if (masked)
                bits &= ~s_umask;
            if (op == '+') {
                mode |= bits;
            } else if (op == '-') {
                mode &= ~bits;
            } else {
                mode_t cleared = who & 0777 & (masked ? ~s_umask : 07777);
                if (!is_directory)
                    cleared |= who & (S_ISUID | S_ISGID);
                mode = (mode & ~cleared) | bits;
            }
        }
        if (*p == '\0')
            break;
        if (*p != ',')
            return false;
        ++p;
    }
    *result = mode;
    return true;
}

static void change_child(const char* child);

static void change(const char* path, bool top)
{
    struct stat status;
    int got = top ? stat(path, &status) : lstat(path, &status);
    if (got < 0) {
        report_errno("cannot access '%s'", path);
        s_status = 1;
        return;
    }
    if (S_ISLNK(status.st_mode))
        return; // GNU: symbolic links met in a walk are left alone
    mode_t mode;
    if (!apply_mode(s_mode_text, status.st_mode & 07777, S_ISDIR(status.st_mode), &mode)) {
        report("invalid mode: '%s'", s_mode_text);
        exit(1);
    }
    if (chmod(path, mode) < 0) {
        report_errno("changing permissions of '%s'", path);
        s_status = 1;
    }
    if (!s_recursive || !S_ISDIR(status.st_mode))
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
    g_program_name = "chmod";
    // "chmod -w file": a mode starting with '-' is not an option.
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "-R") == 0) {
        s_recursive = true;
        first = 2;
    }
    if (argc - first < 1) {
        report("missing operand");
        return 1;
    }
    s_mode_text = argv[first];
    if (argc - first < 2) {
        report("missing operand after '%s'", s_mode_text);
        return 1;
    }
    s_umask = umask(0);
    umask(s_umask);
    mode_t probe;
    if (!apply_mode(s_mode_text, 0, false, &probe)) {
        report("invalid mode: '%s'", s_mode_text);
        return 1;
    }
    for (int i = first + 1; i < argc; ++i)
        change(argv[i], true);
    return s_status;
}
