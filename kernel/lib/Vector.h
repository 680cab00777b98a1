#pragma once

// Vector<T, N>: a growable array whose growth can fail. Every operation that
// may allocate is try_*, returns ErrorOr and, on ENOMEM, leaves the vector
// exactly as it was (and the caller still owns the value it passed in). The
// first N elements live inline in the Vector object, so a Vector<T, N> that
// stays within N never allocates: for kernel paths that must not.
//
// To append under a spinlock, reserve first (try_ensure_capacity) and then
// use unchecked_append inside the lock: no allocation under a spinlock.
//
// Elements are moved with move construction plus destruction, never
// assignment, so T needs a move constructor and nothing else. Out of range
// indices are kernel bugs and trip LIB_VERIFY. No locking: the owner's lock
// protects the vector.
#include <kernel/lib/Allocator.h>
#include <kernel/lib/Assertions.h>
#include <kernel/lib/Error.h>
#include <kernel/lib/Span.h>
#include <kernel/lib/Types.h>
#include <kernel/lib/Utility.h>

namespace lib {

namespace detail {

// Raw, suitably aligned room for N objects of T; empty for N == 0.
template<typename T, usize N>
struct InlineStorage {
    T* data() { return reinterpret_cast<T*>(m_bytes); }
    const T* data() const { return reinterpret_cast<const T*>(m_bytes); }
    alignas(T) u8 m_bytes[N * sizeof(T)];
};
template<typename T>
struct InlineStorage<T, 0> {
    constexpr T* data() const { return nullptr; }
};

} // namespace detail

template<typename T, usize InlineCapacity = 0>
class Vector {
public:
    constexpr Vector()
        : m_data(m_inline.data())
        , m_capacity(InlineCapacity)
    {
    }
    Vector(Vector&& other)
        : Vector()
    {
        take_storage(other);
    }
    Vector& operator=(Vector&& other)
    {
        if (this != &other) {
            clear();
            take_storage(other);
        }
        return *this;
    }
    // Copying allocates, so it is explicit and can fail: see try_clone().
    Vector(const Vector&) = delete;
    Vector& operator=(const Vector&) = delete;
    ~Vector() { clear(); }

    ErrorOr<Vector> try_clone() const
    {
        Vector copy;
        TRY(copy.try_ensure_capacity(m_size));
        for (const T& value : *this)
            copy.unchecked_append(value);
        return copy;
    }

    usize size() const { return m_size; }
    usize capacity() const { return m_capacity; }
    bool is_empty() const { return m_size == 0; }
    // True while the elements live in the inline buffer (no heap memory held).
    bool is_inline() const { return m_data == m_inline.data(); }

    T* data() { return m_data; }
    const T* data() const { return m_data; }
    Span<T> span() { return { m_data, m_size }; }
    Span<const T> span() const { return { m_data, m_size }; }

    T& operator[](usize index)
    {
        LIB_VERIFY(index < m_size);
        return m_data[index];
    }
    const T& operator[](usize index) const
    {
        LIB_VERIFY(index < m_size);
        return m_data[index];
    }
    T& first() { return (*this)[0]; }
    const T& first() const { return (*this)[0]; }
    T& last() { return (*this)[m_size - 1]; }
    const T& last() const { return (*this)[m_size - 1]; }

    T* begin() { return m_data; }
    T* end() { return m_data + m_size; }
    const T* begin() const { return m_data; }
    const T* end() const { return m_data + m_size; }

    bool contains(const T& value) const
    {
        for (const T& element : *this) {
            if (element == value)
                return true;
        }
        return false;
    }

    // Makes room for `capacity` elements in total without further allocation.
    ErrorOr<void> try_ensure_capacity(usize capacity)
    {
        if (capacity <= m_capacity)
            return {};
        T* fresh = TRY(allocate_elements(capacity));
        relocate_into(fresh, m_size, 0);
        adopt_buffer(fresh, capacity);
        return {};
    }

    ErrorOr<void> try_append(T&& value) { return try_emplace(m_size, lib::move(value)); }
    ErrorOr<void> try_append(const T& value) { return try_emplace(m_size, value); }
    template<typename... Args>
    ErrorOr<void> try_emplace_back(Args&&... args)
    {
        return try_emplace(m_size, lib::forward<Args>(args)...);
    }

    // Inserts before `index` (index == size() appends).
    ErrorOr<void> try_insert(usize index, T&& value) { return try_emplace(index, lib::move(value)); }
    ErrorOr<void> try_insert(usize index, const T& value) { return try_emplace(index, value); }

    // Appends copies of `values`, which may be a part of this vector.
    ErrorOr<void> try_extend(Span<const T> values)
    {
        if (values.size() > ~usize(0) - m_size)
            return Error::from_errno(ENOMEM);
        auto address = reinterpret_cast<uptr>(values.data());
        auto start = reinterpret_cast<uptr>(m_data);
        bool aliases = m_size && address >= start && address < start + m_size * sizeof(T);
        usize offset = aliases ? (address - start) / sizeof(T) : 0;
        TRY(try_ensure_capacity(grown_capacity(m_size + values.size())));
        if (aliases)
            values = Span<const T>(m_data + offset, values.size());
        for (usize i = 0; i < values.size(); ++i)
            unchecked_append(values[i]);
        return {};
    }

    // Grows to `size` default-constructed elements, or shrinks to `size`.
    ErrorOr<void> try_resize(usize size)
    {
        TRY(try_ensure_capacity(size));
        while (m_size > size)
            take_last();
        while (m_size < size)
            unchecked_append(T());
        return {};
    }

    // Appends into capacity reserved earlier; running out is a kernel bug.
    template<typename U>
    void unchecked_append(U&& value)
    {
        LIB_VERIFY(m_size < m_capacity);
        new (&m_data[m_size]) T(lib::forward<U>(value));
        ++m_size;
    }

    T take_last()
    {
        LIB_VERIFY(m_size > 0);
        T value = lib::move(m_data[m_size - 1]);
        m_data[--m_size].~T();
        return value;
    }

    T take(usize index)
    {
        T value = lib::move((*this)[index]);
        remove(index);
        return value;
    }

    // Removes the element at `index`, shifting the later ones down.
    void remove(usize index)
    {
        LIB_VERIFY(index < m_size);
        m_data[index].~T();
        for (usize i = index; i + 1 < m_size; ++i) {
            new (&m_data[i]) T(lib::move(m_data[i + 1]));
            m_data[i + 1].~T();
        }
        --m_size;
    }

    // Removes every element for which predicate(element) is true, keeping the
    // order of the rest. Returns how many were removed.
    template<typename Predicate>
    usize remove_all_matching(Predicate predicate)
    {
        usize kept = 0;
        for (usize i = 0; i < m_size; ++i) {
            if (predicate(m_data[i])) {
                m_data[i].~T();
                continue;
            }
            if (kept != i) {
                new (&m_data[kept]) T(lib::move(m_data[i]));
                m_data[i].~T();
            }
            ++kept;
        }
        usize removed = m_size - kept;
        m_size = kept;
        return removed;
    }

    // Destroys the elements and gives heap memory back.
    void clear()
    {
        clear_with_capacity();
        if (!is_inline()) {
            deallocate(m_data);
            m_data = m_inline.data();
            m_capacity = InlineCapacity;
        }
    }

    // Destroys the elements but keeps the capacity for reuse.
    void clear_with_capacity()
    {
        for (usize i = 0; i < m_size; ++i)
            m_data[i].~T();
        m_size = 0;
    }

private:
    static ErrorOr<T*> allocate_elements(usize count)
    {
        if (count > ~usize(0) / sizeof(T))
            return Error::from_errno(ENOMEM);
        void* memory = allocate(count * sizeof(T), alignof(T) > 16 ? alignof(T) : 16);
        if (!memory)
            return Error::from_errno(ENOMEM);
        return static_cast<T*>(memory);
    }

    // Capacity to grow to when `needed` elements must fit: at least 1.5x the
    // current one, so appends stay amortized O(1).
    usize grown_capacity(usize needed) const
    {
        if (needed <= m_capacity)
            return m_capacity;
        usize grown = m_capacity + m_capacity / 2;
        if (grown < m_capacity)
            grown = needed;
        return max(max(grown, needed), usize(4));
    }

    // Constructs T(args...) at `index`, shifting [index, size) up by one.
    // When the buffer is full, the new element is built in the new buffer
    // before the old elements move, so `args` may refer into this vector.
    template<typename... Args>
    ErrorOr<void> try_emplace(usize index, Args&&... args)
    {
        LIB_VERIFY(index <= m_size);
        if (m_size < m_capacity) {
            if (index == m_size) {
                new (&m_data[m_size]) T(lib::forward<Args>(args)...);
            } else {
                T value(lib::forward<Args>(args)...);
                for (usize i = m_size; i > index; --i) {
                    new (&m_data[i]) T(lib::move(m_data[i - 1]));
                    m_data[i - 1].~T();
                }
                new (&m_data[index]) T(lib::move(value));
            }
            ++m_size;
            return {};
        }
        if (m_size == ~usize(0))
            return Error::from_errno(ENOMEM);
        usize capacity = grown_capacity(m_size + 1);
        T* fresh = TRY(allocate_elements(capacity));
        new (&fresh[index]) T(lib::forward<Args>(args)...);
        relocate_into(fresh, index, 0);
        relocate_into(fresh + index + 1, m_size - index, index);
        adopt_buffer(fresh, capacity);
        ++m_size;
        return {};
    }

    // Moves `count` elements starting at m_data[from] to `destination`,
    // destroying the originals. m_size is left for the caller to fix.
    void relocate_into(T* destination, usize count, usize from)
    {
        for (usize i = 0; i < count; ++i) {
            new (&destination[i]) T(lib::move(m_data[from + i]));
            m_data[from + i].~T();
        }
    }

    void adopt_buffer(T* buffer, usize capacity)
    {
        if (!is_inline())
            deallocate(m_data);
        m_data = buffer;
        m_capacity = capacity;
    }

    // Takes other's elements; other must be empty-able and this empty.
    void take_storage(Vector& other)
    {
        if (other.is_inline()) {
            other.relocate_into(m_data, other.m_size, 0);
            m_size = other.m_size;
            other.m_size = 0;
            return;
        }
        if (!is_inline())
            deallocate(m_data);
        m_data = lib::exchange(other.m_data, other.m_inline.data());
        m_capacity = lib::exchange(other.m_capacity, InlineCapacity);
        m_size = lib::exchange(other.m_size, usize(0));
    }

    [[no_unique_address]] detail::InlineStorage<T, InlineCapacity> m_inline;
    T* m_data;
    usize m_size { 0 };
    usize m_capacity;
};

} // namespace lib

using lib::Vector;
