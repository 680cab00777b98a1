// IntrusiveList: behaviour, removal during iteration, misuse caught by
// LIB_VERIFY, and a randomized comparison against std::deque.
#include <algorithm>
#include <deque>
#include <gtest/gtest.h>
#include <kernel/lib/IntrusiveList.h>
#include <memory>
#include <random>
#include <vector>

namespace {

struct Item {
    explicit Item(int v)
        : value(v)
    {
    }
    int value;
    IntrusiveListNode m_node;
    IntrusiveListNode m_other_node;
};

using List = IntrusiveList<Item, &Item::m_node>;
using OtherList = IntrusiveList<Item, &Item::m_other_node>;

std::vector<int> values_of(List& list)
{
    std::vector<int> out;
    for (Item& item : list)
        out.push_back(item.value);
    return out;
}

TEST(IntrusiveList, PushPopAndOrder)
{
    Item a(1), b(2), c(3), d(4);
    List list;
    EXPECT_TRUE(list.is_empty());
    EXPECT_EQ(list.first(), nullptr);
    EXPECT_EQ(list.pop_front(), nullptr);
    EXPECT_EQ(list.pop_back(), nullptr);
    list.push_back(b);
    list.push_front(a);
    list.push_back(d);
    list.insert_before(d, c);
    EXPECT_EQ(list.size(), 4u);
    EXPECT_EQ(values_of(list), (std::vector<int> { 1, 2, 3, 4 }));
    EXPECT_EQ(list.first(), &a);
    EXPECT_EQ(list.last(), &d);
    EXPECT_TRUE(c.m_node.is_linked());
    EXPECT_TRUE(list.contains(c));
    list.remove(c);
    EXPECT_FALSE(c.m_node.is_linked());
    EXPECT_FALSE(list.contains(c));
    EXPECT_EQ(list.pop_front(), &a);
    EXPECT_EQ(list.pop_back(), &d);
    EXPECT_EQ(values_of(list), (std::vector<int> { 2 }));
    EXPECT_EQ(list.size(), 1u);
    list.clear();
    EXPECT_TRUE(list.is_empty());
    EXPECT_FALSE(b.m_node.is_linked());
}

TEST(IntrusiveList, OneObjectOnTwoListsThroughTwoNodes)
{
    Item a(1), b(2);
    List list;
    OtherList other;
    list.push_back(a);
    list.push_back(b);
    other.push_back(b);
    other.push_back(a);
    list.remove(a);
    EXPECT_TRUE(a.m_other_node.is_linked());
    EXPECT_EQ(other.first(), &b);
    other.clear();
    list.clear();
}

TEST(IntrusiveList, RemovingTheCurrentObjectDuringIteration)
{
    std::vector<std::unique_ptr<Item>> items;
    List list;
    for (int i = 0; i < 10; ++i) {
        items.push_back(std::make_unique<Item>(i));
        list.push_back(*items.back());
    }
    int visited = 0;
    for (Item& item : list) {
        ++visited;
        if (item.value % 2 == 0)
            list.remove(item);
    }
    EXPECT_EQ(visited, 10);
    EXPECT_EQ(values_of(list), (std::vector<int> { 1, 3, 5, 7, 9 }));
    for (Item& item : list)
        list.remove(item);
    EXPECT_TRUE(list.is_empty());
    // Removing and destroying the visited object is safe too.
    for (auto& item : items)
        list.push_back(*item);
    for (Item& item : list) {
        list.remove(item);
        items[item.value].reset();
    }
    EXPECT_TRUE(list.is_empty());
}

TEST(IntrusiveList, DestroyingTheListUnlinksItsNodes)
{
    Item a(1);
    {
        List list;
        list.push_back(a);
    }
    EXPECT_FALSE(a.m_node.is_linked());
}

TEST(IntrusiveListDeathTest, MisuseIsAnInvariantViolation)
{
    auto double_link = [] {
        Item a(1);
        List list;
        list.push_back(a);
        list.push_back(a);
    };
    EXPECT_DEATH(double_link(), "VERIFY\\(!node.is_linked\\(\\)\\)");
    auto wrong_list = [] {
        Item a(1);
        List first;
        List second;
        first.push_back(a);
        second.remove(a);
    };
    EXPECT_DEATH(wrong_list(), "VERIFY\\(node.m_owner == this\\)");
    auto destroy_linked = [] {
        List list;
        auto* a = new Item(1);
        list.push_back(*a);
        delete a;
    };
    EXPECT_DEATH(destroy_linked(), "VERIFY\\(!is_linked\\(\\)\\)");
}

TEST(IntrusiveList, MatchesStdDequeUnderRandomOperations)
{
    std::mt19937_64 rng(0x11577);
    constexpr int POOL_SIZE = 64;
    std::vector<std::unique_ptr<Item>> pool;
    pool.reserve(POOL_SIZE);
    for (int i = 0; i < POOL_SIZE; ++i)
        pool.push_back(std::make_unique<Item>(i));
    List list;
    std::deque<int> model;
    for (int step = 0; step < 100000; ++step) {
        Item& item = *pool[rng() % POOL_SIZE];
        bool linked = std::find(model.begin(), model.end(), item.value) != model.end();
        ASSERT_EQ(item.m_node.is_linked(), linked);
        switch (rng() % 6) {
        case 0:
            if (!linked) {
                list.push_front(item);
                model.push_front(item.value);
            }
            break;
        case 1:
            if (!linked) {
                list.push_back(item);
                model.push_back(item.value);
            }
            break;
        case 2:
            if (linked) {
                list.remove(item);
                model.erase(std::find(model.begin(), model.end(), item.value));
            }
            break;
        case 3: {
            Item* popped = list.pop_front();
            ASSERT_EQ(popped == nullptr, model.empty());
            if (popped) {
                ASSERT_EQ(popped->value, model.front());
                model.pop_front();
            }
            break;
        }
        case 4: {
            Item* popped = list.pop_back();
            ASSERT_EQ(popped == nullptr, model.empty());
            if (popped) {
                ASSERT_EQ(popped->value, model.back());
                model.pop_back();
            }
            break;
        }
        case 5:
            // Drop every object whose value has a random low bit set.
            int bit = 1 << (rng() % 6);
            for (Item& each : list) {
                if (each.value & bit)
                    list.remove(each);
            }
            model.erase(std::remove_if(model.begin(), model.end(), [bit](int v) { return v & bit; }), model.end());
            break;
        }
        ASSERT_EQ(list.size(), model.size());
        if (step % 100 == 0)
            ASSERT_EQ(values_of(list), std::vector<int>(model.begin(), model.end())) << "step " << step;
    }
    list.clear();
}

} // namespace
