// Handler chains per vector, built from a static slot pool. A chain is
// modified under s_lock; dispatch walks it under the same lock (handlers are
// short and run with interrupts off), counts the vector and sends EOI.
#include <kernel/irq/Irq.h>
#include <kernel/lib/Spinlock.h>
#include <kernel/log/Log.h>

namespace irq {

namespace {

struct Slot {
    Handler handler;
    void* context;
    char name[24];
    Slot* next;
    bool in_use;
};

constexpr usize MAX_HANDLERS = 128;

Spinlock s_lock;
Slot s_slots[MAX_HANDLERS];
Slot* s_chains[256];
u64 s_counts[256];
Controller* s_controller = nullptr;

} // namespace

void set_controller(Controller& controller)
{
    s_controller = &controller;
    klog::info("irq: interrupt controller is {}", controller.name());
}

Controller* controller()
{
    return s_controller;
}

ErrorOr<void> register_handler(u8 vector, Handler handler, void* context, StringView name)
{
    if (vector < FIRST_EXTERNAL_VECTOR || !handler)
        return Error::from_errno(EINVAL);
    SpinlockGuard guard(s_lock);
    for (Slot* slot = s_chains[vector]; slot; slot = slot->next) {
        if (slot->handler == handler && slot->context == context)
            return Error::from_errno(EEXIST);
    }
    for (Slot& slot : s_slots) {
        if (slot.in_use)
            continue;
        slot.in_use = true;
        slot.handler = handler;
        slot.context = context;
        usize n = min(name.length(), sizeof(slot.name) - 1);
        for (usize i = 0; i < n; ++i)
            slot.name[i] = name[i];
        slot.name[n] = '\0';
        // Append, so handlers run in registration order.
        slot.next = nullptr;
        Slot** tail = &s_chains[vector];
        while (*tail)
            tail = &(*tail)->next;
        *tail = &slot;
        return {};
    }
    return Error::from_errno(ENOSPC);
}

ErrorOr<void> unregister_handler(u8 vector, Handler handler, void* context)
{
    SpinlockGuard guard(s_lock);
    for (Slot** link = &s_chains[vector]; *link; link = &(*link)->next) {
        Slot* slot = *link;
        if (slot->handler == handler && slot->context == context) {
            *link = slot->next;
            slot->in_use = false;
            return {};
        }
    }
    return Error::from_errno(ENOENT);
}

ErrorOr<void> register_isa_handler(u8 isa_irq, Handler handler, void* context, StringView name)
{
    if (isa_irq >= 16 || !s_controller)
        return Error::from_errno(EINVAL);
    u8 vector = ISA_VECTOR_BASE + isa_irq;
    TRY(register_handler(vector, handler, context, name));
    auto routed = s_controller->enable_isa_irq(isa_irq, vector);
    if (routed.is_error()) {
        (void)unregister_handler(vector, handler, context);
        return routed.release_error();
    }
    return {};
}

void dispatch(u8 vector)
{
    {
        SpinlockGuard guard(s_lock);
        ++s_counts[vector];
        for (Slot* slot = s_chains[vector]; slot; slot = slot->next)
            slot->handler(slot->context);
    }
    // The spurious vector must not be acknowledged (SDM vol. 3A, 10.9).
    if (vector != SPURIOUS_VECTOR && s_controller)
        s_controller->end_of_interrupt(vector);
}

u64 count(u8 vector)
{
    return __atomic_load_n(&s_counts[vector], __ATOMIC_RELAXED);
}

void for_each_active_vector(void (*visit)(const VectorInfo&, void*), void* context)
{
    for (usize vector = FIRST_EXTERNAL_VECTOR; vector < 256; ++vector) {
        VectorInfo info {};
        {
            SpinlockGuard guard(s_lock);
            info.vector = static_cast<u8>(vector);
            info.count = s_counts[vector];
            for (Slot* slot = s_chains[vector]; slot; slot = slot->next) {
                if (info.handler_count++ == 0)
                    info.first_handler_name = slot->name;
            }
        }
        if (info.count || info.handler_count)
            visit(info, context);
    }
}

} // namespace irq
