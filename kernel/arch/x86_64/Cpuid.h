#pragma once

// What CPUID says about the processor: vendor, brand string, family/model/
// stepping and the feature-flag leaves, with the flags' lowercase names as
// Linux prints them in /proc/cpuinfo (Intel SDM vol. 2A, CPUID; AMD APM
// vol. 3, appendix E).
#include <kernel/lib/StringView.h>

namespace x86 {

struct CpuInfo {
    char vendor[13]; // NUL-terminated, e.g. "GenuineIntel"
    char brand[49];  // NUL-terminated, leading spaces removed; empty if absent
    u32 max_leaf;
    u32 max_extended_leaf;
    u32 family; // with the extended family folded in
    u32 model;  // with the extended model folded in
    u32 stepping;
    // Feature registers; zero when the leaf does not exist.
    u32 leaf1_ecx, leaf1_edx;
    u32 leaf7_ebx, leaf7_ecx, leaf7_edx;
    u32 extended1_ecx, extended1_edx;
};

CpuInfo read_cpu_info();

// Calls visit(name) for every feature the CPU reports that has a name, in
// leaf order: 1 EDX, 1 ECX, 7 EBX, 7 ECX, 7 EDX, 0x80000001 EDX, 0x80000001 ECX.
void for_each_feature(const CpuInfo& info, void (*visit)(StringView name, void* context), void* context);

} // namespace x86
