// Length, copy, concatenation and comparison of NUL-terminated strings.

#include <stdlib.h>
#include <string.h>

size_t strlen(const char* string)
{
    const char* end = string;
    while (*end)
        ++end;
    return (size_t)(end - string);
}

size_t strnlen(const char* string, size_t limit)
{
    size_t length = 0;
    while (length < limit && string[length])
        ++length;
    return length;
}

char* stpcpy(char* restrict destination, const char* restrict source)
{
    while ((*destination = *source++))
        ++destination;
    return destination;
}

char* strcpy(char* restrict destination, const char* restrict source)
{
    stpcpy(destination, source);
    return destination;
}

// Copies at most count bytes and pads the rest of the count with NULs.
char* stpncpy(char* restrict destination, const char* restrict source, size_t count)
{
    size_t length = strnlen(source, count);
    memcpy(destination, source, length);
    memset(destination + length, 0, count - length);
    return destination + length;
}

char* strncpy(char* restrict destination, const char* restrict source, size_t count)
{
    stpncpy(destination, source, count);
    return destination;
}

char* strcat(char* restrict destination, const char* restrict source)
{
    strcpy(destination + strlen(destination), source);
    return destination;
}

char* strncat(char* restrict destination, const char* restrict source, size_t count)
{
    char* end = destination + strlen(destination);
    size_t length = strnlen(source, count);
    memcpy(end, source, length);
    end[length] = '\0';
    return destination;
}

int strcmp(const char* left, const char* right)
{
    while (*left && *left == *right) {
        ++left;
        ++right;
    }
    return (unsigned char)*left - (unsigned char)*right;
}

int strncmp(const char* left, const char* right, size_t count)
{
    for (; count > 0; --count, ++left, ++right) {
        if (*left != *right || !*left)
            return (unsigned char)*left - (unsigned char)*right;
    }
    return 0;
}

// The "C" locale collates by byte value.
int strcoll(const char* left, const char* right)
{
    return strcmp(left, right);
}

char* strdup(const char* string)
{
    size_t size = strlen(string) + 1;
    char* copy = malloc(size);
    if (copy)
        memcpy(copy, string, size);
    return copy;
}

char* strndup(const char* string, size_t limit)
{
    size_t length = strnlen(string, limit);
    char* copy = malloc(length + 1);
    if (copy) {
        memcpy(copy, string, length);
        copy[length] = '\0';
    }
    return copy;
}
