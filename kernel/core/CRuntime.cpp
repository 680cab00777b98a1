// The handful of C runtime functions the compiler may call on its own
// (memcpy, memset, memmove, memcmp), plus C++ ABI hooks. Kernel only: host
// tests use the host's libc.
#include <kernel/lib/Types.h>

extern "C" {

void* memcpy(void* destination, const void* source, size_t count)
{
    void* d = destination;
    asm volatile("rep movsb" : "+D"(d), "+S"(source), "+c"(count) : : "memory");
    return destination;
}

void* memset(void* destination, int value, size_t count)
{
    void* d = destination;
    asm volatile("rep stosb" : "+D"(d), "+c"(count) : "a"(value) : "memory");
    return destination;
}

void* memmove(void* destination, const void* source, size_t count)
{
    auto* d = static_cast<u8*>(destination);
    auto* s = static_cast<const u8*>(source);
    if (d < s) {
        for (size_t i = 0; i < count; ++i)
            d[i] = s[i];
    } else {
        for (size_t i = count; i > 0; --i)
            d[i - 1] = s[i - 1];
    }
    return destination;
}

int memcmp(const void* a, const void* b, size_t count)
{
    auto* x = static_cast<const u8*>(a);
    auto* y = static_cast<const u8*>(b);
    for (size_t i = 0; i < count; ++i) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

size_t strlen(const char* s)
{
    size_t n = 0;
    while (s[n])
        ++n;
    return n;
}

void __cxa_pure_virtual()
{
    __builtin_trap();
}
}
