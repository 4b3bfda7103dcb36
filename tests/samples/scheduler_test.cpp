// dock-sim's Scheduler holds at most its capacity of tasks; beyond it a task is refused and counted.
#include "scheduler.hpp"

#include <future>

#include "refusals.hpp"

// Last: CppUTest redefines new.
#include <CppUTest/TestHarness.h>

using docklink::sim::Refusal;
using docklink::sim::refusal_count;
using docklink::sim::Scheduler;
using namespace std::chrono_literals;

TEST_GROUP(SimScheduler){};

TEST(SimScheduler, RefusesAndCountsTasksBeyondItsCapacity) {
  Scheduler scheduler(2);
  std::uint64_t before = refusal_count(Refusal::kSchedulerFull);
  CHECK_TRUE(scheduler.after(1h, [] {}));
  CHECK_TRUE(scheduler.after(1h, [] {}));
  CHECK_FALSE(scheduler.after(1h, [] {}));
  LONGS_EQUAL(2, scheduler.pending());
  LONGS_EQUAL(1, refusal_count(Refusal::kSchedulerFull) - before);
}

TEST(SimScheduler, TakesTasksAgainOnceOneHasRun) {
  Scheduler scheduler(1);
  std::promise<void> ran;
  CHECK_TRUE(scheduler.after(0ms, [&] { ran.set_value(); }));
  ran.get_future().wait();
  CHECK_TRUE(scheduler.after(1h, [] {}));
  CHECK_FALSE(scheduler.after(1h, [] {}));
}

TEST(SimScheduler, RefusesEverythingOnceStopped) {
  Scheduler scheduler(4);
  scheduler.stop();
  std::uint64_t before = refusal_count(Refusal::kSchedulerFull);
  CHECK_FALSE(scheduler.after(0ms, [] {}));
  LONGS_EQUAL(0, refusal_count(Refusal::kSchedulerFull) - before);  // stopping is not a refusal
}
