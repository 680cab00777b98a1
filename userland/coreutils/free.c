// free [-k | -m]: memory usage from /proc/meminfo, in KiB (or MiB with -m),
// laid out as procps free:
//                  total        used        free      shared  buff/cache   available
//   Mem:         <total>      <used>      <free>    <shared>  <buff/cache> <available>
//   Swap:        <total>      <used>      <free>
// used = total - available when MemAvailable is given, else total - free -
// buff/cache; buff/cache = Buffers + Cached + SReclaimable. Missing fields
// count as 0; a missing /proc/meminfo is reported.

#include "lib/utility.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char* name;
    unsigned long long value; // KiB
    bool present;
} Field;

enum {
    FieldMemTotal,
    FieldMemFree,
    FieldMemAvailable,
    FieldBuffers,
    FieldCached,
    FieldReclaimable,
    FieldShared,
    FieldSwapTotal,
    FieldSwapFree,
    FieldCount,
};

int main(int argc, char** argv)
{
    g_program_name = "free";
    Options options;
    if (!options_parse(argc, argv, "km", &options))
        return 1;
    unsigned long long divisor = options.set['m'] ? 1024 : 1;
    Field fields[FieldCount] = {
        [FieldMemTotal] = { "MemTotal", 0, false },
        [FieldMemFree] = { "MemFree", 0, false },
        [FieldMemAvailable] = { "MemAvailable", 0, false },
        [FieldBuffers] = { "Buffers", 0, false },
        [FieldCached] = { "Cached", 0, false },
        [FieldReclaimable] = { "SReclaimable", 0, false },
        [FieldShared] = { "Shmem", 0, false },
        [FieldSwapTotal] = { "SwapTotal", 0, false },
        [FieldSwapFree] = { "SwapFree", 0, false },
    };
    FILE* meminfo = fopen("/proc/meminfo", "r");
    if (!meminfo) {
        report_errno("/proc/meminfo");
        return 1;
    }
    char line[256];
    while (fgets(line, sizeof(line), meminfo)) {
        char* colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        for (int i = 0; i < FieldCount; ++i) {
            if (strcmp(line, fields[i].name) == 0) {
                fields[i].value = strtoull(colon + 1, NULL, 10);
                fields[i].present = true;
            }
        }
    }
    fclose(meminfo);
    if (!fields[FieldMemTotal].present) {
        report("/proc/meminfo: no MemTotal line");
        return 1;
    }
    unsigned long long total = fields[FieldMemTotal].value;
    unsigned long long free_memory = fields[FieldMemFree].value;
    unsigned long long cache = fields[FieldBuffers].value + fields[FieldCached].value + fields[FieldReclaimable].value;
    unsigned long long available = fields[FieldMemAvailable].present ? fields[FieldMemAvailable].value : free_memory;
    unsigned long long used;
    if (fields[FieldMemAvailable].present)
        used = total > available ? total - available : 0;
    else
        used = total > free_memory + cache ? total - free_memory - cache : 0;
    unsigned long long swap_total = fields[FieldSwapTotal].value;
    unsigned long long swap_free = fields[FieldSwapFree].value;
    printf("%-7s%13s%12s%12s%12s%12s%12s\n", "", "total", "used", "free", "shared", "buff/cache", "available");
    printf("%-7s%13llu%12llu%12llu%12llu%12llu%12llu\n", "Mem:", total / divisor, used / divisor, free_memory / divisor,
        fields[FieldShared].value / divisor, cache / divisor, available / divisor);
    printf("%-7s%13llu%12llu%12llu\n", "Swap:", swap_total / divisor,
        (swap_total > swap_free ? swap_total - swap_free : 0) / divisor, swap_free / divisor);
    return 0;
}
