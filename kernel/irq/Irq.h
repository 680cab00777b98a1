#pragma once

// Interrupt registration. Drivers register handlers for a vector (shared:
// several handlers may sit on one vector, each called in turn) or for a
// legacy ISA IRQ, which the active interrupt controller routes to a vector.
// Every dispatched vector is counted, for `irqstat`.
//
// Handler slots come from a fixed pool, so registration never allocates and
// dispatch touches no lock but the per-vector chain's.
#include <kernel/lib/Error.h>
#include <kernel/lib/StringView.h>

namespace irq {

using Handler = void (*)(void* context);

inline constexpr u8 FIRST_EXTERNAL_VECTOR = 32;
// Legacy ISA IRQ n is delivered on vector ISA_VECTOR_BASE + n.
inline constexpr u8 ISA_VECTOR_BASE = 32;
inline constexpr u8 SPURIOUS_VECTOR = 0xff;

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

void set_controller(Controller& controller);
Controller* controller();

// EINVAL for exception vectors, ENOSPC when the handler pool is full,
// EEXIST for the same handler and context twice.
ErrorOr<void> register_handler(u8 vector, Handler handler, void* context, StringView name);
ErrorOr<void> unregister_handler(u8 vector, Handler handler, void* context);

// Registers on the ISA IRQ's vector and asks the controller to route it.
ErrorOr<void> register_isa_handler(u8 isa_irq, Handler handler, void* context, StringView name);

// Called by the architecture's interrupt entry for vectors >= 32.
void dispatch(u8 vector);

u64 count(u8 vector);

struct VectorInfo {
    u8 vector;
    u64 count;
    StringView first_handler_name; // empty if none registered
    usize handler_count;
};
// Visits vectors that have a handler or a nonzero count, in order.
void for_each_active_vector(void (*visit)(const VectorInfo&, void*), void* context);

} // namespace irq
