// The process-wide budget of publishes handed to Paho C (ports/paho/command_budget.hpp), without a broker: slots,
// the waiting line's order, declined and closed offers.
#include <memory>
#include <string>
#include <vector>

#include "../../ports/paho/command_budget.hpp"

#include <CppUTest/TestHarness.h>

using docklink::ports::paho::BudgetWaiter;
using docklink::ports::paho::CommandBudget;

namespace {

/// A waiter that records each offer in `offers` under its name and takes it when `accept` says so.
std::shared_ptr<BudgetWaiter> waiter(const std::string& name, std::vector<std::string>& offers, bool accept = true) {
  return std::make_shared<BudgetWaiter>([name, &offers, accept] {
    offers.push_back(name);
    return accept;
  });
}

}  // namespace

TEST_GROUP(PahoCommandBudget){};

TEST(PahoCommandBudget, SlotsBeyondTheCapacityWaitAndAFreedSlotGoesToTheFirstInLine) {
  CommandBudget budget(2);
  std::vector<std::string> offers;
  auto a = waiter("a", offers);
  auto b = waiter("b", offers);
  CHECK_TRUE(budget.acquire_or_wait(a));
  CHECK_TRUE(budget.acquire_or_wait(a));
  CHECK_FALSE(budget.acquire_or_wait(b));
  CHECK_FALSE(budget.acquire_or_wait(a));
  CHECK_FALSE(budget.acquire_or_wait(b));  // already in line: queued once
  budget.release();
  budget.release();
  budget.release();
  CHECK_TRUE((offers == std::vector<std::string>{"b", "a"}));
  LONGS_EQUAL(1, budget.taken());  // two slots passed on, the third freed
}

TEST(PahoCommandBudget, ADeclinedOfferPassesToTheNextAndWithNobodyLeftTheSlotIsFree) {
  CommandBudget budget(1);
  std::vector<std::string> offers;
  auto idle = waiter("idle", offers, false);
  auto busy = waiter("busy", offers, true);
  CHECK_TRUE(budget.acquire_or_wait(busy));
  CHECK_FALSE(budget.acquire_or_wait(idle));
  CHECK_FALSE(budget.acquire_or_wait(busy));
  budget.release();
  CHECK_TRUE((offers == std::vector<std::string>{"idle", "busy"}));
  LONGS_EQUAL(1, budget.taken());
  budget.release();
  LONGS_EQUAL(0, budget.taken());
}

TEST(PahoCommandBudget, AClosedOrDestroyedWaiterIsNeverOffered) {
  CommandBudget budget(1);
  std::vector<std::string> offers;
  auto closed = waiter("closed", offers);
  auto gone = waiter("gone", offers);
  CHECK_TRUE(budget.acquire_or_wait(closed));
  CHECK_FALSE(budget.acquire_or_wait(closed));
  CHECK_FALSE(budget.acquire_or_wait(gone));
  closed->close();
  gone.reset();
  budget.release();
  CHECK_TRUE(offers.empty());
  LONGS_EQUAL(0, budget.taken());
}

TEST(PahoCommandBudget, ACapacityOfZeroNeverMakesAnyoneWait) {
  CommandBudget budget(0);
  std::vector<std::string> offers;
  auto a = waiter("a", offers);
  for (int i = 0; i < 10000; ++i) CHECK_TRUE(budget.acquire_or_wait(a));
  budget.release(10000);
  LONGS_EQUAL(0, budget.taken());
  CHECK_TRUE(offers.empty());
}
