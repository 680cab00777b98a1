// Compiles every kernel/lib header in the freestanding kernel configuration
// (-ffreestanding, no std, -mgeneral-regs-only, -Wglobal-constructors), since
// the host tests alone would not notice a header that only builds with a
// hosted standard library. instantiate_templates() is never called and,
// being inline, never emitted: it only makes the compiler instantiate the
// container templates here. Nothing in this file adds code or data to the
// kernel image.
#include <kernel/lib/Atomic.h>
#include <kernel/lib/Bitmap.h>
#include <kernel/lib/Error.h>
#include <kernel/lib/Format.h>
#include <kernel/lib/Hash.h>
#include <kernel/lib/HashMap.h>
#include <kernel/lib/IntrusiveList.h>
#include <kernel/lib/New.h>
#include <kernel/lib/OwnPtr.h>
#include <kernel/lib/RefPtr.h>
#include <kernel/lib/Span.h>
#include <kernel/lib/Spinlock.h>
#include <kernel/lib/StringView.h>
#include <kernel/lib/Vector.h>

namespace lib_compile_check {

struct Waiter {
    IntrusiveListNode m_node;
    int priority { 0 };
};

struct Shared : RefCounted<Shared> {
    explicit Shared(int v)
        : value(v)
    {
    }
    int value;
};

struct Owned {
    OwnPtr<Owned> next;
    u64 payload;
};

// Layouts the kernel relies on (inline storage costs nothing when N == 0).
static_assert(sizeof(Atomic<u8>) == 1 && sizeof(Atomic<u64>) == 8 && alignof(Atomic<u64>) == 8);
static_assert(sizeof(Vector<u64>) == 3 * sizeof(usize));
static_assert(sizeof(Vector<u64, 4>) == 3 * sizeof(usize) + 4 * sizeof(u64));
static_assert(sizeof(OwnPtr<Owned>) == sizeof(void*));
static_assert(sizeof(RefPtr<Shared>) == sizeof(void*) && sizeof(NonnullRefPtr<Shared>) == sizeof(void*));
static_assert(sizeof(IntrusiveListNode) == 3 * sizeof(void*));
static_assert(Bitmap::words_for(0) == 0 && Bitmap::words_for(64) == 1 && Bitmap::words_for(65) == 2);
// FNV-1a test vectors from draft-eastlake-fnv (appendix C), checked at compile time.
static_assert(lib::fnv1a_64("", 0) == 0xcbf29ce484222325ull);
static_assert(lib::fnv1a_64("a", 1) == 0xaf63dc4c8601ec8cull);
static_assert(lib::fnv1a_64("foobar", 6) == 0x85944171f73967e8ull);
static_assert(Traits<u64>::hash(0x1000) != Traits<u64>::hash(0x2000));
static_assert(StringView("a/b/c").find_last('/') == 3 && StringView("abc").find("c", 3) == StringView::npos);

inline ErrorOr<int> use_try(Vector<int>& vector, HashMap<StringView, int>& map)
{
    TRY(vector.try_append(1));
    TRY(map.try_set(StringView("key"), 2));
    return vector[0] + *map.get("key");
}

inline void instantiate_templates()
{
    // Kernel globals of these types are constinit and never destroyed.
    [[clang::no_destroy]] static constinit IntrusiveList<Waiter, &Waiter::m_node> s_queue;
    [[clang::no_destroy]] static constinit Vector<int> s_vector;
    [[clang::no_destroy]] static constinit HashMap<u64, int> s_map;
    static constinit Atomic<u64> s_counter { 0 };

    Waiter waiter;
    s_queue.push_back(waiter);
    for (Waiter& w : s_queue)
        w.priority++;
    s_queue.remove(waiter);
    (void)s_queue.pop_front();

    Vector<Owned, 2> owned;
    (void)owned.try_append(Owned { nullptr, 1 });
    (void)owned.try_insert(0, Owned { nullptr, 2 });
    (void)owned.take_last();
    owned.remove(0);
    Vector<int, 2> numbers;
    (void)numbers.try_clone();

    HashMap<StringView, OwnPtr<Owned>> by_name;
    (void)by_name.try_set(StringView("x"), OwnPtr<Owned>());
    for (auto entry : by_name)
        (void)entry.value;
    by_name.remove("x");

    HashMap<StringView, int> counts;
    (void)use_try(s_vector, counts);
    (void)s_map.try_set(u64(1), 2);
    (void)try_make<Owned>(nullptr, u64(3));
    auto shared = try_make_ref_counted<Shared>(5);
    if (!shared.is_error()) {
        RefPtr<Shared> copy = shared.value();
        copy.clear();
    }

    u64 words[2] {};
    Bitmap bitmap(words, 100);
    bitmap.set(3);
    s_counter.fetch_add(u64(bitmap.find_first_clear()), MemoryOrder::Relaxed);
}

} // namespace lib_compile_check
