// Helpers shared by the AF_UNIX test programs: errno names and a line
// printer for results, so transcripts compare equal between the host Linux
// and Osprey.
#pragma once

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char* errno_name(int error)
{
    switch (error) {
    case 0:
        return "0";
    case EPERM:
        return "EPERM";
    case ENOENT:
        return "ENOENT";
    case EINTR:
        return "EINTR";
    case ENXIO:
        return "ENXIO";
    case EBADF:
        return "EBADF";
    case EAGAIN:
        return "EAGAIN";
    case ENOMEM:
        return "ENOMEM";
    case EACCES:
        return "EACCES";
    case EFAULT:
        return "EFAULT";
    case EEXIST:
        return "EEXIST";
    case ENOTDIR:
        return "ENOTDIR";
    case EINVAL:
        return "EINVAL";
    case EMFILE:
        return "EMFILE";
    case ENOSPC:
        return "ENOSPC";
    case ESPIPE:
        return "ESPIPE";
    case EPIPE:
        return "EPIPE";
    case EDOM:
        return "EDOM";
    case ENOSYS:
        return "ENOSYS";
    case ENOTSOCK:
        return "ENOTSOCK";
    case EDESTADDRREQ:
        return "EDESTADDRREQ";
    case EMSGSIZE:
        return "EMSGSIZE";
    case EPROTOTYPE:
        return "EPROTOTYPE";
    case ENOPROTOOPT:
        return "ENOPROTOOPT";
    case EPROTONOSUPPORT:
        return "EPROTONOSUPPORT";
    case ESOCKTNOSUPPORT:
        return "ESOCKTNOSUPPORT";
    case EOPNOTSUPP:
        return "EOPNOTSUPP";
    case EAFNOSUPPORT:
        return "EAFNOSUPPORT";
    case EADDRINUSE:
        return "EADDRINUSE";
    case ECONNRESET:
        return "ECONNRESET";
    case ENOBUFS:
        return "ENOBUFS";
    case EISCONN:
        return "EISCONN";
    case ENOTCONN:
        return "ENOTCONN";
    case ETOOMANYREFS:
        return "ETOOMANYREFS";
    case ETIMEDOUT:
        return "ETIMEDOUT";
    case ECONNREFUSED:
        return "ECONNREFUSED";
    case EALREADY:
        return "EALREADY";
    case EINPROGRESS:
        return "EINPROGRESS";
    default:
        return "E?";
    }
}

// Prints "label = value" or "label = -1 ENAME".
#define SHOW(label, expression)                                       \
    do {                                                              \
        errno = 0;                                                    \
        long show_result_ = (long)(expression);                       \
        int show_errno_ = errno;                                      \
        if (show_result_ < 0)                                         \
            printf("%s = -1 %s\n", (label), errno_name(show_errno_)); \
        else                                                          \
            printf("%s = %ld\n", (label), show_result_);              \
    } while (0)

// Evaluates and prints only "ok" or the failure (for values that differ
// between runs, such as fd numbers).
#define SHOW_OK(label, expression)                                    \
    do {                                                              \
        errno = 0;                                                    \
        long show_result_ = (long)(expression);                       \
        int show_errno_ = errno;                                      \
        if (show_result_ < 0)                                         \
            printf("%s = -1 %s\n", (label), errno_name(show_errno_)); \
        else                                                          \
            printf("%s = ok\n", (label));                             \
    } while (0)
