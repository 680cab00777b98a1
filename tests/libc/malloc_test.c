// malloc, calloc, realloc, free and aligned allocation under a random
// workload with content checks: every live block is filled with a pattern
// derived from its slot and generation, and verified before it is resized or
// freed, so overlapping blocks or lost bytes show up as pattern mismatches.

#include "check.h"
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { Slots = 1000, Rounds = 100000 };

typedef struct {
    unsigned char* pointer;
    size_t size;
    unsigned char seed;
} Block;

static Block s_blocks[Slots];

// Pointers pass through here so that the host compiler, which knows malloc,
// cannot fold allocations or comparisons away.
static void* volatile s_escape;

static void* escape(void* pointer)
{
    s_escape = pointer;
    return s_escape;
}

static uintptr_t address_of(void* pointer)
{
    return (uintptr_t)escape(pointer);
}
static uint64_t s_state = 88172645463325252ull;

static uint64_t next_random(void)
{
    s_state ^= s_state << 13;
    s_state ^= s_state >> 7;
    s_state ^= s_state << 17;
    return s_state;
}

// Mostly small sizes, some medium, a few above the mmap threshold.
static size_t random_size(void)
{
    uint64_t kind = next_random() % 100;
    if (kind < 70)
        return next_random() % 128;
    if (kind < 99)
        return next_random() % 8192;
    return 260000 + next_random() % 100000;
}

static void fill(Block* block)
{
    for (size_t i = 0; i < block->size; ++i)
        block->pointer[i] = (unsigned char)(block->seed + i * 31);
}

static int intact(const Block* block, size_t length)
{
    for (size_t i = 0; i < length; ++i) {
        if (block->pointer[i] != (unsigned char)(block->seed + i * 31))
            return 0;
    }
    return 1;
}

static void stress(int* corrupt, int* misaligned, int* failed)
{
    for (int round = 0; round < Rounds; ++round) {
        Block* block = &s_blocks[next_random() % Slots];
        uint64_t action = next_random() % 10;
        if (!block->pointer) {
            block->size = random_size();
            block->seed = (unsigned char)next_random();
            block->pointer = action < 2 ? calloc(1, block->size) : malloc(block->size);
            if (!block->pointer) {
                ++*failed;
                continue;
            }
            if (action < 2) {
                for (size_t i = 0; i < block->size; ++i)
                    *corrupt += block->pointer[i] != 0;
            }
            *misaligned += ((uintptr_t)block->pointer & 15) != 0;
            fill(block);
        } else if (action < 4) {
            *corrupt += !intact(block, block->size);
            size_t new_size = random_size();
            unsigned char* moved = realloc(block->pointer, new_size);
            if (!moved && new_size) {
                ++*failed;
                continue;
            }
            block->pointer = moved;
            size_t kept = new_size < block->size ? new_size : block->size;
            *corrupt += moved && !intact(block, kept);
            block->size = new_size;
            if (moved)
                fill(block);
        } else {
            *corrupt += !intact(block, block->size);
            free(block->pointer);
            block->pointer = NULL;
        }
    }
    for (int i = 0; i < Slots; ++i) {
        if (s_blocks[i].pointer) {
            *corrupt += !intact(&s_blocks[i], s_blocks[i].size);
            free(s_blocks[i].pointer);
            s_blocks[i].pointer = NULL;
        }
    }
}

int main(void)
{
    check_section("basics");
    CHECK(malloc(0) != NULL || errno == 0);
    char* small = malloc(1);
    CHECK(small != NULL);
    free(small);
    free(NULL);
    void* zeroed = calloc(1000, 1000);
    int nonzero = 0;
    for (int i = 0; zeroed && i < 1000000; ++i)
        nonzero += ((unsigned char*)zeroed)[i] != 0;
    CHECK(zeroed != NULL && nonzero == 0);
    free(zeroed);
    errno = 0;
    CHECK(escape(calloc(SIZE_MAX / 2, 4)) == NULL && errno == ENOMEM);
    errno = 0;
    CHECK(escape(malloc(SIZE_MAX - 8)) == NULL && errno == ENOMEM);
    void* from_null = realloc(NULL, 10);
    CHECK(escape(from_null) != NULL);
    free(from_null);

    check_section("reuse");
    // A freed block's memory is handed out again (the heap does not only grow).
    void* first = malloc(64);
    uintptr_t first_address = address_of(first);
    free(first);
    void* second = malloc(64);
    CHECK(address_of(second) == first_address);
    free(second);
    // Neighbours merge: two freed blocks satisfy one request of both sizes.
    char* a = escape(malloc(5000));
    uintptr_t a_address = address_of(a);
    char* b = malloc(5000);
    char* guard = malloc(16);
    free(a);
    free(b);
    char* merged = malloc(10000);
    CHECK(address_of(merged) == a_address);
    free(merged);
    free(guard);
    // realloc grows in place into a free neighbour.
    char* grow = escape(malloc(2000));
    uintptr_t grow_address = address_of(grow);
    char* next = malloc(8000);
    char* fence = malloc(16);
    free(next);
    memset(grow, 'g', 2000);
    char* grown = realloc(grow, 6000);
    CHECK(address_of(grown) == grow_address && grown[1999] == 'g');
    free(grown);
    free(fence);

    check_section("alignment");
    int aligned_ok = 1;
    for (size_t alignment = 16; alignment <= 65536; alignment *= 2) {
        void* pointer = NULL;
        int error = posix_memalign(&pointer, alignment, 1000);
        aligned_ok &= error == 0 && ((uintptr_t)pointer % alignment) == 0;
        if (pointer)
            memset(pointer, 0xaa, 1000);
        free(pointer);
        void* big = aligned_alloc(alignment, 300000);
        aligned_ok &= big && ((uintptr_t)big % alignment) == 0;
        if (big)
            memset(big, 0x55, 300000);
        free(big);
    }
    CHECK(aligned_ok);
    void* unused;
    CHECK(posix_memalign(&unused, 24, 10) == EINVAL);

    check_section("stress");
    int corrupt = 0;
    int misaligned = 0;
    int failed = 0;
    stress(&corrupt, &misaligned, &failed);
    CHECK(corrupt == 0);
    CHECK(misaligned == 0);
    CHECK(failed == 0);
    return check_summary();
}
