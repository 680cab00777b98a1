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
    MEM_TOTAL,
    MEM_FREE,
    MEM_AVAILABLE,
    BUFFERS,
    CACHED,
    RECLAIMABLE,
    SHARED,
    SWAP_TOTAL,
    SWAP_FREE,
    FIELD_COUNT,
};

int main(int argc, char** argv)
{
    g_program_name = "free";
    Options options;
    if (!options_parse(argc, argv, "km", &options))
        return 1;
    unsigned long long divisor = options.set['m'] ? 1024 : 1;
    Field fields[FIELD_COUNT] = {
        [MEM_TOTAL] = { "MemTotal", 0, false },
        [MEM_FREE] = { "MemFree", 0, false },
        [MEM_AVAILABLE] = { "MemAvailable", 0, false },
        [BUFFERS] = { "Buffers", 0, false },
        [CACHED] = { "Cached", 0, false },
        [RECLAIMABLE] = { "SReclaimable", 0, false },
        [SHARED] = { "Shmem", 0, false },
        [SWAP_TOTAL] = { "SwapTotal", 0, false },
        [SWAP_FREE] = { "SwapFree", 0, false },
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
        for (int i = 0; i < FIELD_COUNT; ++i) {
            if (strcmp(line, fields[i].name) == 0) {
                fields[i].value = strtoull(colon + 1, NULL, 10);
                fields[i].present = true;
            }
        }
    }
    fclose(meminfo);
    if (!fields[MEM_TOTAL].present) {
        report("/proc/meminfo: no MemTotal line");
        return 1;
    }
    unsigned long long total = fields[MEM_TOTAL].value;
    unsigned long long free_memory = fields[MEM_FREE].value;
    unsigned long long cache = fields[BUFFERS].value + fields[CACHED].value + fields[RECLAIMABLE].value;
    unsigned long long available = fields[MEM_AVAILABLE].present ? fields[MEM_AVAILABLE].value : free_memory;
    unsigned long long used;
    if (fields[MEM_AVAILABLE].present)
        used = total > available ? total - available : 0;
    else
        used = total > free_memory + cache ? total - free_memory - cache : 0;
    unsigned long long swap_total = fields[SWAP_TOTAL].value;
    unsigned long long swap_free = fields[SWAP_FREE].value;
    printf("%-7s%13s%12s%12s%12s%12s%12s\n", "", "total", "used", "free", "shared", "buff/cache", "available");
    printf("%-7s%13llu%12llu%12llu%12llu%12llu%12llu\n", "Mem:", total / divisor, used / divisor, free_memory / divisor,
        fields[SHARED].value / divisor, cache / divisor, available / divisor);
    printf("%-7s%13llu%12llu%12llu\n", "Swap:", swap_total / divisor,
        (swap_total > swap_free ? swap_total - swap_free : 0) / divisor, swap_free / divisor);
    return 0;
}
