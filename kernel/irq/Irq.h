#pragma once

// Interrupt registration. Drivers register handlers for a vector (shared:
// several handlers may sit on one vector, each called in turn, in
// registration order) or for a legacy ISA IRQ, which the active interrupt
// controller routes to a vector. Every dispatched vector is counted, for
// `irqstat`.
//
// Handler slots come from a fixed pool, so registration never allocates.
// Each vector's chain has its own spinlock, held while its handlers run (with
// interrupts off); so a handler must not register or unregister handlers.
// Shared handlers must tolerate being called when their device did not
// interrupt (they check the device's status and return if nothing is pending).
#include <kernel/lib/Error.h>
#include <kernel/lib/StringView.h>

namespace irq {

using Handler = void (*)(void* context);

inline constexpr u8 FIRST_EXTERNAL_VECTOR = 32;
// Legacy ISA IRQ n is delivered on vector ISA_VECTOR_BASE + n, whatever the
// controller (the 8259 is remapped there; the I/O APIC is programmed so).
inline constexpr u8 ISA_VECTOR_BASE = 32;
inline constexpr u8 ISA_IRQ_COUNT = 16;
inline constexpr u8 SPURIOUS_VECTOR = 0xff;
inline constexpr usize MAX_HANDLERS = 128;
inline constexpr usize MAX_NAME_LENGTH = 23;

// The hardware that routes, masks and acknowledges interrupts (8259 PIC at
// boot; the local APIC and I/O APIC once they are set up).
class Controller {
public:
    virtual StringView name() const = 0;
    // Routes ISA IRQ `isa_irq` to `vector` and unmasks it.
    virtual ErrorOr<void> enable_isa_irq(u8 isa_irq, u8 vector) = 0;
    virtual void disable_isa_irq(u8 isa_irq) = 0;
    virtual void end_of_interrupt(u8 vector) = 0;

protected:
    ~Controller() = default;
};

// Makes `controller` the active one. ISA IRQs routed through the previous
// controller are masked there and routed through the new one, and their
// handlers are run once so a device that raised an edge during the switch is
// serviced; registrations survive the switch.
void set_controller(Controller& controller);
Controller* controller();

// EINVAL for exception vectors or a null handler, ENOSPC when the handler
// pool is full, EEXIST for the same handler and context twice on a vector.
// Names longer than MAX_NAME_LENGTH are truncated.
ErrorOr<void> register_handler(u8 vector, Handler handler, void* context, StringView name);
// ENOENT if that handler and context are not registered on the vector.
ErrorOr<void> unregister_handler(u8 vector, Handler handler, void* context);

// Registers on the ISA IRQ's vector and asks the controller to route it
// (EINVAL for isa_irq >= 16, ENODEV without a controller, or the
// controller's error, in which case nothing stays registered).
ErrorOr<void> register_isa_handler(u8 isa_irq, Handler handler, void* context, StringView name);
// Unregisters; when the IRQ's last handler goes, the controller masks it.
ErrorOr<void> unregister_isa_handler(u8 isa_irq, Handler handler, void* context);

// Called by the architecture's interrupt entry for vectors >= 32: counts the
// vector, runs its handlers, then signals end of interrupt (except for the
// spurious vector, which must not be acknowledged: Intel SDM vol. 3A, 11.9),
// then calls the exit hook, if one is set.
void dispatch(u8 vector);

// The exit hook runs at the end of every dispatch(), after the end of
// interrupt was sent and with no irq lock held, interrupts still disabled:
// the scheduler's preemption point. It may switch to another thread; the
// interrupted one finishes its dispatch() when it is resumed. One hook at a
// time; nullptr removes it.
using ExitHook = void (*)();
void set_exit_hook(ExitHook hook);

u64 count(u8 vector);

struct VectorInfo {
    u8 vector;
    u64 count;
    usize handler_count;
    char names[64]; // handler names joined with ',', truncated; empty if none
};
// Visits vectors that have a handler or a nonzero count, in order. The
// visitor runs without any lock held and may print.
void for_each_active_vector(void (*visit)(const VectorInfo&, void*), void* context);

// Forgets every handler, count and the controller (host tests only).
void reset_for_testing();

} // namespace irq
