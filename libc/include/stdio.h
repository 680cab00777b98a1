#pragma once

// Buffered streams over file descriptors, and the printf family whose output
// matches glibc's byte for byte (tests/libc/printf_table.c checks it).

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct OspreyFile FILE;

extern FILE* stdin;
extern FILE* stdout;
extern FILE* stderr;

#define EOF          (-1)
#define BUFSIZ       8192
#define FILENAME_MAX 4096
#define FOPEN_MAX    16

// Buffering modes, with glibc's values.
#define _IOFBF       0
#define _IOLBF       1
#define _IONBF       2

#define SEEK_SET     0
#define SEEK_CUR     1
#define SEEK_END     2

FILE* fopen(const char* restrict path, const char* restrict mode);
FILE* fdopen(int fd, const char* mode);
int fclose(FILE* stream);
int fflush(FILE* stream);
int setvbuf(FILE* restrict stream, char* restrict buffer, int mode, size_t size);
void setbuf(FILE* restrict stream, char* restrict buffer);
int fileno(FILE* stream);
int feof(FILE* stream);
int ferror(FILE* stream);
void clearerr(FILE* stream);

size_t fread(void* restrict buffer, size_t size, size_t count, FILE* restrict stream);
size_t fwrite(const void* restrict buffer, size_t size, size_t count, FILE* restrict stream);
int fgetc(FILE* stream);
int getc(FILE* stream);
int getchar(void);
int ungetc(int character, FILE* stream);
char* fgets(char* restrict buffer, int size, FILE* restrict stream);
ssize_t getdelim(char** restrict line, size_t* restrict capacity, int delimiter, FILE* restrict stream);
ssize_t getline(char** restrict line, size_t* restrict capacity, FILE* restrict stream);
int fputc(int character, FILE* stream);
int putc(int character, FILE* stream);
int putchar(int character);
int fputs(const char* restrict string, FILE* restrict stream);
int puts(const char* string);

int fseek(FILE* stream, long offset, int whence);
int fseeko(FILE* stream, off_t offset, int whence);
long ftell(FILE* stream);
off_t ftello(FILE* stream);
void rewind(FILE* stream);

int printf(const char* restrict format, ...) __attribute__((format(printf, 1, 2)));
int fprintf(FILE* restrict stream, const char* restrict format, ...) __attribute__((format(printf, 2, 3)));
int dprintf(int fd, const char* restrict format, ...) __attribute__((format(printf, 2, 3)));
int sprintf(char* restrict buffer, const char* restrict format, ...) __attribute__((format(printf, 2, 3)));
int snprintf(char* restrict buffer, size_t size, const char* restrict format, ...)
    __attribute__((format(printf, 3, 4)));
int asprintf(char** restrict result, const char* restrict format, ...) __attribute__((format(printf, 2, 3)));
int vprintf(const char* restrict format, va_list arguments);
int vfprintf(FILE* restrict stream, const char* restrict format, va_list arguments);
int vdprintf(int fd, const char* restrict format, va_list arguments);
int vsprintf(char* restrict buffer, const char* restrict format, va_list arguments);
int vsnprintf(char* restrict buffer, size_t size, const char* restrict format, va_list arguments);
int vasprintf(char** restrict result, const char* restrict format, va_list arguments);

int sscanf(const char* restrict string, const char* restrict format, ...) __attribute__((format(scanf, 2, 3)));
int vsscanf(const char* restrict string, const char* restrict format, va_list arguments);

void perror(const char* prefix);
int remove(const char* path);
int rename(const char* old_path, const char* new_path);
int renameat(int old_directory_fd, const char* old_path, int new_directory_fd, const char* new_path);
int renameat2(int old_directory_fd, const char* old_path, int new_directory_fd, const char* new_path, unsigned flags);
#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE  (1 << 1)
#define RENAME_WHITEOUT  (1 << 2)

#ifdef __cplusplus
}
#endif
