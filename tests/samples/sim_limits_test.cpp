// dock-sim's bounds on prepared flight tasks and waiting drc/down messages, and the rate limit on refusal log lines.
#include "drc_backlog.hpp"
#include "prepared_limit.hpp"
#include "refusals.hpp"

// Last: CppUTest redefines new.
#include <CppUTest/TestHarness.h>

using docklink::sim::prepared_has_room;
using docklink::sim::PreparedTask;
using docklink::sim::Refusal;
using docklink::sim::RefusalLogGate;

TEST_GROUP(SimPreparedLimit){};

TEST(SimPreparedLimit, NewIdsStopAtTheLimitKnownIdsAreReplaced) {
  std::map<std::string, PreparedTask> prepared;
  CHECK_TRUE(prepared_has_room(prepared, "a", 2));
  prepared["a"] = PreparedTask{};
  prepared["b"] = PreparedTask{};
  CHECK_FALSE(prepared_has_room(prepared, "c", 2));
  CHECK_TRUE(prepared_has_room(prepared, "b", 2));
  CHECK_TRUE(prepared_has_room(prepared, "c"));  // the default limit is dock-sim's
}

TEST_GROUP(SimRefusalLog){};

TEST(SimRefusalLog, OneLinePerKindPerIntervalWithTheNumberHeldBack) {
  RefusalLogGate gate(1000);
  std::uint64_t held_back = 99;
  CHECK_TRUE(gate.admit(Refusal::kDrcTooDeep, 0, held_back));
  LONGS_EQUAL(0, held_back);
  CHECK_FALSE(gate.admit(Refusal::kDrcTooDeep, 10, held_back));
  CHECK_FALSE(gate.admit(Refusal::kDrcTooDeep, 999, held_back));
  CHECK_TRUE(gate.admit(Refusal::kDrcMalformed, 999, held_back));  // kinds are independent
  CHECK_TRUE(gate.admit(Refusal::kDrcTooDeep, 1000, held_back));
  LONGS_EQUAL(2, held_back);
}

TEST(SimRefusalLog, RefusalsAreCountedWithoutALog) {
  std::uint64_t before = docklink::sim::refusal_count(Refusal::kPreparedTasksFull);
  docklink::sim::refuse(Refusal::kPreparedTasksFull, nullptr, "test");
  LONGS_EQUAL(1, docklink::sim::refusal_count(Refusal::kPreparedTasksFull) - before);
  CHECK_TRUE(docklink::sim::refusal_summary().find("prepared_tasks_full=") != std::string::npos);
}

TEST_GROUP(SimDrcBacklog){};

TEST(SimDrcBacklog, RefusesBeyondItsCapacityAndTakesAgainOncePlacesAreGivenBack) {
  docklink::sim::DrcBacklog backlog(2);
  CHECK_TRUE(backlog.try_enter());
  CHECK_TRUE(backlog.try_enter());
  CHECK_FALSE(backlog.try_enter());
  LONGS_EQUAL(2, backlog.pending());  // a refusal takes no place
  backlog.leave();
  CHECK_TRUE(backlog.try_enter());
  CHECK_FALSE(backlog.try_enter());
}
