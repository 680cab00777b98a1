// User-visible randomness; see Random.h.
#include <kernel/arch/x86_64/Io.h>
#include <kernel/arch/x86_64/Syscall.h>
#include <kernel/lib/Atomic.h>
#include <kernel/user/Random.h>

namespace user {

namespace {

constexpr u64 SPLITMIX_INCREMENT = 0x9e3779b97f4a7c15;

constinit lib::Atomic<u64> s_state { 0 };

// SplitMix64's output function (Steele, Lea, Flood, "Fast splittable
// pseudorandom number generators", OOPSLA 2014).
u64 mix(u64 z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
}

u64 random_word()
{
    u64 value;
    if (x86::read_hardware_random(value))
        return value;
    u64 state = s_state.fetch_add(SPLITMIX_INCREMENT) + SPLITMIX_INCREMENT;
    return mix(state ^ mix(x86::read_tsc()));
}

} // namespace

void fill_random(Span<u8> buffer)
{
    usize done = 0;
    while (done < buffer.size()) {
        u64 word = random_word();
        usize chunk = min<usize>(sizeof(word), buffer.size() - done);
        __builtin_memcpy(buffer.data() + done, &word, chunk);
        done += chunk;
    }
}

StringView entropy_source()
{
    u64 probe;
    return x86::read_hardware_random(probe) ? "rdrand" : "tsc-mix";
}

} // namespace user
