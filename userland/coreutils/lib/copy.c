// File tree copy and removal (see copy.h).
//
// A directory is created with owner rwx added to its mode, filled, then
// given its real mode, so that a read-only source directory can be copied.
// A directory is never copied into itself: the recursion skips the entry
// that is the destination directory (same device and inode) and reports it.

#include "copy.h"
#include "utility.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    CopyDepth depth;
    CopyAttributes attributes;
    dev_t top_device; // the first directory created, to refuse copying into itself
    ino_t top_inode;
    bool have_top;
    const char* top_source;
    const char* top_destination;
} CopyState;

static bool copy_any(CopyState* state, const char* source, const char* destination, const struct stat* status);

static void apply_attributes(const CopyState* state, const char* destination, const struct stat* status)
{
    if (state->attributes != CopyPreserveAttributes)
        return;
    // The owner may be refused (not root): keep going, as mv does.
    if (!S_ISLNK(status->st_mode)) {
        chown(destination, status->st_uid, status->st_gid);
        chmod(destination, status->st_mode & 07777);
    }
    struct timespec times[2] = { status->st_atim, status->st_mtim };
    utimensat(AT_FDCWD, destination, times, AT_SYMLINK_NOFOLLOW);
}

static bool copy_file(const CopyState* state, const char* source, const char* destination, const struct stat* status)
{
    int input = open(source, O_RDONLY | O_CLOEXEC);
    if (input < 0) {
        report_errno("cannot open '%s' for reading", source);
        return false;
    }
    int output = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, status->st_mode & 0777);
    if (output < 0) {
        report_errno("cannot create regular file '%s'", destination);
        close(input);
        return false;
    }
    bool failed_on_read = false;
    bool ok = copy_fd(input, output, &failed_on_read);
    if (!ok)
        report_errno("error %s '%s'", failed_on_read ? "reading" : "writing", failed_on_read ? source : destination);
    close(input);
    if (close(output) < 0 && ok) {
        report_errno("error writing '%s'", destination);
        ok = false;
    }
    apply_attributes(state, destination, status);
    return ok;
}

static bool copy_link(const CopyState* state, const char* source, const char* destination, const struct stat* status)
{
    char target[PATH_MAX];
    ssize_t length = readlink(source, target, sizeof(target) - 1);
    if (length < 0) {
        report_errno("cannot read symbolic link '%s'", source);
        return false;
    }
    target[length] = '\0';
    if (symlink(target, destination) < 0) {
        report_errno("cannot create symbolic link '%s'", destination);
        return false;
    }
    apply_attributes(state, destination, status);
    return true;
}

static bool copy_directory(CopyState* state, const char* source, const char* destination, const struct stat* status)
{
    struct stat existing;
    bool created = false;
    if (stat(destination, &existing) == 0) {
        if (!S_ISDIR(existing.st_mode)) {
            report("cannot overwrite non-directory '%s' with directory '%s'", destination, source);
            return false;
        }
    } else if (mkdir(destination, (status->st_mode & 07777) | S_IRWXU) < 0) {
        report_errno("cannot create directory '%s'", destination);
        return false;
    } else {
        created = true;
        stat(destination, &existing);
    }
    if (!state->have_top) {
        state->have_top = true;
        state->top_device = existing.st_dev;
        state->top_inode = existing.st_ino;
    }
    DIR* directory = opendir(source);
    if (!directory) {
        report_errno("cannot access '%s'", source);
        return false;
    }
    bool ok = true;
    struct dirent* entry;
    while ((entry = readdir(directory))) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char* from = NULL;
        char* to = NULL;
        if (asprintf(&from, "%s/%s", source, entry->d_name) < 0
            || asprintf(&to, "%s/%s", destination, entry->d_name) < 0) {
            free(from);
            report("out of memory");
            ok = false;
            break;
        }
        struct stat child;
        if (lstat(from, &child) < 0) {
            report_errno("cannot stat '%s'", from);
            ok = false;
        } else if (child.st_dev == state->top_device && child.st_ino == state->top_inode) {
            report("cannot copy a directory, '%s', into itself, '%s'", state->top_source, state->top_destination);
            ok = false;
        } else {
            ok = copy_any(state, from, to, &child) && ok;
        }
        free(from);
        free(to);
    }
    closedir(directory);
    if (created || state->attributes == CopyPreserveAttributes) {
        chmod(destination, status->st_mode & 07777);
        apply_attributes(state, destination, status);
    }
    return ok;
}

static bool copy_any(CopyState* state, const char* source, const char* destination, const struct stat* status)
{
    switch (status->st_mode & S_IFMT) {
    case S_IFREG:
        return copy_file(state, source, destination, status);
    case S_IFLNK:
        return copy_link(state, source, destination, status);
    case S_IFDIR:
        if (state->depth != CopyRecursive) {
            report("-r not specified; omitting directory '%s'", source);
            return false;
        }
        return copy_directory(state, source, destination, status);
    default:
        report("cannot copy special file '%s'", source);
        return false;
    }
}

bool copy_tree(const char* source, const char* destination, CopyDepth depth, CopyAttributes attributes)
{
    CopyState state
        = { .depth = depth, .attributes = attributes, .top_source = source, .top_destination = destination };
    struct stat status;
    // Without -r a symbolic link on the command line is followed.
    int result = depth == CopyRecursive ? lstat(source, &status) : stat(source, &status);
    if (result < 0) {
        report_errno("cannot stat '%s'", source);
        return false;
    }
    struct stat target;
    if (stat(destination, &target) == 0 && target.st_dev == status.st_dev && target.st_ino == status.st_ino) {
        report("'%s' and '%s' are the same file", source, destination);
        return false;
    }
    return copy_any(&state, source, destination, &status);
}

bool remove_tree(const char* path)
{
    struct stat status;
    if (lstat(path, &status) < 0) {
        report_errno("cannot remove '%s'", path);
        return false;
    }
    if (!S_ISDIR(status.st_mode)) {
        if (unlink(path) < 0) {
            report_errno("cannot remove '%s'", path);
            return false;
        }
        return true;
    }
    // Names first, removals after: a directory is not changed while it is read.
    DIR* directory = opendir(path);
    if (!directory) {
        report_errno("cannot remove '%s'", path);
        return false;
    }
    char** children = NULL;
    size_t count = 0;
    bool ok = true;
    bool out_of_memory = false;
    struct dirent* entry;
    while ((entry = readdir(directory))) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char** grown = realloc(children, (count + 1) * sizeof(char*));
        if (grown)
            children = grown;
        char* child = NULL;
        if (!grown || asprintf(&child, "%s/%s", path, entry->d_name) < 0) {
            report("out of memory");
            out_of_memory = true;
            ok = false;
            break;
        }
        children[count++] = child;
    }
    closedir(directory);
    for (size_t i = 0; i < count; ++i) {
        if (!out_of_memory) // then remove nothing
            ok = remove_tree(children[i]) && ok;
        free(children[i]);
    }
    free(children);
    if (rmdir(path) < 0) {
        report_errno("cannot remove '%s'", path);
        return false;
    }
    return ok;
}
