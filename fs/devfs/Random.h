#pragma once

// The kernel's random generator behind /dev/random and /dev/urandom:
// ChaCha20 (RFC 8439 section 2.3) used as Bernstein's "fast-key-erasure"
// generator (https://blog.cr.yp.to/20170723-random.html). Each request runs
// the ChaCha20 block function under the current 256-bit key with a fresh
// counter; the first 32 bytes of the first block become the next key, the
// rest is output. Once a request returns, its output cannot be recomputed
// from the state (the key that made it is gone).
//
// Seeding: mix_seed() folds bytes into the key (key XOR 32-byte chunk, then
// one rekey step per chunk), so seeds only add entropy. The kernel seeds it
// at boot with RDRAND (when the CPU has it) and TSC samples
// (kernel/tty/Devices.cpp), and may mix more later. Like Linux since 5.18,
// /dev/random and /dev/urandom are the same generator and never block.
//
// Locking: one spinlock guards the key; a request of any size holds it for
// at most 16 blocks (1 KiB) at a time, so large reads do not stall interrupts.
#include <kernel/lib/Span.h>
#include <kernel/lib/Types.h>

namespace fs::random {

// RFC 8439 section 2.3: the ChaCha20 block for `key` (8 words), `counter`
// and `nonce` (3 words), serialized little-endian into `out`.
void chacha20_block(const u32 key[8], u32 counter, const u32 nonce[3], u8 out[64]);

// Folds `seed` into the generator's key.
void mix_seed(ReadonlyBytes seed);
// Fills `buffer` with generator output.
void generate(Bytes buffer);

} // namespace fs::random
