// Handler chains per vector, built from a static slot pool.
//
// Locks, in the order they nest:
//   s_controller_lock  the active controller and which ISA IRQs it routes
//   Vector::lock       one vector's chain (dispatch holds it while handlers run)
//   s_pool_lock        which slots are in use (never held with another lock)
// Counts are atomic and read without locks. The controller pointer is also
// read atomically by dispatch, which must not wait for the controller lock.
#include <kernel/arch/Cpu.h>
#include <kernel/irq/Irq.h>
#include <kernel/lib/Spinlock.h>
#include <kernel/log/Log.h>

namespace irq {

namespace {

struct Slot {
    Handler handler;
    void* context;
    char name[MAX_NAME_LENGTH + 1];
    Slot* next;
    bool in_use; // guarded by s_pool_lock
};

struct Vector {
    Spinlock lock;
    Slot* chain; // guarded by lock
    u64 count;   // atomic
};

constinit Spinlock s_pool_lock;
constinit Slot s_slots[MAX_HANDLERS] {};
constinit Vector s_vectors[256] {};
constinit Spinlock s_controller_lock;
Controller* s_controller = nullptr; // written under s_controller_lock, read atomically
u16 s_isa_routed = 0;               // guarded by s_controller_lock
ExitHook s_exit_hook = nullptr;     // read and written atomically

Slot* allocate_slot()
{
    SpinlockGuard guard(s_pool_lock);
    for (Slot& slot : s_slots) {
        if (!slot.in_use) {
            slot.in_use = true;
            return &slot;
        }
    }
    return nullptr;
}

void free_slot(Slot* slot)
{
    SpinlockGuard guard(s_pool_lock);
    slot->in_use = false;
}

bool has_handlers(u8 vector)
{
    SpinlockGuard guard(s_vectors[vector].lock);
    return s_vectors[vector].chain != nullptr;
}

void run_chain(u8 vector)
{
    Vector& v = s_vectors[vector];
    SpinlockGuard guard(v.lock);
    for (Slot* slot = v.chain; slot; slot = slot->next)
        slot->handler(slot->context);
}

} // namespace

void set_controller(Controller& controller)
{
    u16 rerouted = 0;
    {
        SpinlockGuard guard(s_controller_lock);
        Controller* previous = s_controller;
        for (u8 isa_irq = 0; isa_irq < ISA_IRQ_COUNT; ++isa_irq) {
            if (!(s_isa_routed & (1u << isa_irq)))
                continue;
            if (previous)
                previous->disable_isa_irq(isa_irq);
            auto routed = controller.enable_isa_irq(isa_irq, ISA_VECTOR_BASE + isa_irq);
            if (routed.is_error()) {
                klog::error("irq: {} cannot route ISA IRQ {}: {}", controller.name(), isa_irq, routed.error());
                s_isa_routed &= ~(1u << isa_irq);
                continue;
            }
            rerouted |= 1u << isa_irq;
        }
        __atomic_store_n(&s_controller, &controller, __ATOMIC_RELEASE);
    }
    klog::info("irq: interrupt controller is {}", controller.name());

    // An edge that arrived while the IRQ was between controllers is lost;
    // give each device's handler a look so it services what is pending.
    arch::InterruptState state = arch::save_and_disable_interrupts();
    for (u8 isa_irq = 0; isa_irq < ISA_IRQ_COUNT; ++isa_irq) {
        if (rerouted & (1u << isa_irq))
            run_chain(ISA_VECTOR_BASE + isa_irq);
    }
    arch::restore_interrupts(state);
}

Controller* controller()
{
    return __atomic_load_n(&s_controller, __ATOMIC_ACQUIRE);
}

ErrorOr<void> register_handler(u8 vector, Handler handler, void* context, StringView name)
{
    if (vector < FIRST_EXTERNAL_VECTOR || !handler)
        return Error::from_errno(EINVAL);
    Slot* slot = allocate_slot();
    if (!slot)
        return Error::from_errno(ENOSPC);
    slot->handler = handler;
    slot->context = context;
    usize n = min(name.length(), MAX_NAME_LENGTH);
    for (usize i = 0; i < n; ++i)
        slot->name[i] = name[i];
    slot->name[n] = '\0';
    slot->next = nullptr;

    Vector& v = s_vectors[vector];
    {
        SpinlockGuard guard(v.lock);
        Slot** tail = &v.chain;
        for (; *tail; tail = &(*tail)->next) {
            if ((*tail)->handler == handler && (*tail)->context == context)
                break;
        }
        if (!*tail) {
            // Append, so handlers run in registration order.
            *tail = slot;
            return {};
        }
    }
    free_slot(slot);
    return Error::from_errno(EEXIST);
}

ErrorOr<void> unregister_handler(u8 vector, Handler handler, void* context)
{
    Slot* removed = nullptr;
    {
        Vector& v = s_vectors[vector];
        SpinlockGuard guard(v.lock);
        for (Slot** link = &v.chain; *link; link = &(*link)->next) {
            if ((*link)->handler == handler && (*link)->context == context) {
                removed = *link;
                *link = removed->next;
                break;
            }
        }
    }
    if (!removed)
        return Error::from_errno(ENOENT);
    free_slot(removed);
    return {};
}

ErrorOr<void> register_isa_handler(u8 isa_irq, Handler handler, void* context, StringView name)
{
    if (isa_irq >= ISA_IRQ_COUNT)
        return Error::from_errno(EINVAL);
    if (!controller())
        return Error::from_errno(ENODEV);
    u8 vector = ISA_VECTOR_BASE + isa_irq;
    TRY(register_handler(vector, handler, context, name));

    ErrorOr<void> routed;
    {
        SpinlockGuard guard(s_controller_lock);
        if (s_isa_routed & (1u << isa_irq))
            return {};
        if (!s_controller)
            routed = Error::from_errno(ENODEV);
        else
            routed = s_controller->enable_isa_irq(isa_irq, vector);
        if (!routed.is_error())
            s_isa_routed |= 1u << isa_irq;
    }
    if (routed.is_error()) {
        (void)unregister_handler(vector, handler, context);
        return routed.release_error();
    }
    return {};
}

ErrorOr<void> unregister_isa_handler(u8 isa_irq, Handler handler, void* context)
{
    if (isa_irq >= ISA_IRQ_COUNT)
        return Error::from_errno(EINVAL);
    u8 vector = ISA_VECTOR_BASE + isa_irq;
    TRY(unregister_handler(vector, handler, context));

    // Decide under the controller lock, so a concurrent register_isa_handler
    // either sees the IRQ still routed or routes it again after us.
    SpinlockGuard guard(s_controller_lock);
    if ((s_isa_routed & (1u << isa_irq)) && !has_handlers(vector)) {
        s_controller->disable_isa_irq(isa_irq);
        s_isa_routed &= ~(1u << isa_irq);
    }
    return {};
}

void dispatch(u8 vector)
{
    __atomic_fetch_add(&s_vectors[vector].count, 1, __ATOMIC_RELAXED);
    run_chain(vector);
    if (vector != SPURIOUS_VECTOR) {
        if (Controller* active = controller())
            active->end_of_interrupt(vector);
    }
    // After the EOI: the hook may switch threads, and the controller must
    // not wait for the interrupted thread to run again before it delivers
    // the next interrupt of this priority.
    if (ExitHook hook = __atomic_load_n(&s_exit_hook, __ATOMIC_ACQUIRE))
        hook();
}

void set_exit_hook(ExitHook hook)
{
    __atomic_store_n(&s_exit_hook, hook, __ATOMIC_RELEASE);
}

u64 count(u8 vector)
{
    return __atomic_load_n(&s_vectors[vector].count, __ATOMIC_RELAXED);
}

void for_each_active_vector(void (*visit)(const VectorInfo&, void*), void* context)
{
    for (usize index = FIRST_EXTERNAL_VECTOR; index < 256; ++index) {
        Vector& v = s_vectors[index];
        VectorInfo info {};
        info.vector = static_cast<u8>(index);
        info.count = count(info.vector);
        {
            SpinlockGuard guard(v.lock);
            usize length = 0;
            for (Slot* slot = v.chain; slot; slot = slot->next) {
                if (info.handler_count++ && length < sizeof(info.names) - 1)
                    info.names[length++] = ',';
                for (const char* c = slot->name; *c && length < sizeof(info.names) - 1; ++c)
                    info.names[length++] = *c;
            }
            info.names[length] = '\0';
        }
        if (info.count || info.handler_count)
            visit(info, context);
    }
}

void reset_for_testing()
{
    set_exit_hook(nullptr);
    {
        SpinlockGuard guard(s_controller_lock);
        s_controller = nullptr;
        s_isa_routed = 0;
    }
    for (Vector& v : s_vectors) {
        SpinlockGuard guard(v.lock);
        v.chain = nullptr;
        __atomic_store_n(&v.count, 0, __ATOMIC_RELAXED);
    }
    SpinlockGuard guard(s_pool_lock);
    for (Slot& slot : s_slots)
        slot.in_use = false;
}

} // namespace irq
