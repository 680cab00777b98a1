// qsort: introsort. Quicksort with a median-of-three pivot, insertion sort
// for short ranges, recursion only into the smaller side (O(log n) stack),
// and heapsort when the depth passes 2 log2(n), so the worst case stays
// O(n log n). Not stable, as C allows. bsearch is the matching binary search.

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef int (*Compare)(const void*, const void*);

static void swap_elements(char* a, char* b, size_t size)
{
    if (a == b)
        return;
    while (size--) {
        char byte = *a;
        *a++ = *b;
        *b++ = byte;
    }
}

static void insertion_sort(char* base, size_t count, size_t size, Compare compare)
{
    for (size_t i = 1; i < count; ++i) {
        for (size_t j = i; j > 0 && compare(base + (j - 1) * size, base + j * size) > 0; --j)
            swap_elements(base + (j - 1) * size, base + j * size, size);
    }
}

static void sift_down(char* base, size_t root, size_t count, size_t size, Compare compare)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= count)
            return;
        if (child + 1 < count && compare(base + child * size, base + (child + 1) * size) < 0)
            ++child;
        if (compare(base + root * size, base + child * size) >= 0)
            return;
        swap_elements(base + root * size, base + child * size, size);
        root = child;
    }
}

static void heap_sort(char* base, size_t count, size_t size, Compare compare)
{
    for (size_t i = count / 2; i-- > 0;)
        sift_down(base, i, count, size, compare);
    for (size_t end = count; end-- > 1;) {
        swap_elements(base, base + end * size, size);
        sift_down(base, 0, end, size, compare);
    }
}

static void introsort(char* base, size_t count, size_t size, Compare compare, int depth_budget)
{
    while (count > 12) {
        if (depth_budget-- == 0) {
            heap_sort(base, count, size, compare);
            return;
        }
        // Median of first, middle and last moved to the front as the pivot.
        char* first = base;
        char* middle = base + (count / 2) * size;
        char* last = base + (count - 1) * size;
        if (compare(middle, first) < 0)
            swap_elements(middle, first, size);
        if (compare(last, middle) < 0) {
            swap_elements(last, middle, size);
            if (compare(middle, first) < 0)
                swap_elements(middle, first, size);
        }
        swap_elements(first, middle, size);

        // Hoare partition around base[0].
        size_t i = 0;
        size_t j = count;
        for (;;) {
            do
                ++i;
            while (i < count && compare(base + i * size, base) < 0);
            do
                --j;
            while (compare(base + j * size, base) > 0);
            if (i >= j)
                break;
            swap_elements(base + i * size, base + j * size, size);
        }
        swap_elements(base, base + j * size, size);

        // base[j] is in place; recurse into the smaller side, loop on the other.
        size_t left_count = j;
        size_t right_count = count - j - 1;
        char* right = base + (j + 1) * size;
        if (left_count < right_count) {
            introsort(base, left_count, size, compare, depth_budget);
            base = right;
            count = right_count;
        } else {
            introsort(right, right_count, size, compare, depth_budget);
            count = left_count;
        }
    }
    insertion_sort(base, count, size, compare);
}

void qsort(void* base, size_t count, size_t size, Compare compare)
{
    if (count < 2 || size == 0)
        return;
    int depth_budget = 2 * (64 - __builtin_clzl(count));
    introsort(base, count, size, compare, depth_budget);
}

void* bsearch(const void* key, const void* base, size_t count, size_t size, Compare compare)
{
    const char* low = base;
    while (count > 0) {
        const char* middle = low + (count / 2) * size;
        int order = compare(key, middle);
        if (order == 0)
            return (void*)middle;
        if (order > 0) {
            low = middle + size;
            count -= count / 2 + 1;
        } else {
            count /= 2;
        }
    }
    return NULL;
}
