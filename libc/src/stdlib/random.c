// rand: a 64-bit linear congruential generator (Knuth's MMIX constants),
// returning the high 31 bits. rand_r keeps its whole state in 32 bits.
// Sequences differ from glibc's; C only asks for determinism per seed.

#include <stdint.h>
#include <stdlib.h>

static uint64_t s_state = 1;

void srand(unsigned seed)
{
    s_state = seed;
}

int rand(void)
{
    s_state = s_state * 6364136223846793005ull + 1442695040888963407ull;
    return (int)(s_state >> 33);
}

int rand_r(unsigned* seed)
{
    // A 32-bit LCG (Numerical Recipes constants) with a tempered output.
    *seed = *seed * 1664525u + 1013904223u;
    uint32_t value = *seed;
    value ^= value >> 11;
    value ^= (value << 7) & 0x9d2c5680u;
    value ^= (value << 15) & 0xefc60000u;
    value ^= value >> 18;
    return (int)(value & RAND_MAX);
}
