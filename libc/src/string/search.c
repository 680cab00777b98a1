// Searching in strings and splitting them into tokens.

#include <string.h>

char* strchrnul(const char* string, int character)
{
    while (*string && *string != (char)character)
        ++string;
    return (char*)string;
}

char* strchr(const char* string, int character)
{
    char* found = strchrnul(string, character);
    return *found == (char)character ? found : NULL;
}

char* strrchr(const char* string, int character)
{
    const char* last = NULL;
    do {
        if (*string == (char)character)
            last = string;
    } while (*string++);
    return (char*)last;
}

char* strstr(const char* haystack, const char* needle)
{
    size_t needle_length = strlen(needle);
    if (needle_length == 0)
        return (char*)haystack;
    for (; (haystack = strchr(haystack, *needle)); ++haystack) {
        if (strncmp(haystack, needle, needle_length) == 0)
            return (char*)haystack;
    }
    return NULL;
}

// One bit per byte value: membership tests for the span functions.
typedef struct {
    unsigned long bits[256 / (8 * sizeof(unsigned long))];
} ByteSet;

static void byte_set_build(ByteSet* set, const char* members)
{
    memset(set, 0, sizeof(*set));
    for (const unsigned char* byte = (const unsigned char*)members; *byte; ++byte)
        set->bits[*byte / (8 * sizeof(unsigned long))] |= 1ul << (*byte % (8 * sizeof(unsigned long)));
}

static int byte_set_contains(const ByteSet* set, unsigned char byte)
{
    return (int)((set->bits[byte / (8 * sizeof(unsigned long))] >> (byte % (8 * sizeof(unsigned long)))) & 1);
}

size_t strspn(const char* string, const char* accept)
{
    ByteSet set;
    byte_set_build(&set, accept);
    size_t length = 0;
    while (string[length] && byte_set_contains(&set, (unsigned char)string[length]))
        ++length;
    return length;
}

size_t strcspn(const char* string, const char* reject)
{
    ByteSet set;
    byte_set_build(&set, reject);
    size_t length = 0;
    while (string[length] && !byte_set_contains(&set, (unsigned char)string[length]))
        ++length;
    return length;
}

char* strpbrk(const char* string, const char* accept)
{
    string += strcspn(string, accept);
    return *string ? (char*)string : NULL;
}

char* strtok_r(char* restrict string, const char* restrict delimiters, char** restrict save)
{
    if (!string)
        string = *save;
    if (!string)
        return NULL;
    string += strspn(string, delimiters);
    if (!*string) {
        *save = NULL;
        return NULL;
    }
    char* end = string + strcspn(string, delimiters);
    if (*end)
        *end++ = '\0';
    else
        end = NULL;
    *save = end;
    return string;
}

char* strtok(char* restrict string, const char* restrict delimiters)
{
    static char* s_save;
    return strtok_r(string, delimiters, &s_save);
}

char* strsep(char** restrict string, const char* restrict delimiters)
{
    char* token = *string;
    if (!token)
        return NULL;
    char* end = token + strcspn(token, delimiters);
    if (*end) {
        *end = '\0';
        *string = end + 1;
    } else {
        *string = NULL;
    }
    return token;
}
