// CPUID decoding. Leaves used (Intel SDM vol. 2A, CPUID instruction):
//   0           max leaf, vendor (EBX, EDX, ECX)
//   1           signature (EAX) and features (ECX, EDX)
//   7, sub 0    structured extended features (EBX, ECX, EDX)
//   0x80000000  max extended leaf
//   0x80000001  extended features (ECX, EDX; mostly AMD)
//   0x80000002-4 brand string
// Reading CPUID has no side effects; the result is per CPU but identical on
// the CPUs of one machine in practice, so callers read it on any CPU.
#include <kernel/arch/x86_64/Cpuid.h>
#include <kernel/arch/x86_64/Io.h>

namespace x86 {

namespace {

using FeatureNames = const char* const[32];

// Names follow Linux's arch/x86/include/asm/cpufeatures.h spelling; bits
// without a name are reserved or not worth showing.
constexpr FeatureNames LEAF1_EDX = {
    "fpu",
    "vme",
    "de",
    "pse",
    "tsc",
    "msr",
    "pae",
    "mce",
    "cx8",
    "apic",
    nullptr,
    "sep",
    "mtrr",
    "pge",
    "mca",
    "cmov",
    "pat",
    "pse36",
    "pn",
    "clflush",
    nullptr,
    "dts",
    "acpi",
    "mmx",
    "fxsr",
    "sse",
    "sse2",
    "ss",
    "ht",
    "tm",
    "ia64",
    "pbe",
};

constexpr FeatureNames LEAF1_ECX = {
    "pni",
    "pclmulqdq",
    "dtes64",
    "monitor",
    "ds_cpl",
    "vmx",
    "smx",
    "est",
    "tm2",
    "ssse3",
    "cid",
    "sdbg",
    "fma",
    "cx16",
    "xtpr",
    "pdcm",
    nullptr,
    "pcid",
    "dca",
    "sse4_1",
    "sse4_2",
    "x2apic",
    "movbe",
    "popcnt",
    "tsc_deadline_timer",
    "aes",
    "xsave",
    "osxsave",
    "avx",
    "f16c",
    "rdrand",
    "hypervisor",
};

constexpr FeatureNames LEAF7_EBX = {
    "fsgsbase",
    "tsc_adjust",
    "sgx",
    "bmi1",
    "hle",
    "avx2",
    "fdp_excptn_only",
    "smep",
    "bmi2",
    "erms",
    "invpcid",
    "rtm",
    "cqm",
    "zero_fcs_fds",
    "mpx",
    "rdt_a",
    "avx512f",
    "avx512dq",
    "rdseed",
    "adx",
    "smap",
    "avx512ifma",
    nullptr,
    "clflushopt",
    "clwb",
    "intel_pt",
    "avx512pf",
    "avx512er",
    "avx512cd",
    "sha_ni",
    "avx512bw",
    "avx512vl",
};

constexpr FeatureNames LEAF7_ECX = {
    "prefetchwt1",
    "avx512vbmi",
    "umip",
    "pku",
    "ospke",
    "waitpkg",
    "avx512_vbmi2",
    "shstk",
    "gfni",
    "vaes",
    "vpclmulqdq",
    "avx512_vnni",
    "avx512_bitalg",
    "tme",
    "avx512_vpopcntdq",
    nullptr,
    "la57",
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    "rdpid",
    "kl",
    "bus_lock_detect",
    "cldemote",
    nullptr,
    "movdiri",
    "movdir64b",
    "enqcmd",
    "sgx_lc",
    "pks",
};

constexpr FeatureNames LEAF7_EDX = {
    nullptr,
    nullptr,
    "avx512_4vnniw",
    "avx512_4fmaps",
    "fsrm",
    "uintr",
    nullptr,
    nullptr,
    "avx512_vp2intersect",
    "srbds_ctrl",
    "md_clear",
    "rtm_always_abort",
    nullptr,
    "tsx_force_abort",
    "serialize",
    "hybrid_cpu",
    "tsxldtrk",
    nullptr,
    "pconfig",
    "arch_lbr",
    "ibt",
    nullptr,
    "amx_bf16",
    "avx512_fp16",
    "amx_tile",
    "amx_int8",
    "spec_ctrl",
    "intel_stibp",
    "flush_l1d",
    "arch_capabilities",
    "core_capabilities",
    "spec_ctrl_ssbd",
};

// Bits 0-9, 12-17 and 23-24 repeat leaf 1 EDX on AMD; only the others are named.
constexpr FeatureNames EXTENDED1_EDX = {
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    "syscall",
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    "mp",
    "nx",
    nullptr,
    "mmxext",
    nullptr,
    nullptr,
    "fxsr_opt",
    "pdpe1gb",
    "rdtscp",
    nullptr,
    "lm",
    "3dnowext",
    "3dnow",
};

constexpr FeatureNames EXTENDED1_ECX = {
    "lahf_lm",
    "cmp_legacy",
    "svm",
    "extapic",
    "cr8_legacy",
    "abm",
    "sse4a",
    "misalignsse",
    "3dnowprefetch",
    "osvw",
    "ibs",
    "xop",
    "skinit",
    "wdt",
    nullptr,
    "lwp",
    "fma4",
    "tce",
    nullptr,
    "nodeid_msr",
    nullptr,
    "tbm",
    "topoext",
    "perfctr_core",
    "perfctr_nb",
    nullptr,
    "bpext",
    "ptsc",
    "perfctr_llc",
    "mwaitx",
    nullptr,
    nullptr,
};

void store_register(char* out, u32 value)
{
    for (int i = 0; i < 4; ++i)
        out[i] = static_cast<char>(value >> (8 * i));
}

void visit_register(u32 value, const FeatureNames& names, void (*visit)(StringView, void*), void* context)
{
    for (u32 bit = 0; bit < 32; ++bit) {
        if ((value & (1u << bit)) && names[bit])
            visit(names[bit], context);
    }
}

} // namespace

CpuInfo read_cpu_info()
{
    CpuInfo info {};
    CpuidResult leaf0 = cpuid(0);
    info.max_leaf = leaf0.eax;
    store_register(info.vendor, leaf0.ebx);
    store_register(info.vendor + 4, leaf0.edx);
    store_register(info.vendor + 8, leaf0.ecx);

    if (info.max_leaf >= 1) {
        CpuidResult leaf1 = cpuid(1);
        // Signature (SDM vol. 2A, CPUID, figure 3-6): the extended family adds
        // to family 0xf; the extended model extends families 0x6 and 0xf.
        u32 base_family = (leaf1.eax >> 8) & 0xf;
        u32 base_model = (leaf1.eax >> 4) & 0xf;
        info.stepping = leaf1.eax & 0xf;
        info.family = base_family == 0xf ? base_family + ((leaf1.eax >> 20) & 0xff) : base_family;
        info.model
            = (base_family == 0x6 || base_family == 0xf) ? base_model | (((leaf1.eax >> 16) & 0xf) << 4) : base_model;
        info.leaf1_ecx = leaf1.ecx;
        info.leaf1_edx = leaf1.edx;
    }
    if (info.max_leaf >= 7) {
        CpuidResult leaf7 = cpuid(7, 0);
        info.leaf7_ebx = leaf7.ebx;
        info.leaf7_ecx = leaf7.ecx;
        info.leaf7_edx = leaf7.edx;
    }

    info.max_extended_leaf = cpuid(0x80000000).eax;
    if (info.max_extended_leaf >= 0x80000001) {
        CpuidResult extended1 = cpuid(0x80000001);
        info.extended1_ecx = extended1.ecx;
        info.extended1_edx = extended1.edx;
    }
    if (info.max_extended_leaf >= 0x80000004) {
        char raw[48];
        for (u32 i = 0; i < 3; ++i) {
            CpuidResult part = cpuid(0x80000002 + i);
            char* chunk = raw + usize(i) * 16;
            store_register(chunk, part.eax);
            store_register(chunk + 4, part.ebx);
            store_register(chunk + 8, part.ecx);
            store_register(chunk + 12, part.edx);
        }
        usize start = 0;
        while (start < sizeof(raw) && raw[start] == ' ')
            ++start;
        usize length = 0;
        for (usize i = start; i < sizeof(raw) && raw[i]; ++i)
            info.brand[length++] = raw[i];
        while (length > 0 && info.brand[length - 1] == ' ')
            --length;
        info.brand[length] = '\0';
    }
    return info;
}

void for_each_feature(const CpuInfo& info, void (*visit)(StringView name, void* context), void* context)
{
    visit_register(info.leaf1_edx, LEAF1_EDX, visit, context);
    visit_register(info.leaf1_ecx, LEAF1_ECX, visit, context);
    visit_register(info.leaf7_ebx, LEAF7_EBX, visit, context);
    visit_register(info.leaf7_ecx, LEAF7_ECX, visit, context);
    visit_register(info.leaf7_edx, LEAF7_EDX, visit, context);
    visit_register(info.extended1_edx, EXTENDED1_EDX, visit, context);
    visit_register(info.extended1_ecx, EXTENDED1_ECX, visit, context);
}

} // namespace x86
