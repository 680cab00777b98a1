// df [-a] [-h] [file...]: space on the mounted filesystems, in GNU's layout
// (1K blocks, or sizes with K/M/G suffixes with -h). Without -a, filesystems
// reporting no blocks at all (proc, devfs, ramfs) are left out, as GNU does.
// With operands, only the filesystems holding those files.

#include "lib/mounts.h"
#include "lib/utility.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

static bool s_human;

// "1.5M", "23K", "0" as GNU's -h prints (powers of 1024, one decimal below 10).
static void human_size(unsigned long long bytes, char* out, size_t size)
{
    static const char units[] = "KMGTPE";
    if (bytes < 1024) {
        snprintf(out, size, "%llu", bytes);
        return;
    }
    double value = (double)bytes;
    int unit = -1;
    while (value >= 1024 && unit < 5) {
        value /= 1024;
        ++unit;
    }
    if (value < 10) {
        // GNU rounds up.
        unsigned long long tenths = (unsigned long long)(value * 10);
        if ((double)tenths < value * 10)
            ++tenths;
        if (tenths >= 100)
            snprintf(out, size, "%llu%c", tenths / 10, units[unit]);
        else
            snprintf(out, size, "%llu.%llu%c", tenths / 10, tenths % 10, units[unit]);
    } else {
        unsigned long long whole = (unsigned long long)value;
        if ((double)whole < value)
            ++whole;
        snprintf(out, size, "%llu%c", whole, units[unit]);
    }
}

static void print_size(unsigned long long blocks, unsigned long long block_size, int width)
{
    char text[32];
    if (s_human)
        human_size(blocks * block_size, text, sizeof(text));
    else
        snprintf(text, sizeof(text), "%llu", (blocks * block_size + 1023) / 1024);
    printf(" %*s", width, text);
}

static void print_line(const MountEntry* entry, const struct statfs* status)
{
    unsigned long long size = (unsigned long long)status->f_bsize;
    unsigned long long total = status->f_blocks;
    unsigned long long used = total - status->f_bfree;
    unsigned long long available = status->f_bavail;
    printf("%-14s", entry->source);
    int width = s_human ? 5 : 9;
    print_size(total, size, width);
    print_size(used, size, width);
    print_size(available, size, width);
    if (used + available == 0) {
        printf("    -");
    } else {
        unsigned long long percent = (used * 100 + used + available - 1) / (used + available);
        printf(" %3llu%%", percent);
    }
    printf(" %s\n", entry->target);
}

int main(int argc, char** argv)
{
    g_program_name = "df";
    Options options;
    if (!options_parse(argc, argv, "ah", &options))
        return 1;
    s_human = options.set['h'];
    int status = 0;
    dev_t wanted[64];
    int wanted_count = 0;
    for (int i = 0; i < options.operand_count && wanted_count < 64; ++i) {
        struct stat file;
        if (stat(options.operands[i], &file) < 0) {
            report_errno("%s", options.operands[i]);
            status = 1;
            continue;
        }
        wanted[wanted_count++] = file.st_dev;
    }
    if (options.operand_count > 0 && wanted_count == 0)
        return status;
    FILE* file = mounts_open();
    if (!file) {
        report_errno("cannot read table of mounted file systems");
        return 1;
    }
    printf("%-14s %*s %*s %*s Use%% Mounted on\n", "Filesystem", s_human ? 5 : 9, s_human ? "Size" : "1K-blocks",
        s_human ? 5 : 9, "Used", s_human ? 5 : 9, s_human ? "Avail" : "Available");
    MountEntry entry;
    while (mounts_next(file, &entry)) {
        struct statfs space;
        struct stat point;
        if (statfs(entry.target, &space) < 0 || stat(entry.target, &point) < 0)
            continue;
        if (wanted_count > 0) {
            bool match = false;
            for (int i = 0; i < wanted_count; ++i)
                match = match || wanted[i] == point.st_dev;
            if (!match)
                continue;
        } else if (!options.set['a'] && space.f_blocks == 0) {
            continue;
        }
        print_line(&entry, &space);
    }
    fclose(file);
    return status;
}
