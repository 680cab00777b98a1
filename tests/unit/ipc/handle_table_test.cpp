// The handle table (ipc/HandleTable.h) with a plain stand-in object:
// allocation, lookup with rights and expiry, reuse under new numbers,
// the limit, restore, and the fork and execve copies.
#include <gtest/gtest.h>
#include <ipc/HandleTable.h>

#include <set>

namespace {

// Counts live instances so the tests can see entries dropped.
struct Object {
    static inline int live = 0;
    int value { 0 };
    bool present { false };

    Object() = default;
    explicit Object(int v)
        : value(v)
        , present(true)
    {
        ++live;
    }
    Object(Object&& other)
        : value(other.value)
        , present(other.present)
    {
        other.present = false;
    }
    Object& operator=(Object&& other)
    {
        if (present)
            --live;
        value = other.value;
        present = other.present;
        other.present = false;
        return *this;
    }
    ~Object()
    {
        if (present)
            --live;
    }
};

using Table = ipc::HandleTable<Object>;
using Entry = Table::Entry;

Entry entry(int value, ipc::Rights rights, u64 expiry = 0, u32 flags = 0)
{
    return { Object(value), rights, flags, expiry };
}

TEST(IpcHandleTable, InstallAndGetWithRights)
{
    Table table(7);
    i32 handle = table.install(entry(1, IPC_RIGHT_SEND)).value();
    EXPECT_GT(handle, 0);
    EXPECT_EQ(table.get(handle, IPC_RIGHT_SEND, 0).value()->object.value, 1);
    EXPECT_EQ(table.get(handle, IPC_RIGHT_RECEIVE, 0).error().code(), EACCES);
    EXPECT_EQ(table.get(handle, IPC_RIGHT_SEND | IPC_RIGHT_RECEIVE, 0).error().code(), EACCES);
    EXPECT_EQ(table.used(), 1u);
}

TEST(IpcHandleTable, BadNumbersAreEbadf)
{
    Table table(7);
    i32 handle = table.install(entry(1, IPC_RIGHTS_ALL)).value();
    for (i32 bad : { 0, -1, handle + 1, handle ^ 0x100, handle + (1 << 8), 0x7fffffff, handle & 0xff })
        EXPECT_EQ(table.get(bad, 0, 0).error().code(), EBADF) << bad;
}

TEST(IpcHandleTable, ExpiryComesBeforeRights)
{
    Table table(7);
    i32 handle = table.install(entry(1, IPC_RIGHT_SEND, 100)).value();
    EXPECT_FALSE(table.get(handle, IPC_RIGHT_SEND, 99).is_error());
    EXPECT_EQ(table.get(handle, IPC_RIGHT_SEND, 100).error().code(), ETIME);
    EXPECT_EQ(table.get(handle, IPC_RIGHT_RECEIVE, 100).error().code(), ETIME);
    EXPECT_FALSE(table.find(handle).is_error()); // info and close still work
    EXPECT_FALSE(table.remove(handle).is_error());
}

TEST(IpcHandleTable, TheClockIsReadOnlyForHandlesWithAnExpiry)
{
    Table table(7);
    i32 plain = table.install(entry(1, IPC_RIGHT_SEND)).value();
    i32 expiring = table.install(entry(2, IPC_RIGHT_SEND, 100)).value();
    int reads = 0;
    auto clock = [&reads] {
        ++reads;
        return u64(150);
    };
    EXPECT_FALSE(table.get_at(plain, IPC_RIGHT_SEND, clock).is_error());
    EXPECT_EQ(reads, 0);
    EXPECT_EQ(table.get_at(expiring, IPC_RIGHT_SEND, clock).error().code(), ETIME);
    EXPECT_EQ(reads, 1);
    table.clear();
}

TEST(IpcHandleTable, ReuseGivesANewNumberAndTheOldOneStaysDead)
{
    Table table(7);
    i32 first = table.install(entry(1, IPC_RIGHTS_ALL)).value();
    ASSERT_FALSE(table.remove(first).is_error());
    EXPECT_EQ(table.remove(first).error().code(), EBADF);
    i32 second = table.install(entry(2, IPC_RIGHTS_ALL)).value();
    EXPECT_EQ(first & 0xff, second & 0xff); // the same slot
    EXPECT_NE(first, second);               // under a new number
    EXPECT_EQ(table.get(first, 0, 0).error().code(), EBADF);
    EXPECT_EQ(table.get(second, 0, 0).value()->object.value, 2);
}

TEST(IpcHandleTable, LimitIsEmfileAndEveryNumberIsDistinct)
{
    Table table(7);
    std::set<i32> handles;
    for (u32 i = 0; i < IPC_HANDLE_LIMIT; ++i)
        handles.insert(table.install(entry(static_cast<int>(i), 0)).value());
    EXPECT_EQ(handles.size(), IPC_HANDLE_LIMIT);
    EXPECT_EQ(table.free_slots(), 0u);
    EXPECT_EQ(table.install(entry(999, 0)).error().code(), EMFILE);
    ASSERT_FALSE(table.remove(*handles.begin()).is_error());
    EXPECT_FALSE(table.install(entry(1000, 0)).is_error());
    table.clear();
    EXPECT_EQ(Object::live, 0);
}

TEST(IpcHandleTable, TablesWithDifferentSeedsShareNoNumbers)
{
    Table a(1), b(0x5eed);
    i32 in_a = a.install(entry(1, 0)).value();
    i32 in_b = b.install(entry(2, 0)).value();
    EXPECT_NE(in_a, in_b);
    EXPECT_EQ(b.get(in_a, 0, 0).error().code(), EBADF);
}

TEST(IpcHandleTable, RestorePutsAnEntryBackUnderItsNumber)
{
    Table table(7);
    i32 handle = table.install(entry(5, IPC_RIGHT_SEND)).value();
    Entry taken = table.remove(handle).release_value();
    EXPECT_EQ(table.get(handle, 0, 0).error().code(), EBADF);
    table.restore(handle, static_cast<Entry&&>(taken));
    EXPECT_EQ(table.get(handle, IPC_RIGHT_SEND, 0).value()->object.value, 5);
    table.clear();
}

TEST(IpcHandleTable, ForkCopyKeepsChosenEntriesUnderTheSameNumbers)
{
    Table parent(7);
    i32 kept = parent.install(entry(1, IPC_RIGHT_DUPLICATE | IPC_RIGHT_SEND)).value();
    i32 dropped = parent.install(entry(2, IPC_RIGHT_SEND)).value();
    Table child(99);
    child.copy_from(
        parent, [](const Entry& e) { return (e.rights & IPC_RIGHT_DUPLICATE) != 0; },
        [](const Entry& e) { return Object(e.object.value + 10); });
    EXPECT_EQ(child.get(kept, IPC_RIGHT_SEND, 0).value()->object.value, 11);
    EXPECT_EQ(child.get(dropped, 0, 0).error().code(), EBADF);
    EXPECT_EQ(child.used(), 1u);
    // New handles in the child do not collide with the parent's dropped number.
    i32 fresh = child.install(entry(3, 0)).value();
    EXPECT_EQ(fresh & 0xff, dropped & 0xff); // the dropped entry's slot
    EXPECT_NE(fresh, dropped);               // under another number
    child.clear();
    parent.clear();
    EXPECT_EQ(Object::live, 0);
}

TEST(IpcHandleTable, ExecSweepDropsCloseOnExecOnly)
{
    Table table(7);
    i32 keep = table.install(entry(1, 0)).value();
    i32 drop = table.install(entry(2, 0, 0, IPC_CLOEXEC)).value();
    table.remove_if([](const Entry& e) { return (e.flags & IPC_CLOEXEC) != 0; });
    EXPECT_FALSE(table.find(keep).is_error());
    EXPECT_EQ(table.find(drop).error().code(), EBADF);
    table.clear();
    EXPECT_EQ(Object::live, 0);
}

} // namespace
