// du [-a] [-s] [-b] [-h] [file...]: disk usage of each file, summed over
// directories, in 1K blocks (bytes with -b, the apparent size; K/M/G with
// -h). Directories are listed after their contents; -a lists files too, -s
// only the operands. A file with several hard links counts once. Symbolic
// links are not followed.

#include "lib/utility.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    dev_t device;
    ino_t inode;
} Seen;

static Seen* s_seen;
static size_t s_seen_count;
static size_t s_seen_capacity;
static Options s_options;
static int s_status;

// True the first time a multiply-linked file is met.
static bool first_visit(const struct stat* status)
{
    if (S_ISDIR(status->st_mode) || status->st_nlink < 2)
        return true;
    for (size_t i = 0; i < s_seen_count; ++i) {
        if (s_seen[i].device == status->st_dev && s_seen[i].inode == status->st_ino)
            return false;
    }
    if (s_seen_count == s_seen_capacity) {
        size_t capacity = s_seen_capacity ? s_seen_capacity * 2 : 64;
        Seen* grown = realloc(s_seen, capacity * sizeof(Seen));
        if (!grown) {
            report("memory exhausted");
            exit(1);
        }
        s_seen = grown;
        s_seen_capacity = capacity;
    }
    s_seen[s_seen_count++] = (Seen) { status->st_dev, status->st_ino };
    return true;
}

static void print_usage(unsigned long long amount, const char* path)
{
    if (s_options.set['b']) {
        printf("%llu\t%s\n", amount, path);
    } else if (s_options.set['h']) {
        static const char units[] = "KMGTPE";
        unsigned long long bytes = amount * 512;
        if (bytes < 1024) {
            printf("%llu\t%s\n", bytes, path);
            return;
        }
        double value = (double)bytes;
        int unit = -1;
        while (value >= 1024 && unit < 5) {
            value /= 1024;
            ++unit;
        }
        if (value < 10) {
            unsigned long long tenths = (unsigned long long)(value * 10);
            if ((double)tenths < value * 10)
                ++tenths;
            printf("%llu.%llu%c\t%s\n", tenths / 10, tenths % 10, units[unit], path);
        } else {
            unsigned long long whole = (unsigned long long)value;
            if ((double)whole < value)
                ++whole;
            printf("%llu%c\t%s\n", whole, units[unit], path);
        }
    } else {
        printf("%llu\t%s\n", (amount + 1) / 2, path);
    }
}

// Returns the usage of `path` (512-byte blocks, or bytes with -b).
static unsigned long long walk(const char* path, int depth)
{
    struct stat status;
    if (lstat(path, &status) < 0) {
        report_errno("cannot access '%s'", path);
        s_status = 1;
        return 0;
    }
    if (!first_visit(&status))
        return 0;
    unsigned long long total
        = s_options.set['b'] ? (unsigned long long)status.st_size : (unsigned long long)status.st_blocks;
    if (S_ISDIR(status.st_mode)) {
        DIR* directory = opendir(path);
        if (!directory) {
            report_errno("cannot read directory '%s'", path);
            s_status = 1;
        } else {
            struct dirent* entry;
            while ((entry = readdir(directory))) {
                if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
                    continue;
                size_t length = strlen(path);
                bool slash = length > 0 && path[length - 1] == '/';
                size_t size = length + strlen(entry->d_name) + 2;
                char* child = malloc(size);
                if (!child) {
                    report("memory exhausted");
                    exit(1);
                }
                snprintf(child, size, slash ? "%s%s" : "%s/%s", path, entry->d_name);
                total += walk(child, depth + 1);
                free(child);
            }
            closedir(directory);
        }
        if (!s_options.set['s'] || depth == 0)
            print_usage(total, path);
    } else if (depth == 0 || (s_options.set['a'] && !s_options.set['s'])) {
        print_usage(total, path);
    }
    return total;
}

int main(int argc, char** argv)
{
    g_program_name = "du";
    if (!options_parse(argc, argv, "asbh", &s_options))
        return 1;
    if (s_options.set['a'] && s_options.set['s']) {
        report("cannot both summarize and show all entries");
        return 1;
    }
    if (s_options.operand_count == 0)
        walk(".", 0);
    for (int i = 0; i < s_options.operand_count; ++i)
        walk(s_options.operands[i], 0);
    return s_status;
}
