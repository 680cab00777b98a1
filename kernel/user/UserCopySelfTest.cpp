// An in-kernel test of the user-copy routines, which only run in the kernel
// (they are assembly with an exception table): a scratch address space with
// two read-write pages followed by an unmapped one, made current for the
// test, then every routine at the edges: page ends, faults half way, kernel
// and wrapping addresses, write-protected pages, strings without a NUL.
// kshell's `usercopy` runs it and prints one line per check and
//   usercopy: <n> passed, <m> failed
#include <kernel/console/Console.h>
#include <kernel/mm/MemoryManager.h>
#include <kernel/user/UserCopySelfTest.h>
#include <kernel/user/UserMemory.h>
#include <kernel/user/UserPtr.h>

namespace user {

namespace {

constexpr VirtAddr BASE = 0x10000000;
constexpr VirtAddr UNMAPPED = BASE + 2 * PAGE_SIZE;

class Checker {
public:
    void check(StringView name, bool condition)
    {
        console::print("{} {}\n", condition ? "ok" : "FAIL", name);
        ++(condition ? m_passed : m_failed);
    }
    void check_errno(StringView name, const ErrorOr<void>& result, int expected)
    {
        check(name, expected == 0 ? !result.is_error() : result.is_error() && result.error().code() == expected);
    }
    bool finish()
    {
        console::print("usercopy: {} passed, {} failed\n", m_passed, m_failed);
        return m_failed == 0;
    }

private:
    usize m_passed { 0 };
    usize m_failed { 0 };
};

void check_copies(Checker& checker)
{
    const char pattern[] = "0123456789abcdef";
    char back[sizeof(pattern)] = {};
    checker.check_errno("copy_to_user at a page start", copy_to_user(UserPtr<void>(BASE), pattern, 16), 0);
    checker.check_errno("copy_from_user reads it back", copy_from_user(back, UserPtr<const void>(BASE), 16), 0);
    checker.check("the bytes match", __builtin_memcmp(back, pattern, 16) == 0);
    checker.check_errno(
        "copy_to_user across two mapped pages", copy_to_user(UserPtr<void>(BASE + PAGE_SIZE - 8), pattern, 16), 0);
    checker.check_errno("copy_to_user running into an unmapped page is EFAULT",
        copy_to_user(UserPtr<void>(UNMAPPED - 8), pattern, 16), EFAULT);
    checker.check_errno("copy_from_user running into an unmapped page is EFAULT",
        copy_from_user(back, UserPtr<const void>(UNMAPPED - 4), 8), EFAULT);
    checker.check_errno("copy_from_user of a kernel address is EFAULT",
        copy_from_user(back, UserPtr<const void>(mm::KERNEL_BASE), 8), EFAULT);
    checker.check_errno("copy_from_user of a wrapping range is EFAULT",
        copy_from_user(back, UserPtr<const void>(BASE), ~u64(0) - BASE + 16), EFAULT);
    checker.check_errno("copy_to_user of the last user byte onwards is EFAULT",
        copy_to_user(UserPtr<void>(mm::USER_END - 1), pattern, 2), EFAULT);
    checker.check_errno("a copy of 0 bytes is fine", copy_from_user(back, UserPtr<const void>(BASE), 0), 0);
}

void check_strings(Checker& checker)
{
    char string[16];
    const char hello[] = "hello";
    VirtAddr at_page_end = UNMAPPED - sizeof(hello);
    (void)copy_to_user(UserPtr<void>(at_page_end), hello, sizeof(hello));
    auto length = strncpy_from_user(string, UserPtr<const char>(at_page_end), sizeof(string));
    checker.check("strncpy_from_user ending at the last mapped byte", !length.is_error() && length.value() == 5);
    checker.check("the string and its NUL arrived", __builtin_memcmp(string, hello, sizeof(hello)) == 0);
    auto short_buffer = strncpy_from_user(string, UserPtr<const char>(at_page_end), 5);
    checker.check("a string longer than the buffer is ENAMETOOLONG",
        short_buffer.is_error() && short_buffer.error().code() == ENAMETOOLONG);
    const char no_nul[4] = { 'a', 'b', 'c', 'd' };
    (void)copy_to_user(UserPtr<void>(UNMAPPED - 4), no_nul, 4);
    auto unterminated = strncpy_from_user(string, UserPtr<const char>(UNMAPPED - 4), sizeof(string));
    checker.check("a string running into an unmapped page is EFAULT",
        unterminated.is_error() && unterminated.error().code() == EFAULT);
    auto kernel = strncpy_from_user(string, UserPtr<const char>(mm::KERNEL_BASE), sizeof(string));
    checker.check("a string at a kernel address is EFAULT", kernel.is_error() && kernel.error().code() == EFAULT);
    auto at_end = strncpy_from_user(string, UserPtr<const char>(mm::USER_END - 2), sizeof(string));
    checker.check("a string at the end of user space is EFAULT", at_end.is_error() && at_end.error().code() == EFAULT);
}

void check_clear_and_protection(Checker& checker, UserMemory& memory)
{
    checker.check_errno("clear_user of both pages", clear_user(UserPtr<void>(BASE), 2 * PAGE_SIZE), 0);
    u64 word = 1;
    (void)copy_from_user(&word, UserPtr<const void>(BASE + PAGE_SIZE + 8), sizeof(word));
    checker.check("the pages read as zero", word == 0);
    checker.check_errno(
        "clear_user into an unmapped page is EFAULT", clear_user(UserPtr<void>(UNMAPPED - 8), 16), EFAULT);
    checker.check_errno("mprotect the first page read-only", memory.protect(BASE, PAGE_SIZE, Protection::Read), 0);
    checker.check_errno(
        "copy_to_user into a read-only page is EFAULT", copy_to_user(UserPtr<void>(BASE), &word, 8), EFAULT);
    checker.check_errno("copy_from_user from it still works", copy_from_user(&word, UserPtr<const void>(BASE), 8), 0);
}

} // namespace

bool run_user_copy_self_test()
{
    Checker checker;
    UserMemory memory;
    if (auto created = memory.create(); created.is_error()) {
        console::print("usercopy: no address space: {}\n", created.error());
        return false;
    }
    if (auto mapped = memory.allocate(BASE, 2 * PAGE_SIZE, Protection::Read | Protection::Write, RegionKind::Anonymous);
        mapped.is_error()) {
        console::print("usercopy: no scratch pages: {}\n", mapped.error());
        return false;
    }
    // Anonymous pages come on demand, and no process is here to take the
    // faults: write() brings both pages in now.
    const u8 zero = 0;
    for (usize page = 0; page < 2; ++page) {
        if (auto written = memory.write(BASE + page * PAGE_SIZE, { &zero, 1 }); written.is_error()) {
            console::print("usercopy: no scratch pages: {}\n", written.error());
            return false;
        }
    }
    // This kernel thread runs no program, so borrowing CR3 disturbs no one.
    mm::activate(&memory.address_space());
    check_copies(checker);
    check_strings(checker);
    check_clear_and_protection(checker, memory);
    mm::activate(nullptr);
    return checker.finish();
}

} // namespace user
