// stat [-L] [-c format] file...: shows a file's status. Without -c the
// layout is GNU's (numeric owner and group only: there is no user database):
//     File: name [-> target]
//     Size: N          Blocks: N          IO Block: N      <type>
//   Device: N,N        Inode: N           Links: N
//   Access: (0644/-rw-r--r--)  Uid: (    0)   Gid: (    0)
//   Access: / Modify: / Change: YYYY-MM-DD HH:MM:SS.nnnnnnnnn +0000
// -c prints the format with %n name, %N quoted name -> target, %s size, %b blocks,
// %a octal mode, %A mode string, %F type, %h links, %u uid, %g gid, %i inode,
// %X %Y %Z access/modify/change seconds, %% a percent sign.
// -L follows symbolic links.

#include "lib/utility.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char* type_name(const struct stat* status)
{
    switch (status->st_mode & S_IFMT) {
    case S_IFREG:
        return status->st_size == 0 ? "regular empty file" : "regular file";
    case S_IFDIR:
        return "directory";
    case S_IFLNK:
        return "symbolic link";
    case S_IFIFO:
        return "fifo";
    case S_IFCHR:
        return "character special file";
    case S_IFBLK:
        return "block special file";
    case S_IFSOCK:
        return "socket";
    default:
        return "weird file";
    }
}

typedef enum {
    NamePlain,
    NameQuoted, // %N: 'name' -> 'target', or "name" when it holds a '
} NameStyle;

static void print_quoted(const char* text, int length, NameStyle style)
{
    if (style == NamePlain) {
        printf("%.*s", length, text);
        return;
    }
    char quote = memchr(text, '\'', (size_t)length) ? '"' : '\'';
    printf("%c%.*s%c", quote, length, text, quote);
}

static void print_name(const char* path, const struct stat* status, NameStyle style)
{
    print_quoted(path, (int)strlen(path), style);
    if (!S_ISLNK(status->st_mode))
        return;
    char target[PATH_MAX];
    ssize_t length = readlink(path, target, sizeof(target) - 1);
    if (length >= 0) {
        printf(" -> ");
        print_quoted(target, (int)length, style);
    }
}

static void print_time(const char* label, const struct timespec* when)
{
    struct tm broken_down;
    gmtime_r(&when->tv_sec, &broken_down);
    char text[64];
    strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &broken_down);
    printf("%s: %s.%09ld +0000\n", label, text, when->tv_nsec);
}

static void print_default(const char* path, const struct stat* status)
{
    char mode[11];
    mode_string(status->st_mode, mode);
    printf("  File: ");
    print_name(path, status, NamePlain);
    printf("\n  Size: %-10lld\tBlocks: %-10lld IO Block: %-6ld %s\n", (long long)status->st_size,
        (long long)status->st_blocks, (long)status->st_blksize, type_name(status));
    printf("Device: %llu,%llu\tInode: %-11llu Links: %lu\n", (unsigned long long)((status->st_dev >> 8) & 0xfff),
        (unsigned long long)(status->st_dev & 0xff), (unsigned long long)status->st_ino,
        (unsigned long)status->st_nlink);
    printf(
        "Access: (%04o/%s)  Uid: (%5u)   Gid: (%5u)\n", status->st_mode & 07777, mode, status->st_uid, status->st_gid);
    print_time("Access", &status->st_atim);
    print_time("Modify", &status->st_mtim);
    print_time("Change", &status->st_ctim);
}

static void print_formatted(const char* format, const char* path, const struct stat* status)
{
    char mode[11];
    mode_string(status->st_mode, mode);
    for (; *format; ++format) {
        if (*format != '%' || !format[1]) {
            putchar(*format);
            continue;
        }
        switch (*++format) {
        case 'n':
            printf("%s", path);
            break;
        case 'N':
            print_name(path, status, NameQuoted);
            break;
        case 's':
            printf("%lld", (long long)status->st_size);
            break;
        case 'b':
            printf("%lld", (long long)status->st_blocks);
            break;
        case 'a':
            printf("%o", status->st_mode & 07777);
            break;
        case 'A':
            printf("%s", mode);
            break;
        case 'F':
            printf("%s", type_name(status));
            break;
        case 'h':
            printf("%lu", (unsigned long)status->st_nlink);
            break;
        case 'u':
            printf("%u", status->st_uid);
            break;
        case 'g':
            printf("%u", status->st_gid);
            break;
        case 'i':
            printf("%llu", (unsigned long long)status->st_ino);
            break;
        case 'X':
            printf("%lld", (long long)status->st_atim.tv_sec);
            break;
        case 'Y':
            printf("%lld", (long long)status->st_mtim.tv_sec);
            break;
        case 'Z':
            printf("%lld", (long long)status->st_ctim.tv_sec);
            break;
        case '%':
            putchar('%');
            break;
        default:
            putchar('%');
            putchar(*format);
            break;
        }
    }
    putchar('\n');
}

int main(int argc, char** argv)
{
    g_program_name = "stat";
    Options options;
    if (!options_parse(argc, argv, "Lc:", &options))
        return 1;
    if (options.operand_count == 0) {
        report("missing operand");
        return 1;
    }
    int exit_status = 0;
    for (int i = 0; i < options.operand_count; ++i) {
        const char* path = options.operands[i];
        struct stat status;
        if ((options.set['L'] ? stat(path, &status) : lstat(path, &status)) < 0) {
            report_errno("cannot stat '%s'", path);
            exit_status = 1;
            continue;
        }
        if (options.value['c'])
            print_formatted(options.value['c'], path, &status);
        else
            print_default(path, &status);
    }
    return exit_status;
}
