// ChaCha20 and the fast-key-erasure generator (see Random.h).
#include <fs/devfs/Random.h>
#include <kernel/lib/Spinlock.h>

namespace fs::random {

namespace {

// "expand 32-byte k", RFC 8439 section 2.3.
constexpr u32 CONSTANTS[4] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 };

constexpr u32 rotate_left(u32 value, int bits)
{
    return (value << bits) | (value >> (32 - bits));
}

// RFC 8439 section 2.1: the quarter round.
void quarter_round(u32* x, int a, int b, int c, int d)
{
    x[a] += x[b];
    x[d] = rotate_left(x[d] ^ x[a], 16);
    x[c] += x[d];
    x[b] = rotate_left(x[b] ^ x[c], 12);
    x[a] += x[b];
    x[d] = rotate_left(x[d] ^ x[a], 8);
    x[c] += x[d];
    x[b] = rotate_left(x[b] ^ x[c], 7);
}

Spinlock s_lock;
u32 s_key[8];         // guarded by s_lock
u32 s_generation = 0; // nonce word: distinct per request; guarded by s_lock

// One block under the key with the request's nonce; the caller holds s_lock.
void block_locked(u32 counter, u8 out[64])
{
    u32 nonce[3] = { s_generation, 0, 0 };
    chacha20_block(s_key, counter, nonce, out);
}

void rekey_locked(const u8 block[64])
{
    for (usize i = 0; i < 8; ++i) {
        s_key[i] = static_cast<u32>(block[4 * i]) | static_cast<u32>(block[4 * i + 1]) << 8
            | static_cast<u32>(block[4 * i + 2]) << 16 | static_cast<u32>(block[4 * i + 3]) << 24;
    }
    ++s_generation;
}

void wipe(u8* bytes, usize size)
{
    volatile u8* pointer = bytes;
    for (usize i = 0; i < size; ++i)
        pointer[i] = 0;
}

} // namespace

void chacha20_block(const u32 key[8], u32 counter, const u32 nonce[3], u8 out[64])
{
    u32 state[16];
    for (int i = 0; i < 4; ++i)
        state[i] = CONSTANTS[i];
    for (int i = 0; i < 8; ++i)
        state[4 + i] = key[i];
    state[12] = counter;
    for (int i = 0; i < 3; ++i)
        state[13 + i] = nonce[i];
    u32 working[16];
    for (int i = 0; i < 16; ++i)
        working[i] = state[i];
    // Section 2.3: 20 rounds, alternating column and diagonal rounds.
    for (int round = 0; round < 10; ++round) {
        quarter_round(working, 0, 4, 8, 12);
        quarter_round(working, 1, 5, 9, 13);
        quarter_round(working, 2, 6, 10, 14);
        quarter_round(working, 3, 7, 11, 15);
        quarter_round(working, 0, 5, 10, 15);
        quarter_round(working, 1, 6, 11, 12);
        quarter_round(working, 2, 7, 8, 13);
        quarter_round(working, 3, 4, 9, 14);
    }
    for (usize i = 0; i < 16; ++i) {
        u32 word = working[i] + state[i];
        out[4 * i] = static_cast<u8>(word);
        out[4 * i + 1] = static_cast<u8>(word >> 8);
        out[4 * i + 2] = static_cast<u8>(word >> 16);
        out[4 * i + 3] = static_cast<u8>(word >> 24);
    }
}

void mix_seed(ReadonlyBytes seed)
{
    u8 block[64];
    SpinlockGuard guard(s_lock);
    for (usize offset = 0; offset < seed.size(); offset += 32) {
        for (usize i = 0; i < 32 && offset + i < seed.size(); ++i)
            s_key[i / 4] ^= static_cast<u32>(seed[offset + i]) << (8 * (i % 4));
        block_locked(0, block);
        rekey_locked(block);
    }
    wipe(block, sizeof(block));
}

void generate(Bytes buffer)
{
    u8 block[64];
    usize offset = 0;
    while (offset < buffer.size()) {
        SpinlockGuard guard(s_lock);
        // Block 0 is the next key; blocks 1..15 are output (960 bytes per
        // key), then the key changes, so no request sees another's stream.
        block_locked(0, block);
        u8 next_key[64];
        __builtin_memcpy(next_key, block, sizeof(block));
        for (u32 counter = 1; counter < 16 && offset < buffer.size(); ++counter) {
            block_locked(counter, block);
            usize count = buffer.size() - offset < 64 ? buffer.size() - offset : 64;
            __builtin_memcpy(buffer.data() + offset, block, count);
            offset += count;
        }
        rekey_locked(next_key);
        wipe(next_key, sizeof(next_key));
    }
    wipe(block, sizeof(block));
}

} // namespace fs::random
