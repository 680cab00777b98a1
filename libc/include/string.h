#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void* memcpy(void* restrict destination, const void* restrict source, size_t count);
void* memmove(void* destination, const void* source, size_t count);
void* memset(void* destination, int byte, size_t count);
int memcmp(const void* left, const void* right, size_t count);
void* memchr(const void* haystack, int byte, size_t count);
void* memrchr(const void* haystack, int byte, size_t count);
void* memmem(const void* haystack, size_t haystack_length, const void* needle, size_t needle_length);
void* mempcpy(void* restrict destination, const void* restrict source, size_t count);

size_t strlen(const char* string);
size_t strnlen(const char* string, size_t limit);
char* strcpy(char* restrict destination, const char* restrict source);
char* strncpy(char* restrict destination, const char* restrict source, size_t count);
char* stpcpy(char* restrict destination, const char* restrict source);
char* stpncpy(char* restrict destination, const char* restrict source, size_t count);
char* strcat(char* restrict destination, const char* restrict source);
char* strncat(char* restrict destination, const char* restrict source, size_t count);
int strcmp(const char* left, const char* right);
int strncmp(const char* left, const char* right, size_t count);
int strcoll(const char* left, const char* right);
char* strchr(const char* string, int character);
char* strrchr(const char* string, int character);
char* strchrnul(const char* string, int character);
char* strstr(const char* haystack, const char* needle);
size_t strspn(const char* string, const char* accept);
size_t strcspn(const char* string, const char* reject);
char* strpbrk(const char* string, const char* accept);
char* strtok(char* restrict string, const char* restrict delimiters);
char* strtok_r(char* restrict string, const char* restrict delimiters, char** restrict save);
char* strsep(char** restrict string, const char* restrict delimiters);
char* strdup(const char* string);
char* strndup(const char* string, size_t limit);

char* strerror(int error);
int strerror_r(int error, char* buffer, size_t size);
char* strsignal(int signal);

#ifdef __cplusplus
}
#endif
