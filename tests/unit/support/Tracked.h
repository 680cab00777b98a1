#pragma once

// Tracked: a test element type that counts its constructions and
// destructions and notices misuse: destroying an object twice, or copying or
// moving from a destroyed one, increments Tracked::misuse. Containers holding
// Tracked values must end every test with live == 0 and misuse == 0.
#include <cstdint>

struct Tracked {
    static inline long live = 0;
    static inline long constructions = 0;
    static inline long destructions = 0;
    static inline long misuse = 0;

    static void reset_counters() { live = constructions = destructions = misuse = 0; }

    explicit Tracked(int v = 0)
        : value(v)
    {
        born();
    }
    Tracked(const Tracked& other)
        : value(other.value)
    {
        other.check();
        born();
    }
    Tracked(Tracked&& other)
        : value(other.value)
    {
        other.check();
        other.value = -1;
        born();
    }
    Tracked& operator=(const Tracked& other)
    {
        check();
        other.check();
        value = other.value;
        return *this;
    }
    Tracked& operator=(Tracked&& other)
    {
        check();
        other.check();
        value = other.value;
        other.value = -1;
        return *this;
    }
    ~Tracked()
    {
        check();
        m_magic = DEAD_MAGIC;
        --live;
        ++destructions;
    }

    bool operator==(const Tracked& other) const { return value == other.value; }

    int value;

private:
    static constexpr uint32_t ALIVE_MAGIC = 0x7a11ed01;
    static constexpr uint32_t DEAD_MAGIC = 0xdeadbeef;

    void born()
    {
        m_magic = ALIVE_MAGIC;
        ++live;
        ++constructions;
    }
    void check() const
    {
        if (m_magic != ALIVE_MAGIC)
            ++misuse;
    }

    uint32_t m_magic { 0 };
};
