// Static TLS and the thread control block for the main (only) thread.
//
// x86_64 uses TLS variant II (ELF TLS ABI, "ELF Handling For Thread-Local
// Storage" section 3.4.6): the thread pointer in FS points at the TCB, whose
// first word points to itself, and the program's TLS block (PT_TLS: .tdata
// image then zeroed .tbss) ends right below it, so variables sit at negative
// offsets from %fs. The TCB also carries the stack-protector canary at %fs:0x28
// as compilers expect on x86_64 Linux, seeded from AT_RANDOM.
//
// The block lives in a static area when it fits, else in an mmap. If the kernel
// refuses ARCH_SET_FS the program still runs as long as it touches no TLS:
// libc itself keeps errno in a plain global (single-threaded library).

#include "../internal/libc.h"
#include "../internal/syscall.h"
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

enum {
    PT_PHDR = 6,
    PT_TLS = 7,
    ARCH_SET_FS = 0x1002,
};

struct ProgramHeader {
    uint32_t p_type;
    uint32_t p_flags;
    uint64_t p_offset;
    uint64_t p_vaddr;
    uint64_t p_paddr;
    uint64_t p_filesz;
    uint64_t p_memsz;
    uint64_t p_align;
};

struct ThreadControlBlock {
    struct ThreadControlBlock* self; // %fs:0
    void* dynamic_thread_vector;     // %fs:8, unused in static programs
    void* reserved[3];
    uintptr_t stack_guard;   // %fs:0x28
    uintptr_t pointer_guard; // %fs:0x30
};

_Static_assert(__builtin_offsetof(struct ThreadControlBlock, stack_guard) == 0x28, "canary at %fs:0x28");

static _Alignas(64) unsigned char s_static_area[1024];

static uintptr_t align_up(uintptr_t value, uintptr_t alignment)
{
    return (value + alignment - 1) & ~(alignment - 1);
}

void __tls_init(void)
{
    const struct ProgramHeader* tls = 0;
    uintptr_t load_bias = 0;
    const unsigned char* headers = (const unsigned char*)__auxiliary.program_headers;
    size_t header_size
        = __auxiliary.program_header_size ? __auxiliary.program_header_size : sizeof(struct ProgramHeader);
    for (size_t i = 0; headers && i < __auxiliary.program_header_count; ++i) {
        const struct ProgramHeader* header = (const struct ProgramHeader*)(headers + i * header_size);
        if (header->p_type == PT_TLS)
            tls = header;
        else if (header->p_type == PT_PHDR)
            load_bias = (uintptr_t)headers - header->p_vaddr;
    }

    // The linker places variables at (address in block) - align_up(p_memsz,
    // p_align) from the thread pointer; the thread pointer itself is aligned to
    // at least p_align so that the block start is too.
    uintptr_t alignment = 64;
    uintptr_t block_size = 0;
    if (tls) {
        uintptr_t tls_alignment = tls->p_align > 1 ? tls->p_align : 1;
        if (tls_alignment & (tls_alignment - 1))
            return;
        if (tls_alignment > alignment)
            alignment = tls_alignment;
        block_size = align_up(tls->p_memsz, tls_alignment);
    }
    size_t needed = alignment + block_size + sizeof(struct ThreadControlBlock);

    unsigned char* area = s_static_area;
    if (needed > sizeof(s_static_area)) {
        long mapped = syscall6(SYS_mmap, 0, (long)needed, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mapped < 0 && mapped > -4096)
            return;
        area = (unsigned char*)mapped;
    }

    uintptr_t thread_pointer = align_up((uintptr_t)area + block_size, alignment);
    if (tls) {
        unsigned char* block = (unsigned char*)(thread_pointer - block_size);
        memcpy(block, (const void*)(tls->p_vaddr + load_bias), tls->p_filesz);
        memset(block + tls->p_filesz, 0, tls->p_memsz - tls->p_filesz);
    }

    struct ThreadControlBlock* tcb = (struct ThreadControlBlock*)thread_pointer;
    memset(tcb, 0, sizeof(*tcb));
    tcb->self = tcb;
    if (__auxiliary.random_bytes) {
        memcpy(&tcb->stack_guard, __auxiliary.random_bytes, sizeof(tcb->stack_guard));
        memcpy(&tcb->pointer_guard, __auxiliary.random_bytes + 8, sizeof(tcb->pointer_guard));
    }
    // A zero low byte stops string overflows from reproducing the canary.
    tcb->stack_guard &= ~(uintptr_t)0xff;

    syscall2(SYS_arch_prctl, ARCH_SET_FS, (long)thread_pointer);
}
