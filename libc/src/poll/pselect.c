// pselect, on pselect6. The kernel writes the time left into the timeout,
// which POSIX makes const: it gets a copy, as glibc gives it.

#include "../internal/syscall.h"
#include <sys/select.h>

int pselect(int count, fd_set* restrict read_set, fd_set* restrict write_set, fd_set* restrict error_set,
    const struct timespec* restrict timeout, const sigset_t* restrict mask)
{
    struct timespec copy;
    struct timespec* pointer = 0;
    if (timeout) {
        copy = *timeout;
        pointer = &copy;
    }
    // pselect6's sixth argument: the mask and its size.
    struct {
        const sigset_t* mask;
        unsigned long size;
    } mask_argument = { mask, sizeof(sigset_t) };
    return (int)SYSCALL6(pselect6, count, read_set, write_set, error_set, pointer, &mask_argument);
}
