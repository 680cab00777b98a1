// The environment: environ as the kernel passed it, until the first change;
// then a malloc'd copy of the pointer array. Strings made by setenv are
// remembered so that replacing or removing them frees them; strings from the
// initial stack or from putenv belong to someone else and are left alone.

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char** s_owned_array;   // environ when it is our copy
static char** s_owned_strings; // strings allocated by setenv
static size_t s_owned_count;

static size_t name_length(const char* name)
{
    return strchrnul(name, '=') - name;
}

static char** find(const char* name, size_t length)
{
    if (!environ)
        return NULL;
    for (char** entry = environ; *entry; ++entry) {
        if (strncmp(*entry, name, length) == 0 && (*entry)[length] == '=')
            return entry;
    }
    return NULL;
}

char* getenv(const char* name)
{
    size_t length = strlen(name);
    if (length == 0 || memchr(name, '=', length))
        return NULL;
    char** entry = find(name, length);
    return entry ? *entry + length + 1 : NULL;
}

static void forget_string(char* string)
{
    for (size_t i = 0; i < s_owned_count; ++i) {
        if (s_owned_strings[i] == string) {
            free(string);
            s_owned_strings[i] = s_owned_strings[--s_owned_count];
            return;
        }
    }
}

static int remember_string(char* string)
{
    char** grown = realloc(s_owned_strings, (s_owned_count + 1) * sizeof(char*));
    if (!grown)
        return -1;
    s_owned_strings = grown;
    s_owned_strings[s_owned_count++] = string;
    return 0;
}

static size_t entry_count(void)
{
    size_t count = 0;
    while (environ && environ[count])
        ++count;
    return count;
}

// Appends an entry, moving environ to an array we own.
static int append(char* assignment)
{
    size_t count = entry_count();
    char** array = malloc((count + 2) * sizeof(char*));
    if (!array)
        return -1;
    if (count)
        memcpy(array, environ, count * sizeof(char*));
    array[count] = assignment;
    array[count + 1] = NULL;
    free(s_owned_array);
    s_owned_array = environ = array;
    return 0;
}

static int install(char* assignment, int overwrite)
{
    size_t length = name_length(assignment);
    char** entry = find(assignment, length);
    if (entry) {
        if (!overwrite)
            return 1;
        forget_string(*entry);
        *entry = assignment;
        return 0;
    }
    return append(assignment);
}

static int valid_name(const char* name)
{
    return name && *name && !strchr(name, '=');
}

int setenv(const char* name, const char* value, int overwrite)
{
    if (!valid_name(name)) {
        errno = EINVAL;
        return -1;
    }
    if (!overwrite && find(name, strlen(name)))
        return 0;
    size_t length = strlen(name);
    size_t value_length = strlen(value);
    char* assignment = malloc(length + value_length + 2);
    if (!assignment)
        return -1;
    memcpy(assignment, name, length);
    assignment[length] = '=';
    memcpy(assignment + length + 1, value, value_length + 1);
    if (remember_string(assignment) < 0) {
        free(assignment);
        return -1;
    }
    if (install(assignment, 1) < 0) {
        forget_string(assignment);
        return -1;
    }
    return 0;
}

int putenv(char* assignment)
{
    if (!strchr(assignment, '=')) {
        errno = EINVAL;
        return -1;
    }
    return install(assignment, 1) < 0 ? -1 : 0;
}

int unsetenv(const char* name)
{
    if (!valid_name(name)) {
        errno = EINVAL;
        return -1;
    }
    size_t length = strlen(name);
    char** entry;
    while ((entry = find(name, length))) {
        forget_string(*entry);
        do
            entry[0] = entry[1];
        while (*entry++);
    }
    return 0;
}

int clearenv(void)
{
    while (s_owned_count)
        forget_string(s_owned_strings[0]);
    free(s_owned_array);
    s_owned_array = NULL;
    environ = NULL;
    return 0;
}
