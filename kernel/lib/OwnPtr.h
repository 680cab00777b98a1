#pragma once

// OwnPtr<T>: the single owner of a heap object; deletes it when the OwnPtr
// dies or is cleared. Moves transfer ownership; copies do not exist.
//
//   auto device = TRY(try_make<Device>(name, irq));   // ENOMEM if out of memory
//   auto object = TRY(adopt_own_if_nonnull(new_object<T>(...)));
//
// The object must come from new_object (kernel/lib/New.h) or a plain `new`
// (never from lib::allocate), since it is freed with `delete`.
#include <kernel/lib/Assertions.h>
#include <kernel/lib/Error.h>
#include <kernel/lib/New.h>
#include <kernel/lib/Utility.h>

namespace lib {

namespace detail {
template<typename To>
void accept_pointer(To*);
}

// U* converts implicitly to T* (U is T or derives from it).
template<typename U, typename T>
concept PointerConvertibleTo = requires(U* pointer)
{
    detail::accept_pointer<T>(pointer);
};

template<typename T>
class [[nodiscard]] OwnPtr {
public:
    constexpr OwnPtr() = default;
    constexpr OwnPtr(decltype(nullptr)) { }
    OwnPtr(OwnPtr&& other)
        : m_pointer(other.leak_ptr())
    {
    }
    template<typename U>
        requires PointerConvertibleTo<U, T> OwnPtr(OwnPtr<U>&& other)
            : m_pointer(other.leak_ptr())
        {
        }
        OwnPtr(const OwnPtr&) = delete;
        OwnPtr& operator=(const OwnPtr&) = delete;
        ~OwnPtr()
        {
            clear();
        }

        OwnPtr& operator=(OwnPtr&& other)
        {
            if (this != &other) {
                clear();
                m_pointer = other.leak_ptr();
            }
            return *this;
        }
        template<typename U>
        requires PointerConvertibleTo<U, T> OwnPtr& operator=(OwnPtr<U>&& other)
        {
            clear();
            m_pointer = other.leak_ptr();
            return *this;
        }

        // Takes ownership of `pointer` (which may be null).
        static OwnPtr adopt(T* pointer)
        {
            OwnPtr own;
            own.m_pointer = pointer;
            return own;
        }

        void clear()
        {
            T* pointer = lib::exchange(m_pointer, nullptr);
            delete pointer;
        }

        // Gives up ownership without deleting.
        [[nodiscard]] T* leak_ptr()
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

        bool operator==(const OwnPtr& other) const
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

// Owns `pointer`, or fails with ENOMEM when it is null (an allocation failed).
template<typename T>
ErrorOr<OwnPtr<T>> adopt_own_if_nonnull(T* pointer)
{
    if (!pointer)
        return Error::from_errno(ENOMEM);
    return OwnPtr<T>::adopt(pointer);
}

template<typename T, typename... Args>
ErrorOr<OwnPtr<T>> try_make(Args&&... args)
{
    return adopt_own_if_nonnull(new_object<T>(lib::forward<Args>(args)...));
}

} // namespace lib

using lib::adopt_own_if_nonnull;
using lib::OwnPtr;
using lib::try_make;
