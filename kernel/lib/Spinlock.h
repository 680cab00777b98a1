#pragma once

// Spinlocks for data shared with interrupt handlers and, later, other CPUs.
// Taking one saves and clears the interrupt flag; releasing restores it. They
// are only taken through SpinlockGuard, so a lock is never left held on an
// early return. Never block, sleep or allocate while holding one.
#include <kernel/arch/Cpu.h>
#include <kernel/lib/Types.h>

namespace lib {

class Spinlock {
public:
    constexpr Spinlock() = default;
    Spinlock(const Spinlock&) = delete;
    Spinlock& operator=(const Spinlock&) = delete;

    arch::InterruptState lock()
    {
        arch::InterruptState state = arch::save_and_disable_interrupts();
        while (__atomic_exchange_n(&m_locked, true, __ATOMIC_ACQUIRE)) {
            while (__atomic_load_n(&m_locked, __ATOMIC_RELAXED))
                arch::cpu_relax();
        }
        return state;
    }

    void unlock(arch::InterruptState state)
    {
        __atomic_store_n(&m_locked, false, __ATOMIC_RELEASE);
        arch::restore_interrupts(state);
    }

    bool is_locked() const { return __atomic_load_n(&m_locked, __ATOMIC_RELAXED); }

private:
    bool m_locked { false };
};

class [[nodiscard]] SpinlockGuard {
public:
    explicit SpinlockGuard(Spinlock& lock)
        : m_lock(lock)
        , m_state(lock.lock())
    {
    }
    ~SpinlockGuard() { m_lock.unlock(m_state); }
    SpinlockGuard(const SpinlockGuard&) = delete;
    SpinlockGuard& operator=(const SpinlockGuard&) = delete;

private:
    Spinlock& m_lock;
    arch::InterruptState m_state;
};

} // namespace lib

using lib::Spinlock;
using lib::SpinlockGuard;
