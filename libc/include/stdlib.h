#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX     2147483647

typedef struct {
    int quot;
    int rem;
} div_t;
typedef struct {
    long quot;
    long rem;
} ldiv_t;

void* malloc(size_t size);
void* calloc(size_t count, size_t size);
void* realloc(void* pointer, size_t size);
void* reallocarray(void* pointer, size_t count, size_t size);
void free(void* pointer);
void* aligned_alloc(size_t alignment, size_t size);
int posix_memalign(void** result, size_t alignment, size_t size);

void qsort(void* base, size_t count, size_t size, int (*compare)(const void*, const void*));
void* bsearch(const void* key, const void* base, size_t count, size_t size, int (*compare)(const void*, const void*));

long strtol(const char* restrict string, char** restrict end, int base);
unsigned long strtoul(const char* restrict string, char** restrict end, int base);
long long strtoll(const char* restrict string, char** restrict end, int base);
unsigned long long strtoull(const char* restrict string, char** restrict end, int base);
int atoi(const char* string);
long atol(const char* string);
long long atoll(const char* string);

char* getenv(const char* name);
int setenv(const char* name, const char* value, int overwrite);
int unsetenv(const char* name);
int putenv(char* assignment);
int clearenv(void);

_Noreturn void exit(int status);
_Noreturn void _Exit(int status);
_Noreturn void abort(void);
int atexit(void (*function)(void));

int abs(int value);
long labs(long value);
long long llabs(long long value);
div_t div(int numerator, int denominator);
ldiv_t ldiv(long numerator, long denominator);

int rand(void);
void srand(unsigned seed);
int rand_r(unsigned* seed);

int mkstemp(char* template_path);
char* mkdtemp(char* template_path);

#ifdef __cplusplus
}
#endif
