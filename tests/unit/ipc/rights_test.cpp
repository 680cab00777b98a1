// The rights algebra (ipc/Rights.h): diminish only to subsets, duplicate
// only with DUPLICATE, transfer only with TRANSFER and never RECEIVE, and no
// sequence of these operations ever yields a right the start did not hold.
#include <gtest/gtest.h>
#include <ipc/Rights.h>

#include <set>
#include <vector>

namespace {

using ipc::Rights;

TEST(IpcRights, DiminishNeedsDiminish)
{
    auto result = ipc::rights_for_diminish(IPC_RIGHT_SEND | IPC_RIGHT_RECEIVE, IPC_RIGHT_SEND);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), EACCES);
}

TEST(IpcRights, DiminishToEverySubsetAndNoSuperset)
{
    const Rights held = IPC_RIGHT_SEND | IPC_RIGHT_DIMINISH | IPC_RIGHT_TRANSFER;
    for (Rights requested = 0; requested <= IPC_RIGHTS_ALL; ++requested) {
        auto result = ipc::rights_for_diminish(held, requested);
        if ((requested & ~held) == 0) {
            ASSERT_FALSE(result.is_error()) << requested;
            EXPECT_EQ(result.value(), requested);
        } else {
            ASSERT_TRUE(result.is_error()) << requested;
            EXPECT_EQ(result.error().code(), EPERM) << requested;
        }
    }
}

TEST(IpcRights, DiminishRejectsBitsThatAreNoRight)
{
    auto result = ipc::rights_for_diminish(IPC_RIGHTS_ALL, 0x100);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), EINVAL);
}

TEST(IpcRights, DuplicateNeedsDuplicateAndKeepsTheRights)
{
    EXPECT_EQ(ipc::rights_for_duplicate(IPC_RIGHT_SEND).error().code(), EACCES);
    EXPECT_EQ(
        ipc::rights_for_duplicate(IPC_RIGHT_SEND | IPC_RIGHT_DUPLICATE).value(), IPC_RIGHT_SEND | IPC_RIGHT_DUPLICATE);
}

TEST(IpcRights, TransferNeedsTransferAndNeverCarriesReceive)
{
    EXPECT_EQ(ipc::check_transferable(IPC_RIGHT_SEND).error().code(), EACCES);
    EXPECT_EQ(ipc::check_transferable(IPC_RIGHT_RECEIVE | IPC_RIGHT_TRANSFER).error().code(), EINVAL);
    EXPECT_FALSE(ipc::check_transferable(IPC_RIGHT_SEND | IPC_RIGHT_TRANSFER).is_error());
}

// Every set reachable from `start` by any sequence of duplicate and
// diminish (with any requested rights) is a subset of `start`: a closure
// computed breadth-first over all 256 requests per step.
TEST(IpcRights, NoSequenceOfOperationsEscalates)
{
    for (Rights start = 0; start <= IPC_RIGHTS_ALL; ++start) {
        std::set<Rights> reached { start };
        std::vector<Rights> frontier { start };
        while (!frontier.empty()) {
            Rights held = frontier.back();
            frontier.pop_back();
            std::vector<Rights> next;
            if (auto duplicate = ipc::rights_for_duplicate(held); !duplicate.is_error())
                next.push_back(duplicate.value());
            for (Rights requested = 0; requested <= 0x1ff; ++requested) {
                if (auto diminished = ipc::rights_for_diminish(held, requested); !diminished.is_error())
                    next.push_back(diminished.value());
            }
            for (Rights rights : next) {
                ASSERT_EQ(rights & ~start, 0u) << "from " << start << " reached " << rights;
                if (reached.insert(rights).second)
                    frontier.push_back(rights);
            }
        }
        // DIMINISH reaches every subset; without it only the start itself.
        EXPECT_EQ(reached.size(), (start & IPC_RIGHT_DIMINISH) ? (1u << __builtin_popcount(start)) : 1u) << start;
    }
}

TEST(IpcRights, ExpiryOnlyGetsEarlier)
{
    EXPECT_EQ(ipc::diminished_expiry(0, 1000, 0), 0u);         // none stays none
    EXPECT_EQ(ipc::diminished_expiry(0, 1000, 500), 1500u);    // a first limit
    EXPECT_EQ(ipc::diminished_expiry(1200, 1000, 500), 1200u); // never later
    EXPECT_EQ(ipc::diminished_expiry(5000, 1000, 500), 1500u); // earlier is fine
    EXPECT_EQ(ipc::diminished_expiry(5000, 1000, 0), 5000u);   // 0 keeps it
    EXPECT_EQ(ipc::diminished_expiry(0, 1000, ~0ull), ~0ull);  // saturates
}

} // namespace
