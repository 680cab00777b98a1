// stdio: file I/O in a temporary directory, buffering modes as seen through
// the file descriptor, positioning, ungetc, line input, fdopen, and the
// printf family writing to streams.

#include "check.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char s_directory[256];

// Returns one of four rotating buffers, so two paths can be used at once.
static const char* path_in_directory(const char* name)
{
    static char paths[4][512];
    static int next;
    char* path = paths[next++ % 4];
    snprintf(path, sizeof(paths[0]), "%s/%s", s_directory, name);
    return path;
}

// Size of a file as the kernel sees it (what has left the stream's buffer).
static long size_on_disk(const char* path)
{
    struct stat status;
    return stat(path, &status) == 0 ? (long)status.st_size : -1;
}

static void test_write_read(void)
{
    check_section("write and read");
    const char* path = path_in_directory("data.txt");
    FILE* file = fopen(path, "w");
    CHECK(file != NULL);
    CHECK(fputs("first line\n", file) >= 0);
    CHECK(fprintf(file, "%s %d %.2f\n", "second", 2, 2.5) == 14);
    CHECK(fputc('x', file) == 'x');
    CHECK(fwrite("yz\n", 1, 3, file) == 3);
    CHECK(size_on_disk(path) == 0); // fully buffered: nothing written yet
    CHECK(fflush(file) == 0);
    CHECK(size_on_disk(path) == 29);
    CHECK(fclose(file) == 0);

    file = fopen(path, "r");
    char line[64];
    CHECK(fgets(line, sizeof(line), file) && strcmp(line, "first line\n") == 0);
    CHECK(fgets(line, 8, file) && strcmp(line, "second ") == 0);
    CHECK(fgets(line, sizeof(line), file) && strcmp(line, "2 2.50\n") == 0);
    CHECK(fgetc(file) == 'x');
    CHECK(ungetc('Q', file) == 'Q');
    CHECK(fgetc(file) == 'Q');
    CHECK(getc(file) == 'y');
    CHECK(ftell(file) == 27);
    CHECK(fgets(line, sizeof(line), file) && strcmp(line, "z\n") == 0);
    CHECK(fgetc(file) == EOF && feof(file) && !ferror(file));
    clearerr(file);
    CHECK(!feof(file));
    rewind(file);
    char block[40] = "";
    CHECK(fread(block, 1, sizeof(block), file) == 29 && feof(file));
    CHECK(memcmp(block, "first line\nsecond 2 2.50\nxyz\n", 29) == 0);
    CHECK(fclose(file) == 0);

    file = fopen(path, "a");
    fputs("appended\n", file);
    fclose(file);
    CHECK(size_on_disk(path) == 38);

    CHECK(fopen(path_in_directory("missing"), "r") == NULL && errno == ENOENT);
    errno = 0;
    CHECK(fopen(path, "q") == NULL && errno == EINVAL);
}

static void test_positioning(void)
{
    check_section("seek");
    const char* path = path_in_directory("seek.bin");
    FILE* file = fopen(path, "w+");
    for (int i = 0; i < 10000; ++i)
        fputc('a' + i % 26, file);
    CHECK(ftell(file) == 10000);
    CHECK(fseek(file, 100, SEEK_SET) == 0 && fgetc(file) == 'a' + 100 % 26);
    CHECK(fseek(file, -1, SEEK_END) == 0 && fgetc(file) == 'a' + 9999 % 26);
    CHECK(fseek(file, 5000, SEEK_SET) == 0);
    CHECK(fputs("MARK", file) >= 0); // switch from reading to writing after a seek
    CHECK(fseek(file, 4998, SEEK_SET) == 0);
    char around[9] = "";
    CHECK(fread(around, 1, 8, file) == 8);
    char expected[9];
    expected[0] = 'a' + 4998 % 26;
    expected[1] = 'a' + 4999 % 26;
    memcpy(expected + 2, "MARK", 4);
    expected[6] = 'a' + 5004 % 26;
    expected[7] = 'a' + 5005 % 26;
    expected[8] = '\0';
    CHECK_STRING(around, expected);
    CHECK(ftell(file) == 5006);
    CHECK(fseek(file, 0, 42) == -1 && errno == EINVAL);
    CHECK(fclose(file) == 0);
    CHECK(size_on_disk(path) == 10000);
}

static void test_getline(void)
{
    check_section("getline");
    const char* path = path_in_directory("lines.txt");
    FILE* file = fopen(path, "w");
    fputs("short\n", file);
    for (int i = 0; i < 5000; ++i)
        fputc('L', file);
    fputs("\nlast without newline", file);
    fclose(file);
    file = fopen(path, "r");
    char* line = NULL;
    size_t capacity = 0;
    CHECK(getline(&line, &capacity, file) == 6 && strcmp(line, "short\n") == 0);
    CHECK(getline(&line, &capacity, file) == 5001 && line[4999] == 'L' && line[5000] == '\n');
    CHECK(getline(&line, &capacity, file) == 20 && strcmp(line, "last without newline") == 0);
    CHECK(getline(&line, &capacity, file) == -1 && feof(file));
    free(line);
    fclose(file);
}

// A stream over a new file, with the given buffering set before any I/O.
static FILE* open_with_mode(const char* path, int mode, char* buffer, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    FILE* file = fdopen(fd, "w");
    if (file && setvbuf(file, buffer, mode, size) != 0) {
        fclose(file);
        return NULL;
    }
    return file;
}

static void test_buffering(void)
{
    check_section("buffering");
    const char* path = path_in_directory("modes.txt");
    FILE* file = open_with_mode(path, _IOLBF, NULL, 0);
    CHECK(file != NULL);
    fputs("partial", file);
    CHECK(size_on_disk(path) == 0);
    fputs(" line\nnext", file); // the newline sends everything before it
    CHECK(size_on_disk(path) == 13);
    fflush(file);
    CHECK(size_on_disk(path) == 17);
    fclose(file);

    file = open_with_mode(path, _IONBF, NULL, 0);
    CHECK(file != NULL);
    fputc('!', file);
    CHECK(size_on_disk(path) == 1);
    fprintf(file, "%d", 12345);
    CHECK(size_on_disk(path) == 6);
    fclose(file);

    static char buffer[256];
    file = open_with_mode(path, _IOFBF, buffer, sizeof(buffer));
    CHECK(file != NULL);
    char chunk[201];
    memset(chunk, 'f', 200);
    chunk[199] = '\n'; // a newline does not flush a fully buffered stream
    chunk[200] = '\0';
    fputs(chunk, file);
    CHECK(size_on_disk(path) == 0);
    chunk[100] = '\0';
    fputs(chunk, file); // overflows the buffer: exactly one full buffer goes out
    CHECK(size_on_disk(path) == 256);
    CHECK(fclose(file) == 0);
    CHECK(size_on_disk(path) == 300);
    CHECK(setvbuf(stdout, NULL, 42, 0) != 0);
}

static void test_stream_errors(void)
{
    check_section("errors");
    const char* path = path_in_directory("readonly.txt");
    FILE* file = fopen(path, "w");
    fputs("content", file);
    fclose(file);
    file = fopen(path, "r");
    errno = 0;
    CHECK(fputc('x', file) == EOF && ferror(file));
    fclose(file);
    file = fopen(path, "w");
    CHECK(fgetc(file) == EOF && ferror(file));
    fclose(file);
    int fds[2];
    CHECK(pipe(fds) == 0);
    close(fds[0]);
    CHECK(fdopen(fds[1], "r") == NULL && errno == EINVAL);
    close(fds[1]);
}

static void test_printf_family(void)
{
    check_section("printf family");
    char* text = NULL;
    CHECK(asprintf(&text, "%s-%05d-%x", "id", 42, 0xbeef) == 13);
    CHECK_STRING(text, "id-00042-beef");
    free(text);
    char small[8];
    CHECK(snprintf(small, sizeof(small), "%d", 123456789) == 9 && strcmp(small, "1234567") == 0);
    CHECK(sprintf(small, "%c%c", 'o', 'k') == 2 && strcmp(small, "ok") == 0);
    const char* path = path_in_directory("dprintf.txt");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(dprintf(fd, "%s %ld\n", "fd", 1234567890123L) == 17);
    close(fd);
    CHECK(size_on_disk(path) == 17);
    errno = ENOENT;
    CHECK(snprintf(small, sizeof(small), "%m") == 25);
    CHECK(remove(path) == 0 && size_on_disk(path) == -1);
    CHECK(rename(path_in_directory("data.txt"), path_in_directory("renamed.txt")) == 0);
    CHECK(size_on_disk(path_in_directory("renamed.txt")) == 38);
}

// stdin on a pipe: fully buffered, read by lines and characters, then EOF.
static void test_standard_input(void)
{
    check_section("stdin");
    int fds[2];
    CHECK(pipe(fds) == 0);
    CHECK(write(fds[1], "line one\nline two\n42 rest\n", 26) == 26);
    close(fds[1]);
    int saved = dup(0);
    CHECK(dup2(fds[0], 0) == 0);
    close(fds[0]);
    char line[32];
    CHECK(fgets(line, sizeof(line), stdin) && strcmp(line, "line one\n") == 0);
    CHECK(getchar() == 'l');
    CHECK(ungetc('L', stdin) == 'L');
    CHECK(fgets(line, sizeof(line), stdin) && strcmp(line, "Line two\n") == 0);
    char* rest = NULL;
    size_t capacity = 0;
    CHECK(getline(&rest, &capacity, stdin) == 8 && strcmp(rest, "42 rest\n") == 0);
    free(rest);
    CHECK(getchar() == EOF && feof(stdin));
    clearerr(stdin);
    dup2(saved, 0);
    close(saved);
}

int main(void)
{
    const char* base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(s_directory, sizeof(s_directory), "%s/stdio-XXXXXX", base);
    if (!mkdtemp(s_directory)) {
        perror("mkdtemp");
        return 1;
    }
    test_write_read();
    test_positioning();
    test_getline();
    test_buffering();
    test_stream_errors();
    test_printf_family();
    test_standard_input();
    static const char* const names[] = { "seek.bin", "lines.txt", "modes.txt", "readonly.txt", "renamed.txt" };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); ++i)
        unlink(path_in_directory(names[i]));
    CHECK(rmdir(s_directory) == 0);
    return check_summary();
}
