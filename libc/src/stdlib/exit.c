// Process exit: atexit/__cxa_atexit handlers in reverse order of
// registration, then .fini_array in reverse, then the stdio flush, then
// exit_group. abort raises SIGABRT and makes sure the process dies of it.

#include "../internal/libc.h"
#include "../internal/syscall.h"
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

enum { MaxHandlers = 64 };

typedef struct {
    void (*function)(void*);
    void (*plain_function)(void);
    void* argument;
} ExitHandler;

static ExitHandler s_handlers[MaxHandlers];
static int s_handler_count;

// Identifies this program to __cxa_atexit (C++ static destructors).
void* __dso_handle = &__dso_handle;

extern void (*__fini_array_start[])(void) __attribute__((weak));
extern void (*__fini_array_end[])(void) __attribute__((weak));

int __cxa_atexit(void (*function)(void*), void* argument, void* dso)
{
    (void)dso;
    if (s_handler_count == MaxHandlers)
        return -1;
    s_handlers[s_handler_count++] = (ExitHandler) { .function = function, .argument = argument };
    return 0;
}

int atexit(void (*function)(void))
{
    if (s_handler_count == MaxHandlers)
        return -1;
    s_handlers[s_handler_count++] = (ExitHandler) { .plain_function = function };
    return 0;
}

_Noreturn void exit(int status)
{
    // A handler may register more handlers; they run too, newest first.
    while (s_handler_count > 0) {
        ExitHandler handler = s_handlers[--s_handler_count];
        if (handler.plain_function)
            handler.plain_function();
        else
            handler.function(handler.argument);
    }
    size_t fini_count = (size_t)(__fini_array_end - __fini_array_start);
    while (fini_count-- > 0)
        __fini_array_start[fini_count]();
    if (__stdio_exit)
        __stdio_exit();
    _Exit(status);
}

_Noreturn void _Exit(int status)
{
    for (;;)
        syscall1(SYS_exit_group, status);
}

_Noreturn void _exit(int status)
{
    _Exit(status);
}

_Noreturn void abort(void)
{
    sigset_t abort_only;
    sigemptyset(&abort_only);
    sigaddset(&abort_only, SIGABRT);
    sigprocmask(SIG_UNBLOCK, &abort_only, NULL);
    raise(SIGABRT);
    // A handler returned: restore the default action and try again.
    struct sigaction default_action = { .sa_handler = SIG_DFL };
    sigaction(SIGABRT, &default_action, NULL);
    raise(SIGABRT);
    _Exit(127);
}
