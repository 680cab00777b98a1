#pragma once

// Intrusive reference counting for objects with shared owners.
//
//   class Inode : public RefCounted<Inode> { ... };
//   NonnullRefPtr<Inode> inode = TRY(try_make_ref_counted<Inode>(...));
//
// An object starts with a count of 1, owned by whoever adopts it
// (adopt_ref / try_make_ref_counted). ref() and unref() are atomic, so
// references may be taken and dropped on any CPU; the last unref() deletes
// the object as a T (the type named in RefCounted<T>), so a class hierarchy
// under one RefCounted<Base> needs a virtual destructor in Base. Increments are relaxed (the caller already holds a
// reference, which orders them); the decrement is acquire-release so the deleting CPU sees every write made through
// other references. Taking a reference to an object whose count already reached zero is a kernel bug and trips
// LIB_VERIFY.
//
// NonnullRefPtr never holds null (except after being moved from, when only
// destruction and assignment are allowed); RefPtr may.
#include <kernel/lib/Assertions.h>
#include <kernel/lib/Atomic.h>
#include <kernel/lib/Error.h>
#include <kernel/lib/New.h>
#include <kernel/lib/OwnPtr.h>
#include <kernel/lib/Utility.h>

namespace lib {

template<typename T>
class RefCounted {
public:
    RefCounted(const RefCounted&) = delete;
    RefCounted& operator=(const RefCounted&) = delete;

    void ref() const
    {
        u32 old = m_ref_count.fetch_add(1, MemoryOrder::Relaxed);
        LIB_VERIFY(old > 0 && old < ~u32(0));
    }

    // Takes a reference unless the last one is already gone (the object is
    // being destroyed); for registries that list objects without owning them.
    bool try_ref() const
    {
        u32 current = m_ref_count.load(MemoryOrder::Relaxed);
        while (current != 0) {
            if (m_ref_count.compare_exchange(current, current + 1, MemoryOrder::Acquire))
                return true;
        }
        return false;
    }

    // Drops a reference; deletes the object and returns true on the last one.
    bool unref() const
    {
        u32 old = m_ref_count.fetch_sub(1, MemoryOrder::AcquireRelease);
        LIB_VERIFY(old > 0);
        if (old != 1)
            return false;
        // A T may say goodbye while still whole (before any destructor runs).
        if constexpr (requires(const T& object) { object.will_be_destroyed(); })
            static_cast<const T*>(this)->will_be_destroyed();
        delete static_cast<const T*>(this);
        return true;
    }

    u32 ref_count() const { return m_ref_count.load(MemoryOrder::Relaxed); }

protected:
    RefCounted() = default;
    ~RefCounted() = default;

private:
    mutable Atomic<u32> m_ref_count { 1 };
};

struct AdoptTag { };

template<typename T>
class [[nodiscard]] NonnullRefPtr {
public:
    // Takes an extra reference to `object`.
    NonnullRefPtr(T& object)
        : m_pointer(&object)
    {
        m_pointer->ref();
    }
    // Takes over the reference the caller owns (see adopt_ref).
    NonnullRefPtr(AdoptTag, T& object)
        : m_pointer(&object)
    {
    }
    NonnullRefPtr(const NonnullRefPtr& other)
        : NonnullRefPtr(*other)
    {
    }
    template<typename U>
        requires PointerConvertibleTo<U, T> NonnullRefPtr(const NonnullRefPtr<U>& other)
            : NonnullRefPtr(static_cast<T&>(*other))
        {
        }
        NonnullRefPtr(NonnullRefPtr&& other)
            : m_pointer(lib::exchange(other.m_pointer, nullptr))
        {
        }
        template<typename U>
            requires PointerConvertibleTo<U, T> NonnullRefPtr(NonnullRefPtr<U>&& other)
                : m_pointer(other.leak_ref())
            {
            }
            ~NonnullRefPtr()
            {
                if (T* pointer = lib::exchange(m_pointer, nullptr))
                    pointer->unref();
            }

            NonnullRefPtr& operator=(NonnullRefPtr other)
            {
                lib::swap(m_pointer, other.m_pointer);
                return *this;
            }

            T* ptr() const
            {
                return checked();
            }
            T* operator->() const
            {
                return checked();
            }
            T& operator*() const
            {
                return *checked();
            }

            // Gives up this reference without dropping it.
            [[nodiscard]] T* leak_ref()
            {
                return lib::exchange(m_pointer, nullptr);
            }

            bool operator==(const NonnullRefPtr& other) const
            {
                return m_pointer == other.m_pointer;
            }

        private:
            T* checked() const
            {
                LIB_VERIFY(m_pointer);
                return m_pointer;
            }

            T* m_pointer;
};

template<typename T>
class [[nodiscard]] RefPtr {
public:
    constexpr RefPtr() = default;
    constexpr RefPtr(decltype(nullptr)) { }
    RefPtr(T* pointer)
        : m_pointer(pointer)
    {
        if (m_pointer)
            m_pointer->ref();
    }
    RefPtr(T& object)
        : RefPtr(&object)
    {
    }
    RefPtr(const RefPtr& other)
        : RefPtr(other.m_pointer)
    {
    }
    RefPtr(RefPtr&& other)
        : m_pointer(other.leak_ref())
    {
    }
    template<typename U>
        requires PointerConvertibleTo<U, T> RefPtr(const RefPtr<U>& other)
            : RefPtr(other.ptr())
        {
        }
        template<typename U>
            requires PointerConvertibleTo<U, T> RefPtr(RefPtr<U>&& other)
                : m_pointer(other.leak_ref())
            {
            }
            template<typename U>
                requires PointerConvertibleTo<U, T> RefPtr(const NonnullRefPtr<U>& other)
                    : RefPtr(other.ptr())
                {
                }
                template<typename U>
                    requires PointerConvertibleTo<U, T> RefPtr(NonnullRefPtr<U>&& other)
                        : m_pointer(other.leak_ref())
                    {
                    }
                    ~RefPtr()
                    {
                        clear();
                    }

                    RefPtr& operator=(RefPtr other)
                    {
                        lib::swap(m_pointer, other.m_pointer);
                        return *this;
                    }

                    void clear()
                    {
                        if (T* pointer = lib::exchange(m_pointer, nullptr))
                            pointer->unref();
                    }

                    [[nodiscard]] T* leak_ref()
                    {
                        return lib::exchange(m_pointer, nullptr);
                    }

                    T* ptr() const
                    {
                        return m_pointer;
                    }
                    bool is_null() const
                    {
                        return m_pointer == nullptr;
                    }
                    explicit operator bool() const
                    {
                        return m_pointer != nullptr;
                    }
                    T* operator->() const
                    {
                        LIB_VERIFY(m_pointer);
                        return m_pointer;
                    }
                    T& operator*() const
                    {
                        LIB_VERIFY(m_pointer);
                        return *m_pointer;
                    }

                    // A NonnullRefPtr sharing this reference; the pointer must not be null.
                    NonnullRefPtr<T> release_nonnull()
                    {
                        LIB_VERIFY(m_pointer);
                        return NonnullRefPtr<T>(AdoptTag {}, *leak_ref());
                    }

                    bool operator==(const RefPtr& other) const
                    {
                        return m_pointer == other.m_pointer;
                    }
                    bool operator==(const T* other) const
                    {
                        return m_pointer == other;
                    }
                    bool operator==(decltype(nullptr)) const
                    {
                        return m_pointer == nullptr;
                    }

                private:
                    T* m_pointer { nullptr };
};

// Wraps a freshly made object, taking over its initial reference.
template<typename T>
NonnullRefPtr<T> adopt_ref(T& object)
{
    return NonnullRefPtr<T>(AdoptTag {}, object);
}

// Like adopt_ref, or ENOMEM when the allocation that made `pointer` failed.
template<typename T>
ErrorOr<NonnullRefPtr<T>> adopt_nonnull_ref_or_enomem(T* pointer)
{
    if (!pointer)
        return Error::from_errno(ENOMEM);
    return adopt_ref(*pointer);
}

template<typename T, typename... Args>
ErrorOr<NonnullRefPtr<T>> try_make_ref_counted(Args&&... args)
{
    return adopt_nonnull_ref_or_enomem(new_object<T>(lib::forward<Args>(args)...));
}

} // namespace lib

using lib::adopt_ref;
using lib::NonnullRefPtr;
using lib::RefCounted;
using lib::RefPtr;
using lib::try_make_ref_counted;
