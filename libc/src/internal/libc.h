#pragma once

// State the startup code gathers for the rest of the library.

#include <stddef.h>
#include <stdint.h>

// Values from the auxiliary vector (System V ABI 3.4.3), 0 when absent.
struct AuxiliaryValues {
    uintptr_t program_headers;   // AT_PHDR
    size_t program_header_size;  // AT_PHENT
    size_t program_header_count; // AT_PHNUM
    size_t page_size;            // AT_PAGESZ
    const uint8_t* random_bytes; // AT_RANDOM: 16 bytes from the kernel
};

extern struct AuxiliaryValues __auxiliary;

// Sets up the thread pointer (FS base) with the static TLS block and the TCB.
void __tls_init(void);

// Flushes every stream at exit; weak so that programs without stdio skip it.
void __stdio_exit(void) __attribute__((weak));
