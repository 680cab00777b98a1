// stdlib.h: qsort, bsearch, the strtol family (with ERANGE and EINVAL), the
// environment, abs/div, sscanf, getopt and atexit ordering.

#include "check.h"
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int compare_ints(const void* left, const void* right)
{
    int a = *(const int*)left;
    int b = *(const int*)right;
    return (a > b) - (a < b);
}

typedef struct {
    char name[12];
    int key;
} Record;

static int compare_records(const void* left, const void* right)
{
    return strcmp(((const Record*)left)->name, ((const Record*)right)->name);
}

static uint32_t s_state = 2463534242u;

static uint32_t next_random(void)
{
    s_state ^= s_state << 13;
    s_state ^= s_state >> 17;
    s_state ^= s_state << 5;
    return s_state;
}

static int sorted(const int* values, size_t count)
{
    for (size_t i = 1; i < count; ++i) {
        if (values[i - 1] > values[i])
            return 0;
    }
    return 1;
}

static void test_sorting(void)
{
    check_section("qsort");
    enum { Count = 20000 };
    static int values[Count];
    static const char* const shapes[] = { "random", "sorted", "reversed", "equal", "organ pipe", "few distinct" };
    for (size_t shape = 0; shape < sizeof(shapes) / sizeof(shapes[0]); ++shape) {
        long long sum = 0;
        for (int i = 0; i < Count; ++i) {
            switch (shape) {
            case 0:
                values[i] = (int)(next_random() % 1000000) - 500000;
                break;
            case 1:
                values[i] = i;
                break;
            case 2:
                values[i] = Count - i;
                break;
            case 3:
                values[i] = 7;
                break;
            case 4:
                values[i] = i < Count / 2 ? i : Count - i;
                break;
            default:
                values[i] = (int)(next_random() % 4);
                break;
            }
            sum += values[i];
        }
        qsort(values, Count, sizeof(int), compare_ints);
        long long sum_after = 0;
        for (int i = 0; i < Count; ++i)
            sum_after += values[i];
        printf("   shape %s\n", shapes[shape]);
        CHECK(sorted(values, Count) && sum == sum_after);
    }
    int small[] = { 3, 1, 2 };
    qsort(small, 3, sizeof(int), compare_ints);
    CHECK(small[0] == 1 && small[1] == 2 && small[2] == 3);

    Record records[] = { { "pear", 1 }, { "apple", 2 }, { "fig", 3 }, { "banana", 4 }, { "cherry", 5 } };
    qsort(records, 5, sizeof(Record), compare_records);
    CHECK_STRING(records[0].name, "apple");
    CHECK_STRING(records[4].name, "pear");
    Record key = { "fig", 0 };
    Record* found = bsearch(&key, records, 5, sizeof(Record), compare_records);
    CHECK(found && found->key == 3);
    strcpy(key.name, "grape");
    CHECK(bsearch(&key, records, 5, sizeof(Record), compare_records) == NULL);
    int sorted_values[] = { 1, 3, 5, 7, 9, 11 };
    int missing = 0;
    for (int probe = 0; probe <= 12; ++probe) {
        int* hit = bsearch(&probe, sorted_values, 6, sizeof(int), compare_ints);
        missing += (probe % 2 == 1 && probe <= 11) != (hit != NULL);
    }
    CHECK(missing == 0);
}

static void test_strtol(void)
{
    check_section("strtol");
    char* end;
    CHECK(strtol("  -42xyz", &end, 10) == -42 && strcmp(end, "xyz") == 0);
    CHECK(strtol("+17", NULL, 10) == 17);
    CHECK(strtol("0x1F", &end, 16) == 31 && *end == '\0');
    CHECK(strtol("0x1F", &end, 0) == 31);
    CHECK(strtol("017", &end, 0) == 15);
    CHECK(strtol("0x", &end, 16) == 0 && strcmp(end, "x") == 0);
    CHECK(strtol("zz", &end, 36) == 1295);
    const char* text = "   ";
    CHECK(strtol(text, &end, 10) == 0 && end == text);
    text = "-";
    CHECK(strtol(text, &end, 10) == 0 && end == text);
    errno = 0;
    CHECK(strtol("9223372036854775807", &end, 10) == LONG_MAX && errno == 0);
    errno = 0;
    CHECK(strtol("9223372036854775808", &end, 10) == LONG_MAX && errno == ERANGE && *end == '\0');
    errno = 0;
    CHECK(strtol("-9223372036854775808", &end, 10) == LONG_MIN && errno == 0);
    errno = 0;
    CHECK(strtol("-9223372036854775809", &end, 10) == LONG_MIN && errno == ERANGE);
    errno = 0;
    CHECK(strtol("99999999999999999999999999", &end, 10) == LONG_MAX && errno == ERANGE && *end == '\0');
    errno = 0;
    CHECK(strtoul("18446744073709551615", &end, 10) == ULONG_MAX && errno == 0);
    errno = 0;
    CHECK(strtoul("18446744073709551616", &end, 10) == ULONG_MAX && errno == ERANGE);
    errno = 0;
    CHECK(strtoul("-1", &end, 10) == ULONG_MAX && errno == 0);
    errno = 0;
    CHECK(strtoull("-18446744073709551615", &end, 10) == 1 && errno == 0);
    errno = 0;
    CHECK(strtoll("-9223372036854775808", &end, 10) == LLONG_MIN && errno == 0);
    errno = 0;
    CHECK(strtoll("9223372036854775808", &end, 10) == LLONG_MAX && errno == ERANGE);
    errno = 0;
    CHECK(strtol("10", &end, 1) == 0 && errno == EINVAL);
    errno = 0;
    CHECK(strtol("10", &end, 37) == 0 && errno == EINVAL);
    CHECK(atoi("  123abc") == 123 && atoi("-5") == -5 && atol("77") == 77 && atoll("-9000000000") == -9000000000LL);
    CHECK(abs(-3) == 3 && labs(-4L) == 4 && llabs(-5LL) == 5);
    div_t quotient = div(-7, 2);
    CHECK(quotient.quot == -3 && quotient.rem == -1);
}

static void test_environment(void)
{
    check_section("environment");
    CHECK(getenv("OSPREY_LIBC_TEST") && strcmp(getenv("OSPREY_LIBC_TEST"), "1") == 0);
    CHECK(getenv("OSPREY_SURELY_UNSET") == NULL);
    CHECK(setenv("OSPREY_A", "one", 1) == 0);
    CHECK_STRING(getenv("OSPREY_A"), "one");
    CHECK(setenv("OSPREY_A", "two", 0) == 0);
    CHECK_STRING(getenv("OSPREY_A"), "one");
    CHECK(setenv("OSPREY_A", "three", 1) == 0);
    CHECK_STRING(getenv("OSPREY_A"), "three");
    CHECK(getenv("OSPREY_") == NULL && getenv("OSPREY_AB") == NULL);
    for (int i = 0; i < 100; ++i) {
        char name[32];
        snprintf(name, sizeof(name), "OSPREY_MANY_%d", i);
        setenv(name, name, 1);
    }
    CHECK_STRING(getenv("OSPREY_MANY_57"), "OSPREY_MANY_57");
    CHECK(unsetenv("OSPREY_A") == 0 && getenv("OSPREY_A") == NULL);
    CHECK(unsetenv("OSPREY_A") == 0);
    errno = 0;
    CHECK(setenv("BAD=NAME", "x", 1) == -1 && errno == EINVAL);
    errno = 0;
    CHECK(setenv("", "x", 1) == -1 && errno == EINVAL);
    static char assignment[] = "OSPREY_PUT=yes";
    CHECK(putenv(assignment) == 0);
    CHECK_STRING(getenv("OSPREY_PUT"), "yes");
    int count = 0;
    for (char** entry = environ; *entry; ++entry)
        count += strncmp(*entry, "OSPREY_MANY_", 12) == 0;
    CHECK(count == 100);
}

static void test_sscanf(void)
{
    check_section("sscanf");
    int number = 0;
    unsigned hex = 0;
    char word[16] = "";
    CHECK(sscanf("42 0x1f hello", "%d %x %15s", &number, &hex, word) == 3);
    CHECK(number == 42 && hex == 31 && strcmp(word, "hello") == 0);
    long big = 0;
    short small = 0;
    CHECK(sscanf("-9000000000,12", "%ld,%hd", &big, &small) == 2 && big == -9000000000L && small == 12);
    CHECK(sscanf("abc", "%d", &number) == 0);
    CHECK(sscanf("", "%d", &number) == EOF);
    CHECK(sscanf("   ", "%d", &number) == EOF);
    char letters[8] = "";
    int consumed = 0;
    CHECK(sscanf("key=value;", "%7[a-z]=%*[^;]%n", letters, &consumed) == 1 && strcmp(letters, "key") == 0
        && consumed == 9);
    char pair[3] = "";
    CHECK(sscanf("xyz", "%2c", pair) == 1 && pair[0] == 'x' && pair[1] == 'y');
    int a = 0, b = 0;
    CHECK(sscanf("12345", "%3d%d", &a, &b) == 2 && a == 123 && b == 45);
    CHECK(sscanf("100%", "%d%%", &a) == 1 && a == 100);
    CHECK(sscanf("077 0x10 10", "%i %i %i", &a, &b, &number) == 3 && a == 63 && b == 16 && number == 10);
}

static void test_getopt(void)
{
    check_section("getopt");
    char* argv[] = { "prog", "-ab", "-c", "value", "-dinline", "--", "-e", "rest", NULL };
    int argc = 8;
    char seen[32] = "";
    int option;
    opterr = 0;
    while ((option = getopt(argc, argv, "abc:d:e")) != -1) {
        char piece[16];
        snprintf(piece, sizeof(piece), "%c%s,", option, optarg ? optarg : "");
        strcat(seen, piece);
    }
    CHECK_STRING(seen, "a,b,cvalue,dinline,");
    CHECK(optind == 6 && strcmp(argv[optind], "-e") == 0);

    char* bad[] = { "prog", "-x", "-c", NULL };
    optind = 1;
    CHECK(getopt(3, bad, ":c:") == '?' && optopt == 'x');
    CHECK(getopt(3, bad, ":c:") == ':' && optopt == 'c');
    CHECK(getopt(3, bad, ":c:") == -1);
}

static void at_exit_second(void)
{
    printf("atexit: second registered, runs first\n");
}

static void at_exit_first(void)
{
    printf("atexit: first registered, runs last\n");
}

int main(void)
{
    test_sorting();
    test_strtol();
    test_environment();
    test_sscanf();
    test_getopt();
    atexit(at_exit_first);
    atexit(at_exit_second);
    // The handlers print after the summary, in reverse order of registration;
    // the comparison with glibc's transcript checks that order.
    return check_summary();
}
