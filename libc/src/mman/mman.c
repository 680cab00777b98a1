// Memory mappings.

#include "../internal/syscall.h"
#include <stdarg.h>
#include <sys/mman.h>

void* mmap(void* address, size_t length, int protection, int flags, int fd, off_t offset)
{
    return (void*)SYSCALL6(mmap, address, length, protection, flags, fd, offset);
}

int munmap(void* address, size_t length)
{
    return (int)SYSCALL2(munmap, address, length);
}
int mprotect(void* address, size_t length, int protection)
{
    return (int)SYSCALL3(mprotect, address, length, protection);
}
int madvise(void* address, size_t length, int advice)
{
    return (int)SYSCALL3(madvise, address, length, advice);
}

void* mremap(void* old_address, size_t old_length, size_t new_length, int flags, ...)
{
    void* new_address = 0;
    if (flags & 2) { // MREMAP_FIXED: the fifth argument is the target
        va_list arguments;
        va_start(arguments, flags);
        new_address = va_arg(arguments, void*);
        va_end(arguments);
    }
    return (void*)SYSCALL5(mremap, old_address, old_length, new_length, flags, new_address);
}
