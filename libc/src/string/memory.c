// The mem* family. Copies and fills use `rep movsb` / `rep stosb`, which
// current x86_64 CPUs run at full speed for large sizes (ERMSB) and which keeps
// the compiler from turning a copy loop back into a memcpy call.

#include <stdint.h>
#include <string.h>

void* memcpy(void* restrict destination, const void* restrict source, size_t count)
{
    void* result = destination;
    __asm__ volatile("rep movsb" : "+D"(destination), "+S"(source), "+c"(count) : : "memory");
    return result;
}

void* mempcpy(void* restrict destination, const void* restrict source, size_t count)
{
    return (char*)memcpy(destination, source, count) + count;
}

void* memmove(void* destination, const void* source, size_t count)
{
    unsigned char* to = destination;
    const unsigned char* from = source;
    if (to == from || count == 0)
        return destination;
    // Forward copying is safe unless the destination starts inside the source.
    if ((uintptr_t)to - (uintptr_t)from >= count)
        return memcpy(destination, source, count);
    // Overlap with to > from: copy backwards, last byte first.
    const unsigned char* last_from = from + count - 1;
    unsigned char* last_to = to + count - 1;
    __asm__ volatile("std\n\trep movsb\n\tcld" : "+D"(last_to), "+S"(last_from), "+c"(count) : : "memory");
    return destination;
}

void* memset(void* destination, int byte, size_t count)
{
    void* result = destination;
    __asm__ volatile("rep stosb" : "+D"(destination), "+c"(count) : "a"(byte) : "memory");
    return result;
}

int memcmp(const void* left, const void* right, size_t count)
{
    const unsigned char* a = left;
    const unsigned char* b = right;
    for (size_t i = 0; i < count; ++i) {
        if (a[i] != b[i])
            return a[i] - b[i];
    }
    return 0;
}

void* memchr(const void* haystack, int byte, size_t count)
{
    const unsigned char* bytes = haystack;
    for (size_t i = 0; i < count; ++i) {
        if (bytes[i] == (unsigned char)byte)
            return (void*)(bytes + i);
    }
    return NULL;
}

void* memrchr(const void* haystack, int byte, size_t count)
{
    const unsigned char* bytes = haystack;
    while (count--) {
        if (bytes[count] == (unsigned char)byte)
            return (void*)(bytes + count);
    }
    return NULL;
}

void* memmem(const void* haystack, size_t haystack_length, const void* needle, size_t needle_length)
{
    const unsigned char* bytes = haystack;
    if (needle_length == 0)
        return (void*)haystack;
    if (needle_length > haystack_length)
        return NULL;
    const unsigned char first = *(const unsigned char*)needle;
    for (size_t i = 0; i + needle_length <= haystack_length; ++i) {
        if (bytes[i] == first && memcmp(bytes + i, needle, needle_length) == 0)
            return (void*)(bytes + i);
    }
    return NULL;
}
