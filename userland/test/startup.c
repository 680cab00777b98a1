// startup: checks the System V initial stack the kernel built (psABI 3.4.1):
// alignment, argc/argv/envp, and the auxiliary vector against the program's
// own ELF header (lld's __ehdr_start) and entry point. Built twice, as a
// static executable and as a static PIE, so AT_PHDR and AT_ENTRY are checked
// with and without a load bias. No pointer tables in data: the PIE has no
// relocations to apply.
#include "runtime.h"

// Hidden: reached PC-relative, so the PIE needs no GOT entry (a relocation).
extern const char __ehdr_start[] __attribute__((visibility("hidden")));
extern char _start[] __attribute__((visibility("hidden")));

struct elf_header {
    unsigned char ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

static void check_aux(const char* name, uint64_t type, uint64_t expected)
{
    int found;
    uint64_t value = auxv_value(type, &found);
    if (!found) {
        check(name, 0);
        return;
    }
    check_equal(name, (long)value, (long)expected);
}

int main(int argc, char** argv)
{
    const struct elf_header* header = (const struct elf_header*)__ehdr_start;
    uint64_t rsp = g_start.initial_rsp;
    out("startup: image at %p, entry %p, rsp %p\n", __ehdr_start, _start, (void*)rsp);

    check("rsp is 16-byte aligned at entry", rsp % 16 == 0);
    check_equal("argc is the first word", argc, (long)*(uint64_t*)rsp);
    check("argv[argc] is NULL", argv[argc] == 0);
    for (int i = 0; i < argc; ++i)
        out("argv[%d]=%s\n", i, argv[i]);
    int environment = 0;
    int well_formed = 1;
    for (char** env = g_start.envp; *env; ++env, ++environment) {
        int has_equals = 0;
        for (const char* c = *env; *c; ++c)
            has_equals |= *c == '=';
        well_formed &= has_equals;
        out("envp[%d]=%s\n", environment, *env);
    }
    check("envp has NAME=value entries", environment > 0 && well_formed);

    check_aux("AT_PHDR is the loaded program header table", AT_PHDR, (uint64_t)__ehdr_start + header->phoff);
    check_aux("AT_PHENT is 56", AT_PHENT, 56);
    check_aux("AT_PHNUM matches e_phnum", AT_PHNUM, header->phnum);
    check_aux("AT_PAGESZ is 4096", AT_PAGESZ, 4096);
    check_aux("AT_ENTRY is _start", AT_ENTRY, (uint64_t)_start);
    check_aux("AT_BASE is 0", AT_BASE, 0);
    check_aux("AT_UID is 0", AT_UID, 0);
    check_aux("AT_EUID is 0", AT_EUID, 0);
    check_aux("AT_GID is 0", AT_GID, 0);
    check_aux("AT_EGID is 0", AT_EGID, 0);
    check_aux("AT_SECURE is 0", AT_SECURE, 0);
    int found;
    const char* execfn = (const char*)auxv_value(AT_EXECFN, &found);
    check("AT_EXECFN names the program as argv[0] does", found && execfn && string_equal(execfn, argv[0]));

    const unsigned char* random = (const unsigned char*)auxv_value(AT_RANDOM, &found);
    check("AT_RANDOM is present", found && random);
    if (found && random) {
        int nonzero = 0;
        for (int i = 0; i < 16; ++i)
            nonzero |= random[i];
        check("AT_RANDOM's 16 bytes are not all zero", nonzero);
        check("AT_RANDOM points into the stack above the vectors", (uint64_t)random > (uint64_t)g_start.auxv);
    }
    check("strings lie above the vectors in argv order",
        (uint64_t)argv[0] > (uint64_t)g_start.auxv && (argc < 2 || argv[1] > argv[0]));
    return finish("startup");
}
