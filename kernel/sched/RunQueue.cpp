// The per-CPU scheduling policy (the rules are in RunQueue.h).
#include <kernel/lib/Assertions.h>
#include <kernel/sched/RunQueue.h>

namespace sched {

namespace {

// round(1024 / 1.25^nice) for nice = -20..19: one nice step changes a
// thread's share against a nice-0 thread by about 25%.
constexpr u32 NICE_WEIGHTS[NICE_MAX - NICE_MIN + 1] = {
    88818, 71054, 56843, 45475, 36380, 29104, 23283, 18626, 14901, 11921, //
    9537, 7629, 6104, 4883, 3906, 3125, 2500, 2000, 1600, 1280,           //
    1024, 819, 655, 524, 419, 336, 268, 215, 172, 137,                    //
    110, 88, 70, 56, 45, 36, 29, 23, 18, 15,                              //
};

int class_rank(SchedulingClass scheduling_class)
{
    switch (scheduling_class) {
    case SchedulingClass::Realtime:
        return 0;
    case SchedulingClass::Normal:
        return 1;
    case SchedulingClass::Idle:
        return 2;
    }
    return 2;
}

} // namespace

u32 weight_for_nice(i8 nice)
{
    if (nice < NICE_MIN)
        nice = NICE_MIN;
    if (nice > NICE_MAX)
        nice = NICE_MAX;
    return NICE_WEIGHTS[nice - NICE_MIN];
}

void SchedEntity::set_nice(i8 value)
{
    nice = value < NICE_MIN ? NICE_MIN : (value > NICE_MAX ? NICE_MAX : value);
    weight = weight_for_nice(nice);
}

void RunQueue::enqueue(SchedEntity& entity, Placement placement)
{
    LIB_VERIFY(!entity.run_node.is_linked() && &entity != m_running);
    switch (entity.scheduling_class) {
    case SchedulingClass::Realtime:
        LIB_VERIFY(entity.realtime_priority < REALTIME_PRIORITY_COUNT);
        if (placement == Placement::New || entity.realtime_slice_left_ns == 0)
            entity.realtime_slice_left_ns = REALTIME_SLICE_NS;
        m_realtime[entity.realtime_priority].push_back(entity);
        m_realtime_bitmap |= 1u << entity.realtime_priority;
        break;
    case SchedulingClass::Normal: {
        u64 floor = m_min_vruntime;
        if (placement == Placement::Wakeup)
            floor = m_min_vruntime > SLEEPER_BONUS_NS ? m_min_vruntime - SLEEPER_BONUS_NS : 0;
        if (entity.vruntime < floor)
            entity.vruntime = floor;
        insert_normal(entity);
        break;
    }
    case SchedulingClass::Idle:
        m_idle.push_back(entity);
        break;
    }
    ++m_queued;
}

void RunQueue::dequeue(SchedEntity& entity)
{
    LIB_VERIFY(entity.run_node.is_linked());
    switch (entity.scheduling_class) {
    case SchedulingClass::Realtime: {
        EntityList& list = m_realtime[entity.realtime_priority];
        list.remove(entity);
        if (list.is_empty())
            m_realtime_bitmap &= ~(1u << entity.realtime_priority);
        break;
    }
    case SchedulingClass::Normal:
        m_normal.remove(entity);
        m_queued_normal_weight -= entity.weight;
        update_min_vruntime();
        break;
    case SchedulingClass::Idle:
        m_idle.remove(entity);
        break;
    }
    --m_queued;
}

SchedEntity* RunQueue::pick_next()
{
    LIB_VERIFY(!m_running);
    SchedEntity* entity = nullptr;
    if (m_realtime_bitmap) {
        int priority = highest_realtime_priority();
        entity = m_realtime[priority].pop_front();
        if (m_realtime[priority].is_empty())
            m_realtime_bitmap &= ~(1u << priority);
    } else if (!m_normal.is_empty()) {
        entity = m_normal.pop_front();
        m_queued_normal_weight -= entity->weight;
    } else {
        entity = m_idle.pop_front();
    }
    if (!entity)
        return nullptr;
    --m_queued;
    entity->ran_since_picked_ns = 0;
    m_running = entity;
    update_min_vruntime();
    return entity;
}

void RunQueue::deschedule(SchedEntity& entity, DescheduleReason reason)
{
    LIB_VERIFY(&entity == m_running);
    m_running = nullptr;
    if (reason == DescheduleReason::Blocked) {
        update_min_vruntime();
        return;
    }
    switch (entity.scheduling_class) {
    case SchedulingClass::Realtime: {
        EntityList& list = m_realtime[entity.realtime_priority];
        bool used_turn = reason == DescheduleReason::Yielded
            || (entity.realtime_policy == RealtimePolicy::RoundRobin && entity.realtime_slice_left_ns == 0);
        if (entity.realtime_slice_left_ns == 0)
            entity.realtime_slice_left_ns = REALTIME_SLICE_NS;
        if (used_turn)
            list.push_back(entity);
        else
            list.push_front(entity);
        m_realtime_bitmap |= 1u << entity.realtime_priority;
        break;
    }
    case SchedulingClass::Normal:
        // A yield sends the thread behind every thread now waiting, once.
        if (reason == DescheduleReason::Yielded && !m_normal.is_empty() && m_normal.last()->vruntime > entity.vruntime)
            entity.vruntime = m_normal.last()->vruntime;
        insert_normal(entity);
        break;
    case SchedulingClass::Idle:
        if (reason == DescheduleReason::Yielded || entity.ran_since_picked_ns >= IDLE_SLICE_NS)
            m_idle.push_back(entity);
        else
            m_idle.push_front(entity);
        break;
    }
    ++m_queued;
}

bool RunQueue::account(SchedEntity& running, u64 delta_ns)
{
    LIB_VERIFY(&running == m_running);
    running.ran_since_picked_ns += delta_ns;
    switch (running.scheduling_class) {
    case SchedulingClass::Realtime: {
        if (highest_realtime_priority() > int(running.realtime_priority))
            return true;
        if (running.realtime_policy == RealtimePolicy::Fifo)
            return false;
        running.realtime_slice_left_ns -= min(delta_ns, running.realtime_slice_left_ns);
        if (running.realtime_slice_left_ns > 0)
            return false;
        if (!m_realtime[running.realtime_priority].is_empty())
            return true; // deschedule() refills the slice
        running.realtime_slice_left_ns = REALTIME_SLICE_NS;
        return false;
    }
    case SchedulingClass::Normal:
        // delta * 1024 stays far below 2^64 for any realistic delta (2^40 ns is 18 minutes).
        running.vruntime += delta_ns * NICE_0_WEIGHT / running.weight;
        update_min_vruntime();
        if (has_queued_above(SchedulingClass::Normal))
            return true;
        return !m_normal.is_empty() && running.ran_since_picked_ns >= normal_slice_ns(running);
    case SchedulingClass::Idle:
        if (has_queued_above(SchedulingClass::Idle))
            return true;
        return !m_idle.is_empty() && running.ran_since_picked_ns >= IDLE_SLICE_NS;
    }
    return false;
}

bool RunQueue::should_preempt(const SchedEntity& running, const SchedEntity& woken) const
{
    int running_rank = class_rank(running.scheduling_class);
    int woken_rank = class_rank(woken.scheduling_class);
    if (woken_rank != running_rank)
        return woken_rank < running_rank;
    switch (running.scheduling_class) {
    case SchedulingClass::Realtime:
        return woken.realtime_priority > running.realtime_priority;
    case SchedulingClass::Normal:
        return woken.vruntime + WAKEUP_GRANULARITY_NS < running.vruntime;
    case SchedulingClass::Idle:
        return false;
    }
    return false;
}

void RunQueue::insert_normal(SchedEntity& entity)
{
    m_queued_normal_weight += entity.weight;
    for (SchedEntity& queued : m_normal) {
        if (queued.vruntime > entity.vruntime) {
            m_normal.insert_before(queued, entity);
            return;
        }
    }
    m_normal.push_back(entity);
}

void RunQueue::update_min_vruntime()
{
    bool found = false;
    u64 smallest = 0;
    if (m_running && m_running->scheduling_class == SchedulingClass::Normal) {
        smallest = m_running->vruntime;
        found = true;
    }
    if (!m_normal.is_empty()) {
        u64 leftmost = m_normal.first()->vruntime;
        smallest = found ? min(smallest, leftmost) : leftmost;
        found = true;
    }
    if (found && smallest > m_min_vruntime)
        m_min_vruntime = smallest;
}

u64 RunQueue::normal_slice_ns(const SchedEntity& running) const
{
    u64 total_weight = m_queued_normal_weight + running.weight;
    u64 slice = SCHED_LATENCY_NS / total_weight * running.weight;
    return slice < MIN_SLICE_NS ? MIN_SLICE_NS : slice;
}

bool RunQueue::has_queued_above(SchedulingClass scheduling_class) const
{
    if (scheduling_class == SchedulingClass::Realtime)
        return false;
    if (m_realtime_bitmap)
        return true;
    return scheduling_class == SchedulingClass::Idle && !m_normal.is_empty();
}

int RunQueue::highest_realtime_priority() const
{
    return m_realtime_bitmap ? 31 - __builtin_clz(m_realtime_bitmap) : -1;
}

} // namespace sched
