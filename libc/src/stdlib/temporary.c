// mkstemp and mkdtemp: replace the trailing "XXXXXX" with random letters
// (getrandom) until creating the file or directory exclusively succeeds.

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

static const char s_letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

static char* suffix_of(char* template_path)
{
    size_t length = strlen(template_path);
    if (length < 6 || memcmp(template_path + length - 6, "XXXXXX", 6) != 0) {
        errno = EINVAL;
        return NULL;
    }
    return template_path + length - 6;
}

static int randomize(char* suffix)
{
    unsigned char bytes[6];
    if (getrandom(bytes, sizeof(bytes), 0) != (ssize_t)sizeof(bytes))
        return -1;
    for (int i = 0; i < 6; ++i)
        suffix[i] = s_letters[bytes[i] % (sizeof(s_letters) - 1)];
    return 0;
}

int mkstemp(char* template_path)
{
    char* suffix = suffix_of(template_path);
    if (!suffix)
        return -1;
    for (int attempt = 0; attempt < 100; ++attempt) {
        if (randomize(suffix) < 0)
            return -1;
        int fd = open(template_path, O_RDWR | O_CREAT | O_EXCL, 0600);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

char* mkdtemp(char* template_path)
{
    char* suffix = suffix_of(template_path);
    if (!suffix)
        return NULL;
    for (int attempt = 0; attempt < 100; ++attempt) {
        if (randomize(suffix) < 0)
            return NULL;
        if (mkdir(template_path, 0700) == 0)
            return template_path;
        if (errno != EEXIST)
            return NULL;
    }
    errno = EEXIST;
    return NULL;
}
