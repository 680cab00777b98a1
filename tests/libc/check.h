#pragma once

// A minimal test harness for the libc unit programs. Each CHECK prints one
// transcript line ("ok <expression>" or "FAIL <expression> (file:line)") so
// the Osprey and glibc builds of a program produce the same transcript when
// both pass; check_summary() prints "N passed, M failed" and gives the exit
// status. Nothing here prints values that differ between runs (addresses,
// pids, times).

#include <stdio.h>
#include <string.h>

static int s_check_passed;
static int s_check_failed;

static int check_report(int ok, const char* expression, const char* file, int line)
{
    if (ok) {
        ++s_check_passed;
        printf("ok   %s\n", expression);
    } else {
        ++s_check_failed;
        printf("FAIL %s (%s:%d)\n", expression, file, line);
    }
    return ok;
}

#define CHECK(expression) check_report((expression) != 0, #expression, __FILE__, __LINE__)

// String equality, showing both strings on failure.
#define CHECK_STRING(actual, expected)                                                                               \
    do {                                                                                                             \
        const char* actual_ = (actual);                                                                              \
        const char* expected_ = (expected);                                                                          \
        if (!check_report(actual_ && strcmp(actual_, expected_) == 0, #actual " == " #expected, __FILE__, __LINE__)) \
            printf("     got \"%s\", expected \"%s\"\n", actual_ ? actual_ : "(null)", expected_);                   \
    } while (0)

static void check_section(const char* name)
{
    printf("== %s\n", name);
}

static int check_summary(void)
{
    printf("%d passed, %d failed\n", s_check_passed, s_check_failed);
    fflush(stdout);
    return s_check_failed ? 1 : 0;
}
