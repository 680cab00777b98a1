// Device files at boot (see Devices.h).
#include <fs/devfs/DevFileSystem.h>
#include <fs/devfs/Random.h>
#include <fs/pipe/WaitHooks.h>
#include <fs/vfs/Vfs.h>
#include <kernel/arch/x86_64/Io.h>
#include <kernel/log/Log.h>
#include <kernel/sched/Scheduler.h>
#include <kernel/sched/WaitQueue.h>
#include <kernel/tty/Devices.h>
#include <kernel/tty/Tty.h>

namespace tty {

namespace {

// Waiters are spread over a few queues by key (the object's address), as
// Linux's hashed bit wait tables; a wake-up wakes the whole bucket and the
// waiters re-check their conditions.
constexpr usize WAIT_BUCKETS = 32;
[[clang::no_destroy]] constinit sched::WaitQueue s_wait_buckets[WAIT_BUCKETS];

sched::WaitQueue& bucket_for(const void* key)
{
    auto value = reinterpret_cast<uptr>(key);
    return s_wait_buckets[((value >> 6) ^ (value >> 14)) % WAIT_BUCKETS];
}

void kernel_wait(const void* key, fs::WaitHooks::Condition condition, const void* argument)
{
    // Interruptible: PipeEnd sees fs::wait_interrupted() and gives up.
    (void)bucket_for(key).wait_until_interruptible([&] { return condition(argument); });
}

void kernel_wake(const void* key)
{
    if (sched::is_running())
        bucket_for(key).wake_all();
}

constexpr fs::WaitHooks KERNEL_WAIT_HOOKS { kernel_wait, kernel_wake };

// RDRAND (Intel SDM vol. 1 section 7.3.17, CPUID.01H:ECX bit 30). The
// builtin needs the feature enabled for this function only.
[[gnu::target("rdrnd")]] bool read_rdrand(u64& value)
{
    unsigned long long result;
    // Intel's guidance: retry up to 10 times on a transient failure.
    for (int attempt = 0; attempt < 10; ++attempt) {
        if (__builtin_ia32_rdrand64_step(&result)) {
            value = result;
            return true;
        }
    }
    return false;
}

// Seeds the generator with 64 RDRAND words when the CPU has the
// instruction, and always with TSC readings taken around them (their low
// bits carry timing jitter, which is all the entropy a CPU without RDRAND
// offers this early).
void seed_random()
{
    bool has_rdrand = x86::cpuid(1).ecx & (1u << 30);
    u64 samples[128];
    usize rdrand_words = 0;
    for (usize i = 0; i < 64; ++i) {
        samples[2 * i] = x86::read_tsc();
        u64 value = 0;
        if (has_rdrand && read_rdrand(value))
            ++rdrand_words;
        samples[2 * i + 1] = value ^ x86::read_tsc();
    }
    fs::random::mix_seed({ reinterpret_cast<const u8*>(samples), sizeof(samples) });
    __builtin_memset(samples, 0, sizeof(samples));
    klog::info("random: ChaCha20 generator seeded ({} RDRAND words, TSC samples)", rdrand_words);
}

ErrorOr<NonnullRefPtr<fs::OpenFile>> open_console(fs::Location location, u32 flags)
{
    return TtyFile::open(lib::move(location), flags);
}

} // namespace

ErrorOr<void> init_devices()
{
    fs::set_wait_hooks(&KERNEL_WAIT_HOOKS);
    fs::set_wait_interruption(sched::current_is_interrupted);
    seed_random();
    TRY(Tty::init_console_tty());

    auto devfs = TRY(fs::devfs::DevFileSystem::try_create());
    // /dev/tty is the caller's controlling terminal; with one terminal it is the console.
    TRY(devfs->add_device({ "console", 5, 1, 0600, open_console }));
    TRY(devfs->add_device({ "tty", 5, 0, 0666, open_console }));

    fs::Context context { fs::vfs().root(), fs::Credentials::root() };
    auto made = fs::vfs().make_directory(context, context.root, "/dev", 0755);
    if (made.is_error() && made.error().code() != EEXIST)
        return made.release_error();
    TRY(fs::vfs().mount(context, context.root, "/dev", lib::move(devfs)));
    klog::info("devfs: mounted on /dev");
    return {};
}

} // namespace tty
