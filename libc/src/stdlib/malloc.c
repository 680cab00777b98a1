// malloc: a boundary-tag allocator with segregated free lists, on brk (mmap
// when brk cannot grow), and direct mmap for large blocks.
//
// Memory is a set of regions, each a run of chunks ending in a fence:
//
//   chunk: [previous_size][size | flags][payload ...]        16-byte header
//   fence: a header with size 0 and InUse: nothing is merged across it
//
// Sizes include the header and are multiples of 16, so payloads are 16-byte
// aligned. `previous_size` is valid only when the chunk before is free
// (PreviousInUse clear), which lets free() merge with both neighbours in O(1).
// Invariants: no two free chunks are adjacent; every free chunk is on exactly
// one bin list; a region's last chunk is followed by its fence.
//
// Bins: sizes below 1 KiB have one exact bin per 16 bytes; above, each power
// of two is split into four bins. A bitmap of non-empty bins finds the
// smallest usable bin quickly; inside a large bin the search is first fit.
// Requests of 256 KiB and more get their own mmap, returned by munmap.
// Growing the brk region merges the new space with the free chunk at its end.
//
// Single-threaded, like the rest of the library. free() of a pointer that is
// not in use (double free) aborts with a message instead of corrupting lists.

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum {
    InUse = 1,
    PreviousInUse = 2,
    Mapped = 4,
    FlagMask = 15,
    HeaderSize = 16,
    MinimumChunk = 32,
    SmallLimit = 1024,
    BinCount = 256,
};

static const size_t MAP_THRESHOLD = (size_t)256 * 1024;
static const size_t REGION_GROWTH = (size_t)256 * 1024;

typedef struct Chunk {
    size_t previous_size;    // size of the free chunk before; for Mapped: offset from the mapping start
    size_t header;           // size | flags
    struct Chunk* next_free; // free chunks only
    struct Chunk* previous_free;
} Chunk;

static Chunk* s_bins[BinCount];
static uint64_t s_bin_bitmap[BinCount / 64];
static uintptr_t s_brk_end; // end of the region that brk can extend, 0 if none

static size_t chunk_size(const Chunk* chunk)
{
    return chunk->header & ~(size_t)FlagMask;
}
static Chunk* chunk_at(const void* address)
{
    return (Chunk*)address;
}
static Chunk* next_chunk(const Chunk* chunk)
{
    return chunk_at((const char*)chunk + chunk_size(chunk));
}
static void* payload(Chunk* chunk)
{
    return (char*)chunk + HeaderSize;
}
static Chunk* chunk_of(void* pointer)
{
    return chunk_at((char*)pointer - HeaderSize);
}

static unsigned bin_index(size_t size)
{
    if (size < SmallLimit)
        return (unsigned)(size / 16);
    unsigned top_bit = 63u - (unsigned)__builtin_clzl(size);
    unsigned quarter = (unsigned)(size >> (top_bit - 2)) & 3;
    unsigned index = 64 + (top_bit - 10) * 4 + quarter;
    return index < BinCount ? index : BinCount - 1;
}

static void bin_insert(Chunk* chunk)
{
    unsigned index = bin_index(chunk_size(chunk));
    chunk->previous_free = NULL;
    chunk->next_free = s_bins[index];
    if (chunk->next_free)
        chunk->next_free->previous_free = chunk;
    s_bins[index] = chunk;
    s_bin_bitmap[index / 64] |= 1ull << (index % 64);
}

static void bin_remove(Chunk* chunk)
{
    unsigned index = bin_index(chunk_size(chunk));
    if (chunk->previous_free)
        chunk->previous_free->next_free = chunk->next_free;
    else
        s_bins[index] = chunk->next_free;
    if (chunk->next_free)
        chunk->next_free->previous_free = chunk->previous_free;
    if (!s_bins[index])
        s_bin_bitmap[index / 64] &= ~(1ull << (index % 64));
}

// The first non-empty bin at or after index, or BinCount.
static unsigned next_nonempty_bin(unsigned index)
{
    while (index < BinCount) {
        uint64_t word = s_bin_bitmap[index / 64] >> (index % 64);
        if (word)
            return index + (unsigned)__builtin_ctzll(word);
        index = (index / 64 + 1) * 64;
    }
    return BinCount;
}

// Marks a chunk (in use, neighbours already settled) free: merges it with
// free neighbours, updates the tags and puts the result on its bin.
static void release_chunk(Chunk* chunk)
{
    size_t size = chunk_size(chunk);
    Chunk* next = next_chunk(chunk);
    if (!(next->header & InUse)) {
        bin_remove(next);
        size += chunk_size(next);
    }
    size_t flags = chunk->header & PreviousInUse;
    if (!(chunk->header & PreviousInUse)) {
        Chunk* previous = chunk_at((char*)chunk - chunk->previous_size);
        bin_remove(previous);
        size += chunk_size(previous);
        flags = previous->header & PreviousInUse;
        chunk = previous;
    }
    chunk->header = size | flags;
    next = next_chunk(chunk);
    next->previous_size = size;
    next->header &= ~(size_t)PreviousInUse;
    bin_insert(chunk);
}

// Takes the free chunk off its bin, marks it in use and returns the tail
// beyond `size` to the bins when it is large enough to be a chunk.
static void* occupy(Chunk* chunk, size_t size)
{
    bin_remove(chunk);
    size_t available = chunk_size(chunk);
    size_t flags = chunk->header & PreviousInUse;
    if (available - size >= MinimumChunk) {
        chunk->header = size | flags | InUse;
        Chunk* rest = next_chunk(chunk);
        rest->header = (available - size) | PreviousInUse | InUse;
        next_chunk(rest)->header |= PreviousInUse;
        release_chunk(rest);
    } else {
        chunk->header = available | flags | InUse;
        next_chunk(chunk)->header |= PreviousInUse;
    }
    return payload(chunk);
}

static Chunk* find_free_chunk(size_t size)
{
    unsigned index = bin_index(size);
    if (index >= SmallLimit / 16) {
        // A large bin mixes sizes: first fit inside the request's own bin.
        for (Chunk* chunk = s_bins[index]; chunk; chunk = chunk->next_free) {
            if (chunk_size(chunk) >= size)
                return chunk;
        }
        ++index;
    }
    index = next_nonempty_bin(index);
    return index < BinCount ? s_bins[index] : NULL;
}

// Adds [start, start + length) as fresh memory: extends the brk region when
// it is contiguous (the old fence becomes part of the new free chunk), else
// starts a new region. Either way the new free chunk goes through
// release_chunk, which merges it with a free chunk before it.
static void add_memory(uintptr_t start, size_t length, int from_brk)
{
    Chunk* chunk;
    if (from_brk && s_brk_end && start == s_brk_end) {
        chunk = chunk_at((char*)start - HeaderSize); // the old fence
        chunk->header = length | (chunk->header & PreviousInUse) | InUse;
    } else {
        uintptr_t aligned = (start + 15) & ~(uintptr_t)15;
        length -= aligned - start;
        length &= ~(size_t)15;
        chunk = chunk_at((void*)aligned);
        chunk->header = (length - HeaderSize) | PreviousInUse | InUse;
    }
    Chunk* fence = next_chunk(chunk);
    fence->header = InUse | PreviousInUse;
    if (from_brk)
        s_brk_end = (uintptr_t)fence + HeaderSize;
    release_chunk(chunk);
}

static int grow(size_t size)
{
    size_t length = (size + (size_t)2 * HeaderSize + REGION_GROWTH - 1) & ~(REGION_GROWTH - 1);
    void* start = sbrk((intptr_t)length);
    if (start != (void*)-1) {
        add_memory((uintptr_t)start, length, 1);
        return 0;
    }
    start = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (start == MAP_FAILED)
        return -1;
    add_memory((uintptr_t)start, length, 0);
    return 0;
}

static size_t request_to_chunk_size(size_t request)
{
    if (request > SIZE_MAX / 2)
        return 0;
    size_t size = (request + HeaderSize + 15) & ~(size_t)15;
    return size < MinimumChunk ? MinimumChunk : size;
}

static void* map_chunk(size_t size)
{
    size_t length = (size + 4095) & ~(size_t)4095;
    void* start = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (start == MAP_FAILED)
        return NULL;
    Chunk* chunk = chunk_at(start);
    chunk->previous_size = 0;
    chunk->header = length | Mapped | InUse;
    return payload(chunk);
}

void* malloc(size_t request)
{
    size_t size = request_to_chunk_size(request);
    if (size == 0) {
        errno = ENOMEM;
        return NULL;
    }
    if (size >= MAP_THRESHOLD)
        return map_chunk(size);
    Chunk* chunk = find_free_chunk(size);
    if (!chunk) {
        if (grow(size) < 0) {
            errno = ENOMEM;
            return NULL;
        }
        chunk = find_free_chunk(size);
    }
    return occupy(chunk, size);
}

static _Noreturn void heap_corrupted(const char* what)
{
    static const char prefix[] = "malloc: ";
    write(2, prefix, sizeof(prefix) - 1);
    write(2, what, strlen(what));
    write(2, "\n", 1);
    abort();
}

void free(void* pointer)
{
    if (!pointer)
        return;
    Chunk* chunk = chunk_of(pointer);
    if (((uintptr_t)pointer & 15) || !(chunk->header & InUse))
        heap_corrupted("free() of a pointer not in use");
    if (chunk->header & Mapped) {
        munmap((char*)chunk - chunk->previous_size, chunk_size(chunk) + chunk->previous_size);
        return;
    }
    release_chunk(chunk);
}

void* calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    void* pointer = malloc(count * size);
    if (pointer && !(chunk_of(pointer)->header & Mapped))
        memset(pointer, 0, count * size); // fresh mappings are already zero
    return pointer;
}

void* realloc(void* pointer, size_t request)
{
    if (!pointer)
        return malloc(request);
    if (request == 0) {
        free(pointer);
        return NULL;
    }
    size_t size = request_to_chunk_size(request);
    if (size == 0) {
        errno = ENOMEM;
        return NULL;
    }
    Chunk* chunk = chunk_of(pointer);
    if (!(chunk->header & InUse))
        heap_corrupted("realloc() of a pointer not in use");
    size_t current = chunk_size(chunk);
    if (!(chunk->header & Mapped)) {
        Chunk* next = next_chunk(chunk);
        if (size > current && !(next->header & InUse) && current + chunk_size(next) >= size) {
            // Absorb the free neighbour in place.
            bin_remove(next);
            current += chunk_size(next);
            chunk->header = current | (chunk->header & FlagMask);
            next_chunk(chunk)->header |= PreviousInUse;
        }
        if (size <= current) {
            if (current - size >= MinimumChunk) {
                chunk->header = size | (chunk->header & FlagMask);
                Chunk* rest = next_chunk(chunk);
                rest->header = (current - size) | PreviousInUse | InUse;
                release_chunk(rest);
            }
            return pointer;
        }
    } else if (size <= current && size > current / 2) {
        return pointer;
    }
    void* moved = malloc(request);
    if (!moved)
        return NULL;
    size_t usable = current - HeaderSize;
    memcpy(moved, pointer, usable < request ? usable : request);
    free(pointer);
    return moved;
}

void* reallocarray(void* pointer, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(pointer, count * size);
}

int posix_memalign(void** result, size_t alignment, size_t request)
{
    if (alignment < sizeof(void*) || (alignment & (alignment - 1)))
        return EINVAL;
    if (alignment <= 16) {
        *result = malloc(request);
        return *result ? 0 : ENOMEM;
    }
    if (request > SIZE_MAX / 4 || alignment > SIZE_MAX / 4)
        return ENOMEM;
    char* raw = malloc(request + alignment + MinimumChunk);
    if (!raw)
        return ENOMEM;
    if ((uintptr_t)raw % alignment == 0) {
        *result = raw;
        return 0;
    }
    // The first aligned address that leaves room for a whole chunk in front
    // of it; the gap goes back to the heap (or into the mapping's offset).
    uintptr_t aligned = ((uintptr_t)raw + MinimumChunk + alignment - 1) & ~(uintptr_t)(alignment - 1);
    Chunk* chunk = chunk_of(raw);
    Chunk* moved = chunk_of((void*)aligned);
    size_t gap = aligned - (uintptr_t)raw;
    size_t size = chunk_size(chunk);
    if (chunk->header & Mapped) {
        moved->previous_size = chunk->previous_size + gap;
        moved->header = (size - gap) | Mapped | InUse;
    } else {
        moved->header = (size - gap) | PreviousInUse | InUse;
        chunk->header = gap | (chunk->header & PreviousInUse) | InUse;
        release_chunk(chunk);
    }
    *result = payload(moved);
    return 0;
}

void* aligned_alloc(size_t alignment, size_t size)
{
    void* result;
    int error = posix_memalign(&result, alignment, size);
    if (error) {
        errno = error;
        return NULL;
    }
    return result;
}
