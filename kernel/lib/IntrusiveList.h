#pragma once

// IntrusiveList: a doubly linked list whose links live inside the listed
// objects, so linking never allocates and works in interrupt context (run
// queues, wait queues, message and packet queues).
//
//   struct Thread { IntrusiveListNode m_run_node; ... };
//   IntrusiveList<Thread, &Thread::m_run_node> run_queue;
//
// Invariants: the list is circular through a sentinel node inside the list
// object, so links are never null while a node is linked; each linked node
// records which list holds it, so is_linked() is O(1) and removing a node
// through the wrong list trips LIB_VERIFY instead of corrupting both lists. A
// node can be on one list at a time (give an object one node per list it can
// be on). A node must be unlinked before it is destroyed; a list unlinks its
// nodes when it is destroyed. The list does not own the objects. No locking:
// the owner's lock protects the list and every node on it.
//
// Iteration reads the next node before yielding the current one, so the loop
// body may remove the object it is visiting (and only that one).
#include <kernel/lib/Assertions.h>
#include <kernel/lib/Types.h>

namespace lib {

class IntrusiveListNode {
public:
    constexpr IntrusiveListNode() = default;
    ~IntrusiveListNode() { LIB_VERIFY(!is_linked()); }
    IntrusiveListNode(const IntrusiveListNode&) = delete;
    IntrusiveListNode& operator=(const IntrusiveListNode&) = delete;

    bool is_linked() const { return m_owner != nullptr; }

private:
    template<typename T, IntrusiveListNode T::*Member>
    friend class IntrusiveList;

    constexpr explicit IntrusiveListNode(IntrusiveListNode* self)
        : m_next(self)
        , m_prev(self)
    {
    }

    IntrusiveListNode* m_next { nullptr };
    IntrusiveListNode* m_prev { nullptr };
    const void* m_owner { nullptr };
};

template<typename T, IntrusiveListNode T::*Member>
class IntrusiveList {
public:
    constexpr IntrusiveList()
        : m_sentinel(&m_sentinel)
    {
    }
    ~IntrusiveList() { clear(); }
    IntrusiveList(const IntrusiveList&) = delete;
    IntrusiveList& operator=(const IntrusiveList&) = delete;

    bool is_empty() const { return m_size == 0; }
    usize size() const { return m_size; }
    bool contains(const T& object) const { return (object.*Member).m_owner == this; }

    T* first() const { return is_empty() ? nullptr : object_of(m_sentinel.m_next); }
    T* last() const { return is_empty() ? nullptr : object_of(m_sentinel.m_prev); }

    void push_front(T& object) { link_after(m_sentinel, object.*Member); }
    void push_back(T& object) { link_after(*m_sentinel.m_prev, object.*Member); }

    // Links `object` right before `position`, which must be on this list.
    void insert_before(T& position, T& object)
    {
        LIB_VERIFY(contains(position));
        link_after(*(position.*Member).m_prev, object.*Member);
    }

    // Unlink and return the first (last) object, or null when empty.
    T* pop_front()
    {
        T* object = first();
        if (object)
            remove(*object);
        return object;
    }
    T* pop_back()
    {
        T* object = last();
        if (object)
            remove(*object);
        return object;
    }

    void remove(T& object)
    {
        IntrusiveListNode& node = object.*Member;
        LIB_VERIFY(node.m_owner == this);
        node.m_prev->m_next = node.m_next;
        node.m_next->m_prev = node.m_prev;
        node.m_next = nullptr;
        node.m_prev = nullptr;
        node.m_owner = nullptr;
        --m_size;
    }

    // Unlinks every object (the objects themselves are untouched).
    void clear()
    {
        while (!is_empty())
            remove(*first());
    }

    class Iterator {
    public:
        T& operator*() const { return *object_of(m_current); }
        T* operator->() const { return object_of(m_current); }
        bool operator==(const Iterator& other) const { return m_current == other.m_current; }
        Iterator& operator++()
        {
            m_current = m_next;
            m_next = m_current->m_next;
            return *this;
        }

    private:
        friend class IntrusiveList;
        explicit Iterator(IntrusiveListNode* current)
            : m_current(current)
            , m_next(current->m_next)
        {
        }
        IntrusiveListNode* m_current;
        IntrusiveListNode* m_next;
    };

    Iterator begin() { return Iterator(m_sentinel.m_next); }
    Iterator end() { return Iterator(&m_sentinel); }

private:
    void link_after(IntrusiveListNode& position, IntrusiveListNode& node)
    {
        LIB_VERIFY(!node.is_linked());
        node.m_prev = &position;
        node.m_next = position.m_next;
        position.m_next->m_prev = &node;
        position.m_next = &node;
        node.m_owner = this;
        ++m_size;
    }

    // The object that holds `node`. In the Itanium C++ ABI (section 2.3) a
    // pointer to data member is the member's byte offset in the object.
    static T* object_of(IntrusiveListNode* node)
    {
        static_assert(sizeof(IntrusiveListNode T::*) == sizeof(isize));
        isize offset = __builtin_bit_cast(isize, Member);
        return reinterpret_cast<T*>(reinterpret_cast<u8*>(node) - offset);
    }

    IntrusiveListNode m_sentinel;
    usize m_size { 0 };
};

} // namespace lib

using lib::IntrusiveList;
using lib::IntrusiveListNode;
