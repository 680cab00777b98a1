// ls [-la1dA] [file...]: lists directory contents, sorted by name (byte
// order). -a shows entries starting with '.', -A too but not . and ..; -d
// lists directories themselves; -1 one name per line (the default when stdout
// is not a terminal; on a terminal names go in columns).
//
// -l gives GNU's `ls -ln` format, numeric owner and group (Osprey has no user
// database), so tests can compare it with the host's output:
//   total <1 KiB blocks>
//   <mode> <links> <uid> <gid> <size or major, minor> <mtime> <name>[ -> target]
// where the numeric columns are right-aligned to the widest entry and mtime
// is "Mon dd HH:MM" within the last six months, "Mon dd  YYYY" otherwise.

#include "lib/utility.h"
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SIX_MONTHS_SECONDS (31556952 / 2) // GNU ls: half a Gregorian year

typedef struct {
    char* name; // as shown
    char* path; // to stat and readlink
    struct stat status;
} Entry;

typedef struct {
    bool all;
    bool almost_all;
    bool long_format;
    bool one_per_line;
    bool directories_as_files;
} LsOptions;

static int compare_entries(const void* left, const void* right)
{
    return strcmp(((const Entry*)left)->name, ((const Entry*)right)->name);
}

static int digits(unsigned long long value)
{
    int count = 1;
    for (; value >= 10; value /= 10)
        ++count;
    return count;
}

static unsigned device_major(dev_t device)
{
    return (unsigned)(((device >> 8) & 0xfff) | ((device >> 32) & ~0xfffu));
}

static unsigned device_minor(dev_t device)
{
    return (unsigned)((device & 0xff) | ((device >> 12) & ~0xffu));
}

static bool is_device(const struct stat* status)
{
    return S_ISCHR(status->st_mode) || S_ISBLK(status->st_mode);
}

static void format_time(time_t when, char* buffer, size_t size)
{
    time_t now = time(NULL);
    struct tm broken_down;
    gmtime_r(&when, &broken_down);
    bool recent = when > now - SIX_MONTHS_SECONDS && when <= now;
    strftime(buffer, size, recent ? "%b %e %H:%M" : "%b %e  %Y", &broken_down);
}

// Column widths come from `sizing` (GNU ls sizes the list of command-line
// files by all the operands, directories included).
static void print_long(Entry* entries, size_t count, const Entry* sizing, size_t sizing_count)
{
    int links_width = 1, uid_width = 1, gid_width = 1, size_width = 1, major_width = 0, minor_width = 0;
    for (size_t i = 0; i < sizing_count; ++i) {
        const struct stat* status = &sizing[i].status;
        links_width = digits(status->st_nlink) > links_width ? digits(status->st_nlink) : links_width;
        uid_width = digits(status->st_uid) > uid_width ? digits(status->st_uid) : uid_width;
        gid_width = digits(status->st_gid) > gid_width ? digits(status->st_gid) : gid_width;
        if (is_device(status)) {
            int major = digits(device_major(status->st_rdev));
            int minor = digits(device_minor(status->st_rdev));
            major_width = major > major_width ? major : major_width;
            minor_width = minor > minor_width ? minor : minor_width;
        } else {
            int size = digits((unsigned long long)status->st_size);
            size_width = size > size_width ? size : size_width;
        }
    }
    if (major_width && major_width + 2 + minor_width > size_width)
        size_width = major_width + 2 + minor_width;
    for (size_t i = 0; i < count; ++i) {
        const struct stat* status = &entries[i].status;
        char mode[11];
        mode_string(status->st_mode, mode);
        char size[48];
        if (is_device(status)) {
            snprintf(size, sizeof(size), "%*u, %*u", major_width, device_major(status->st_rdev), minor_width,
                device_minor(status->st_rdev));
        } else {
            snprintf(size, sizeof(size), "%lld", (long long)status->st_size);
        }
        char when[32];
        format_time(status->st_mtim.tv_sec, when, sizeof(when));
        printf("%s %*lu %*u %*u %*s %s %s", mode, links_width, (unsigned long)status->st_nlink, uid_width,
            status->st_uid, gid_width, status->st_gid, size_width, size, when, entries[i].name);
        if (S_ISLNK(status->st_mode)) {
            char target[PATH_MAX];
            ssize_t length = readlink(entries[i].path, target, sizeof(target) - 1);
            if (length >= 0) {
                target[length] = '\0';
                printf(" -> %s", target);
            }
        }
        putchar('\n');
    }
}

static void print_columns(const Entry* entries, size_t count)
{
    struct winsize window;
    unsigned width = ioctl(STDOUT_FILENO, TIOCGWINSZ, &window) == 0 && window.ws_col ? window.ws_col : 80;
    size_t widest = 1;
    for (size_t i = 0; i < count; ++i) {
        size_t length = strlen(entries[i].name);
        widest = length > widest ? length : widest;
    }
    size_t column_width = widest + 2;
    size_t columns = width / column_width ? width / column_width : 1;
    size_t rows = (count + columns - 1) / columns;
    for (size_t row = 0; row < rows; ++row) {
        for (size_t column = 0; column < columns; ++column) {
            size_t index = column * rows + row;
            if (index >= count)
                break;
            bool last = index + rows >= count || column + 1 == columns;
            printf("%-*s", last ? 0 : (int)column_width, entries[index].name);
        }
        putchar('\n');
    }
}

static void print_entries(
    Entry* entries, size_t count, const LsOptions* options, const Entry* sizing, size_t sizing_count)
{
    qsort(entries, count, sizeof(Entry), compare_entries);
    if (options->long_format)
        print_long(entries, count, sizing ? sizing : entries, sizing ? sizing_count : count);
    else if (options->one_per_line)
        for (size_t i = 0; i < count; ++i)
            printf("%s\n", entries[i].name);
    else
        print_columns(entries, count);
}

static void free_entries(Entry* entries, size_t count)
{
    for (size_t i = 0; i < count; ++i) {
        free(entries[i].name);
        free(entries[i].path);
    }
    free(entries);
}

// Lists one directory; false (after reporting) if it cannot be read.
static bool list_directory(const char* path, const LsOptions* options)
{
    DIR* directory = opendir(path);
    if (!directory) {
        report_errno("cannot open directory '%s'", path);
        return false;
    }
    Entry* entries = NULL;
    size_t count = 0;
    unsigned long long blocks = 0;
    bool ok = true;
    struct dirent* item;
    while ((item = readdir(directory))) {
        const char* name = item->d_name;
        bool dotted = name[0] == '.';
        bool dot_or_dot_dot = strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
        if (dotted && !options->all && !(options->almost_all && !dot_or_dot_dot))
            continue;
        Entry* grown = realloc(entries, (count + 1) * sizeof(Entry));
        if (!grown) {
            report("out of memory");
            ok = false;
            break;
        }
        entries = grown;
        Entry* entry = &entries[count];
        entry->name = strdup(name);
        if (!entry->name || asprintf(&entry->path, "%s/%s", path, name) < 0) {
            free(entry->name);
            report("out of memory");
            ok = false;
            break;
        }
        ++count;
        if (options->long_format) {
            if (lstat(entry->path, &entry->status) < 0) {
                report_errno("cannot access '%s'", entry->path);
                memset(&entry->status, 0, sizeof(entry->status));
                ok = false;
            }
            blocks += (unsigned long long)entry->status.st_blocks;
        }
    }
    closedir(directory);
    if (options->long_format)
        printf("total %llu\n", (blocks + 1) / 2);
    print_entries(entries, count, options, NULL, 0);
    free_entries(entries, count);
    return ok;
}

int main(int argc, char** argv)
{
    g_program_name = "ls";
    Options parsed;
    if (!options_parse(argc, argv, "laA1d", &parsed))
        return 2;
    LsOptions options = {
        .all = parsed.set['a'],
        .almost_all = parsed.set['A'],
        .long_format = parsed.set['l'],
        .one_per_line = parsed.set['1'] || !isatty(STDOUT_FILENO),
        .directories_as_files = parsed.set['d'],
    };
    static char* dot[] = { "." };
    char** operands = parsed.operand_count ? parsed.operands : dot;
    size_t operand_count = parsed.operand_count ? (size_t)parsed.operand_count : 1;

    // Files first (one listing), then each directory.
    Entry* files = calloc(operand_count, sizeof(Entry));
    Entry* directories = calloc(operand_count, sizeof(Entry));
    if (!files || !directories) {
        report("out of memory");
        return 2;
    }
    Entry* operand_entries = calloc(operand_count, sizeof(Entry)); // every operand, for column widths
    if (!operand_entries) {
        report("out of memory");
        return 2;
    }
    size_t file_count = 0;
    size_t directory_count = 0;
    size_t operand_entry_count = 0;
    int status = 0;
    for (size_t i = 0; i < operand_count; ++i) {
        struct stat information;
        // With -l or -d a symbolic link is shown as such, otherwise followed.
        bool follow = !options.long_format && !options.directories_as_files;
        int result = follow ? stat(operands[i], &information) : lstat(operands[i], &information);
        if (result < 0 && follow)
            result = lstat(operands[i], &information);
        if (result < 0) {
            report_errno("cannot access '%s'", operands[i]);
            status = 2;
            continue;
        }
        bool as_directory = S_ISDIR(information.st_mode) && !options.directories_as_files;
        Entry* entry = as_directory ? &directories[directory_count++] : &files[file_count++];
        entry->name = strdup(operands[i]);
        entry->path = strdup(operands[i]);
        entry->status = information;
        operand_entries[operand_entry_count++].status = information;
        if (!entry->name || !entry->path) {
            report("out of memory");
            return 2;
        }
    }
    if (file_count)
        print_entries(files, file_count, &options, operand_entries, operand_entry_count);
    qsort(directories, directory_count, sizeof(Entry), compare_entries);
    bool headers = operand_count > 1 || status != 0;
    for (size_t i = 0; i < directory_count; ++i) {
        if (file_count || i > 0)
            putchar('\n');
        if (headers)
            printf("%s:\n", directories[i].name);
        if (!list_directory(directories[i].path, &options))
            status = 2;
    }
    free_entries(files, file_count);
    free_entries(directories, directory_count);
    free(operand_entries);
    if (fflush(stdout) != 0) {
        report_errno("write error");
        status = 2;
    }
    return status;
}
