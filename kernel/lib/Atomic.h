#pragma once

// Atomic<T>: a thin typed wrapper over the compiler's __atomic builtins
// (GCC/Clang "__atomic Builtins", which follow the C++11 memory model) for
// integers, bool and pointers. Every operation names its memory order; the
// default is sequentially consistent, the safe choice when in doubt. The
// constructor is constexpr so globals can be constinit (no global
// constructors in the kernel).
#include <kernel/lib/Types.h>

namespace lib {

enum class MemoryOrder : int {
    Relaxed = __ATOMIC_RELAXED,
    Consume = __ATOMIC_CONSUME,
    Acquire = __ATOMIC_ACQUIRE,
    Release = __ATOMIC_RELEASE,
    AcquireRelease = __ATOMIC_ACQ_REL,
    SequentiallyConsistent = __ATOMIC_SEQ_CST,
};

template<typename T>
class Atomic {
    static_assert(__is_trivially_copyable(T), "Atomic<T> needs a trivially copyable T");
    static_assert(sizeof(T) <= 8 && (sizeof(T) & (sizeof(T) - 1)) == 0, "Atomic<T> needs a T of 1, 2, 4 or 8 bytes");

    static constexpr bool IsInteger = __is_integral(T) && !__is_same(T, bool);

public:
    static constexpr MemoryOrder DEFAULT_ORDER = MemoryOrder::SequentiallyConsistent;

    constexpr Atomic() = default;
    constexpr Atomic(T value)
        : m_value(value)
    {
    }
    Atomic(const Atomic&) = delete;
    Atomic& operator=(const Atomic&) = delete;

    T load(MemoryOrder order = DEFAULT_ORDER) const { return __atomic_load_n(&m_value, static_cast<int>(order)); }
    void store(T value, MemoryOrder order = DEFAULT_ORDER)
    {
        __atomic_store_n(&m_value, value, static_cast<int>(order));
    }
    T exchange(T value, MemoryOrder order = DEFAULT_ORDER)
    {
        return __atomic_exchange_n(&m_value, value, static_cast<int>(order));
    }

    // If the value equals `expected`, replaces it with `desired` and returns
    // true; otherwise loads the current value into `expected` and returns false.
    bool compare_exchange(T& expected, T desired, MemoryOrder order = DEFAULT_ORDER)
    {
        return __atomic_compare_exchange_n(
            &m_value, &expected, desired, false, static_cast<int>(order), failure_order(order));
    }

    // Arithmetic and bit operations return the value held before. They exist
    // for integers only: the builtins would add bytes, not elements, to a pointer.
    T fetch_add(T delta, MemoryOrder order = DEFAULT_ORDER) requires(IsInteger)
    {
        return __atomic_fetch_add(&m_value, delta, static_cast<int>(order));
    }
    T fetch_sub(T delta, MemoryOrder order = DEFAULT_ORDER) requires(IsInteger)
    {
        return __atomic_fetch_sub(&m_value, delta, static_cast<int>(order));
    }
    T fetch_and(T bits, MemoryOrder order = DEFAULT_ORDER) requires(IsInteger)
    {
        return __atomic_fetch_and(&m_value, bits, static_cast<int>(order));
    }
    T fetch_or(T bits, MemoryOrder order = DEFAULT_ORDER) requires(IsInteger)
    {
        return __atomic_fetch_or(&m_value, bits, static_cast<int>(order));
    }
    T fetch_xor(T bits, MemoryOrder order = DEFAULT_ORDER) requires(IsInteger)
    {
        return __atomic_fetch_xor(&m_value, bits, static_cast<int>(order));
    }

    // The raw storage, for code that must hand the address to other atomics.
    T* raw() { return &m_value; }

private:
    // A failed compare-exchange only loads, so it may not use a release order.
    static constexpr int failure_order(MemoryOrder order)
    {
        switch (order) {
        case MemoryOrder::Release:
            return __ATOMIC_RELAXED;
        case MemoryOrder::AcquireRelease:
            return __ATOMIC_ACQUIRE;
        default:
            return static_cast<int>(order);
        }
    }

    alignas(sizeof(T)) T m_value {};
};

// Orders memory accesses without touching a variable.
inline void atomic_thread_fence(MemoryOrder order)
{
    __atomic_thread_fence(static_cast<int>(order));
}

// Stops only the compiler from reordering (e.g. against an interrupt handler
// on the same CPU).
inline void atomic_signal_fence(MemoryOrder order)
{
    __atomic_signal_fence(static_cast<int>(order));
}

} // namespace lib

using lib::Atomic;
using lib::MemoryOrder;
