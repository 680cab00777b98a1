#pragma once

// Hash functions and the Traits<T> that HashMap uses to hash and compare keys.
//
// - Integers, enums and pointers: the 64-bit finalizer of SplitMix64 (Steele,
//   Lea, Flood, "Fast Splittable Pseudorandom Number Generators", OOPSLA 2014;
//   the constants are David Stafford's "Mix13"). It is a bijection in which
//   every input bit affects every output bit, so linear probing, which uses
//   the low bits, sees well spread values even for keys like 0x1000, 0x2000.
// - Bytes and StringView: 64-bit FNV-1a (Fowler, Noll, Vo; offset basis and
//   prime from draft-eastlake-fnv section 2), then the same finalizer.
// These are not keyed: keys chosen by user space could force collisions, so
// a table indexed by untrusted keys must bound its size.
#include <kernel/lib/StringView.h>
#include <kernel/lib/Types.h>

namespace lib {

constexpr u64 hash_u64(u64 value)
{
    value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ull;
    value = (value ^ (value >> 27)) * 0x94d049bb133111ebull;
    return value ^ (value >> 31);
}

constexpr u64 fnv1a_64(const char* bytes, usize length)
{
    u64 hash = 0xcbf29ce484222325ull;
    for (usize i = 0; i < length; ++i) {
        hash ^= static_cast<u8>(bytes[i]);
        hash *= 0x100000001b3ull;
    }
    return hash;
}

inline u64 hash_bytes(const void* bytes, usize length)
{
    return hash_u64(fnv1a_64(static_cast<const char*>(bytes), length));
}

// Traits<T>::hash(value) and Traits<T>::equals(a, b). Specialize for a key
// type of one's own, or pass a traits type to HashMap.
template<typename T>
struct Traits;

template<typename T>
    requires(__is_integral(T) || __is_enum(T))
struct Traits<T> {
    static constexpr u64 hash(T value) { return hash_u64(static_cast<u64>(value)); }
    static constexpr bool equals(T a, T b) { return a == b; }
};

template<typename T>
struct Traits<T*> {
    static u64 hash(const T* value) { return hash_u64(reinterpret_cast<uptr>(value)); }
    static constexpr bool equals(const T* a, const T* b) { return a == b; }
};

template<>
struct Traits<StringView> {
    static constexpr u64 hash(StringView value) { return hash_u64(fnv1a_64(value.characters(), value.length())); }
    static constexpr bool equals(StringView a, StringView b) { return a == b; }
};

} // namespace lib

using lib::Traits;
