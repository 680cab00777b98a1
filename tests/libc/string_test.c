// string.h, strings.h and ctype.h against their specified results.

#include "check.h"
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void test_memory(void)
{
    check_section("mem*");
    char buffer[64];
    memset(buffer, 'x', sizeof(buffer));
    CHECK(memset(buffer, 0, 10) == buffer && buffer[9] == 0 && buffer[10] == 'x');
    CHECK(memcpy(buffer, "abcdef", 7) == buffer && strcmp(buffer, "abcdef") == 0);
    memmove(buffer + 2, buffer, 7); // overlapping, forward
    CHECK_STRING(buffer, "ababcdef");
    memmove(buffer, buffer + 2, 7); // overlapping, backward
    CHECK_STRING(buffer, "abcdef");
    CHECK(memcmp("abc", "abd", 3) < 0 && memcmp("abd", "abc", 3) > 0 && memcmp("abc", "abc", 3) == 0);
    CHECK(memcmp("\xff", "\x01", 1) > 0); // bytes compare as unsigned
    const char* text = "hello";
    CHECK(memchr(text, 'l', 5) == text + 2);
    CHECK(memchr(text, 'z', 5) == NULL);
    CHECK(memchr(text, 'o', 4) == NULL);
    CHECK(memrchr(text, 'l', 5) == text + 3);
    CHECK(memmem("abcabcd", 7, "abcd", 4) != NULL && memcmp(memmem("abcabcd", 7, "abcd", 4), "abcd", 4) == 0);
    CHECK(memmem("abc", 3, "", 0) != NULL);
    CHECK(memmem("abc", 3, "abcd", 4) == NULL);

    // Large and unaligned copies.
    static unsigned char source[10000];
    static unsigned char target[10000];
    for (int i = 0; i < 10000; ++i)
        source[i] = (unsigned char)(i * 7 + 3);
    memcpy(target + 3, source + 1, 9000);
    CHECK(memcmp(target + 3, source + 1, 9000) == 0);
    memmove(target + 100, target, 5000);
    CHECK(memcmp(target + 103, source + 1, 4900) == 0);
}

static void test_strings(void)
{
    check_section("str*");
    char buffer[64];
    CHECK(strlen("") == 0 && strlen("hello") == 5);
    CHECK(strnlen("hello", 3) == 3 && strnlen("hi", 10) == 2);
    CHECK(strcpy(buffer, "copy") == buffer && strcmp(buffer, "copy") == 0);
    CHECK(stpcpy(buffer, "end") == buffer + 3);
    memset(buffer, 'x', sizeof(buffer));
    strncpy(buffer, "ab", 5);
    CHECK(buffer[0] == 'a' && buffer[1] == 'b' && buffer[2] == 0 && buffer[4] == 0 && buffer[5] == 'x');
    strncpy(buffer, "abcdef", 3);
    CHECK(buffer[2] == 'c' && buffer[3] == 0);
    strcpy(buffer, "foo");
    strcat(buffer, "bar");
    CHECK_STRING(buffer, "foobar");
    strncat(buffer, "bazqux", 3);
    CHECK_STRING(buffer, "foobarbaz");
    CHECK(strcmp("a", "b") < 0 && strcmp("b", "a") > 0 && strcmp("abc", "abc") == 0);
    CHECK(strcmp("abc", "abcd") < 0 && strcmp("\xe9", "a") > 0);
    CHECK(strncmp("abcx", "abcy", 3) == 0 && strncmp("abcx", "abcy", 4) < 0 && strncmp("a", "b", 0) == 0);
    CHECK(strcasecmp("HeLLo", "hello") == 0 && strcasecmp("a", "B") < 0 && strncasecmp("ABCx", "abcy", 3) == 0);

    const char* text = "hello world";
    CHECK(strchr(text, 'o') == text + 4 && strchr(text, 'z') == NULL && strchr(text, '\0') == text + 11);
    CHECK(strrchr(text, 'o') == text + 7 && strrchr(text, 'z') == NULL && strrchr(text, '\0') == text + 11);
    CHECK(strchrnul(text, 'z') == text + 11);
    CHECK(strstr(text, "wor") == text + 6 && strstr(text, "") == text && strstr(text, "worlds") == NULL);
    CHECK(strspn("aabbcd", "ab") == 4 && strcspn("aabbcd", "dc") == 4 && strspn("", "a") == 0);
    CHECK(strpbrk(text, "wd") == text + 6 && strpbrk(text, "xyz") == NULL);

    char tokens[] = "  one,two,,three  ";
    char* save;
    CHECK_STRING(strtok_r(tokens, " ,", &save), "one");
    CHECK_STRING(strtok_r(NULL, " ,", &save), "two");
    CHECK_STRING(strtok_r(NULL, " ,", &save), "three");
    CHECK(strtok_r(NULL, " ,", &save) == NULL);
    char fields[] = "a::b";
    char* cursor = fields;
    CHECK_STRING(strsep(&cursor, ":"), "a");
    CHECK_STRING(strsep(&cursor, ":"), "");
    CHECK_STRING(strsep(&cursor, ":"), "b");
    CHECK(cursor == NULL && strsep(&cursor, ":") == NULL);

    char* copy = strdup("duplicate");
    CHECK_STRING(copy, "duplicate");
    free(copy);
    copy = strndup("duplicate", 3);
    CHECK_STRING(copy, "dup");
    free(copy);
    CHECK(ffs(0) == 0 && ffs(1) == 1 && ffs(0x80) == 8);
}

static void test_errors(void)
{
    check_section("strerror");
    CHECK_STRING(strerror(0), "Success");
    CHECK_STRING(strerror(ENOENT), "No such file or directory");
    CHECK_STRING(strerror(EAGAIN), "Resource temporarily unavailable");
    CHECK_STRING(strerror(ENOTEMPTY), "Directory not empty");
    CHECK_STRING(strerror(ECONNREFUSED), "Connection refused");
    CHECK_STRING(strerror(EHWPOISON), "Memory page has hardware error");
    CHECK_STRING(strerror(4242), "Unknown error 4242");
    CHECK_STRING(strerror(-1), "Unknown error -1");
    CHECK_STRING(strsignal(2), "Interrupt");
    CHECK_STRING(strsignal(11), "Segmentation fault");
}

static void test_ctype(void)
{
    check_section("ctype");
    int mismatches = 0;
    for (int c = 0; c < 256; ++c) {
        int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        int digit = c >= '0' && c <= '9';
        int space = c == ' ' || (c >= 9 && c <= 13);
        int print = c >= 32 && c < 127;
        mismatches += !isalpha(c) != !alpha;
        mismatches += !isdigit(c) != !digit;
        mismatches += !isalnum(c) != !(alpha || digit);
        mismatches += !isspace(c) != !space;
        mismatches += !isprint(c) != !print;
        mismatches += !isgraph(c) != !(print && c != ' ');
        mismatches += !ispunct(c) != !(print && c != ' ' && !alpha && !digit);
        mismatches += !iscntrl(c) != !(c < 32 || c == 127);
        mismatches += !isxdigit(c) != !(digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
        mismatches += toupper(c) != ((c >= 'a' && c <= 'z') ? c - 32 : c);
        mismatches += tolower(c) != ((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
    CHECK(mismatches == 0);
    CHECK(!isalpha(EOF) && !isspace(EOF) && toupper(EOF) == EOF);
}

int main(void)
{
    test_memory();
    test_strings();
    test_errors();
    test_ctype();
    return check_summary();
}
