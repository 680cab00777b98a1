// __libc_start: from the initial stack to main() and exit().
//
// Order: read argc/argv/envp and the auxiliary vector, publish environ and the
// program name, set up TLS (which also seeds the stack-protector canary from
// AT_RANDOM), run the ELF constructors (.preinit_array then .init_array, in
// order), call main and pass its result to exit(), which runs atexit handlers,
// .fini_array and the stdio flush.

#include "../internal/libc.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv, char** envp);

char** environ;
char* program_invocation_name;
char* program_invocation_short_name;
struct AuxiliaryValues __auxiliary;

// Defined by the linker around the constructor arrays of a static link.
extern void (*__preinit_array_start[])(int, char**, char**) __attribute__((weak));
extern void (*__preinit_array_end[])(int, char**, char**) __attribute__((weak));
extern void (*__init_array_start[])(int, char**, char**) __attribute__((weak));
extern void (*__init_array_end[])(int, char**, char**) __attribute__((weak));

enum {
    AT_NULL = 0,
    AT_PHDR = 3,
    AT_PHENT = 4,
    AT_PHNUM = 5,
    AT_PAGESZ = 6,
    AT_RANDOM = 25,
};

static void read_auxiliary_vector(const unsigned long* entry)
{
    __auxiliary.page_size = 4096;
    for (; entry[0] != AT_NULL; entry += 2) {
        switch (entry[0]) {
        case AT_PHDR:
            __auxiliary.program_headers = entry[1];
            break;
        case AT_PHENT:
            __auxiliary.program_header_size = entry[1];
            break;
        case AT_PHNUM:
            __auxiliary.program_header_count = entry[1];
            break;
        case AT_PAGESZ:
            if (entry[1] != 0)
                __auxiliary.page_size = entry[1];
            break;
        case AT_RANDOM:
            __auxiliary.random_bytes = (const uint8_t*)entry[1];
            break;
        default:
            break;
        }
    }
}

_Noreturn void __libc_start(unsigned long* stack)
{
    int argc = (int)stack[0];
    char** argv = (char**)(stack + 1);
    char** envp = argv + argc + 1;
    char** end_of_environment = envp;
    while (*end_of_environment)
        ++end_of_environment;
    read_auxiliary_vector((const unsigned long*)(end_of_environment + 1));

    environ = envp;
    if (argc > 0 && argv[0]) {
        program_invocation_name = argv[0];
        char* slash = strrchr(argv[0], '/');
        program_invocation_short_name = slash ? slash + 1 : argv[0];
    } else {
        program_invocation_name = program_invocation_short_name = "";
    }

    __tls_init();

    size_t preinit_count = (size_t)(__preinit_array_end - __preinit_array_start);
    for (size_t i = 0; i < preinit_count; ++i)
        __preinit_array_start[i](argc, argv, envp);
    size_t init_count = (size_t)(__init_array_end - __init_array_start);
    for (size_t i = 0; i < init_count; ++i)
        __init_array_start[i](argc, argv, envp);

    exit(main(argc, argv, envp));
}
