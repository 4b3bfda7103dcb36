// The Runtime's connect gate: at most N of its clients connecting at once, the rest served in order of asking,
// and a turn freed by every way an attempt can end (answered, failed to start, client stopped while waiting);
// N adapting to how fast and how well the attempts are answered.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "client_fixture.hpp"
#include "connect_gate.hpp"
#include "test_clock.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;

TEST_GROUP(ConnectGate) {
  test::ManualClock clock;

  /// A limit of `limit` turns that does not move: initial == floor == max (0: no limit).
  static detail::ConnectPacing fixed(std::size_t limit) { return detail::ConnectPacing{limit, limit, limit, 0}; }
};

TEST(ConnectGate, TurnsBeyondTheLimitWaitAndAreGrantedInOrderAsTurnsEnd) {
  detail::ConnectGate gate(fixed(2), clock);
  std::vector<int> granted;
  for (int id = 0; id < 4; ++id)
    gate.enter([&granted, id] {
      granted.push_back(id);
      return true;
    });
  CHECK((granted == std::vector<int>{0, 1}));
  LONGS_EQUAL(2, gate.active());
  LONGS_EQUAL(2, gate.waiting());
  gate.leave();
  CHECK((granted == std::vector<int>{0, 1, 2}));
  LONGS_EQUAL(2, gate.active());
  gate.leave();
  gate.leave();
  gate.leave();
  CHECK((granted == std::vector<int>{0, 1, 2, 3}));
  LONGS_EQUAL(0, gate.active());
  LONGS_EQUAL(0, gate.waiting());
}

TEST(ConnectGate, ADeclinedTurnPassesToTheNextWaiterWithoutGrowingTheStack) {
  detail::ConnectGate gate(fixed(1), clock);
  gate.enter([] { return true; });
  int declined = 0;
  for (int i = 0; i < 200000; ++i)
    gate.enter([&declined] {
      ++declined;
      return false;
    });
  bool taken = false;
  gate.enter([&taken] { return taken = true; });
  gate.leave();
  LONGS_EQUAL(200000, declined);
  CHECK(taken);
  LONGS_EQUAL(1, gate.active());
  LONGS_EQUAL(0, gate.waiting());
}

TEST(ConnectGate, ATurnDeclinedAtOnceIsNotKept) {
  detail::ConnectGate gate(fixed(1), clock);
  gate.enter([] { return false; });
  LONGS_EQUAL(0, gate.active());
}

TEST(ConnectGate, ZeroMeansNoLimit) {
  detail::ConnectGate gate(fixed(0), clock);
  int granted = 0;
  for (int i = 0; i < 1000; ++i) gate.enter([&granted] { return ++granted > 0; });
  LONGS_EQUAL(1000, granted);
  LONGS_EQUAL(0, gate.waiting());
}

TEST(ConnectGate, ATurnObjectLeavesOnceUnlessDisowned) {
  detail::ConnectGate gate(fixed(1), clock);
  gate.enter([] { return true; });
  { detail::ConnectTurn turn(gate); }
  LONGS_EQUAL(0, gate.active());
  gate.enter([] { return true; });
  {
    detail::ConnectTurn turn(gate);
    turn.disown();
  }
  LONGS_EQUAL(1, gate.active());
}

namespace {

/// An adaptive gate between 2 and 8, starting at 4, with a 1000 ms latency target, on a clock the test moves.
struct AdaptiveGate {
  test::ManualClock clock;
  detail::ConnectGate gate{detail::ConnectPacing{8, 4, 2, 1000}, clock};
  const std::int64_t t0 = clock.monotonic_ms();  // when the first turns were granted
  int granted = 0;

  /// Asks for `count` turns; each one taken is counted in `granted`.
  void ask(int count) {
    for (int i = 0; i < count; ++i) gate.enter([this] { return ++granted > 0; });
  }
  /// Ends one turn that began at `started_ms` with `outcome`.
  void end(detail::TurnOutcome outcome, std::int64_t started_ms) { gate.leave(outcome, started_ms); }
};

}  // namespace

TEST_GROUP(ConnectGateAdapting){};

TEST(ConnectGateAdapting, QuickAnswersRaiseTheLimitByOneEachUpToTheBoundAndLetMoreWaitersIn) {
  AdaptiveGate fleet;
  fleet.ask(20);
  LONGS_EQUAL(4, fleet.granted);
  fleet.clock.advance(1000);  // exactly the target still counts as quick
  fleet.end(detail::TurnOutcome::kConnected, fleet.t0);
  LONGS_EQUAL(5, fleet.gate.limit());
  LONGS_EQUAL(6, fleet.granted);  // the freed turn and the new one
  for (int i = 0; i < 10; ++i) fleet.end(detail::TurnOutcome::kConnected, fleet.clock.monotonic_ms());
  LONGS_EQUAL(8, fleet.gate.limit());
  LONGS_EQUAL(8, fleet.gate.active());
}

TEST(ConnectGateAdapting, ASlowAnswerHalvesTheLimitOnceForTheAttemptsAlreadyUnderWay) {
  AdaptiveGate fleet;
  fleet.ask(20);
  fleet.clock.advance(1001);
  fleet.end(detail::TurnOutcome::kConnected, fleet.t0);
  LONGS_EQUAL(2, fleet.gate.limit());
  LONGS_EQUAL(3, fleet.gate.active());                // no new turn while more are out than the limit allows
  fleet.end(detail::TurnOutcome::kFailed, fleet.t0);  // began before the halving: it saw the same congestion
  LONGS_EQUAL(2, fleet.gate.limit());
  LONGS_EQUAL(2, fleet.gate.active());
  LONGS_EQUAL(4, fleet.granted);
}

TEST(ConnectGateAdapting, AFailureOfALaterAttemptHalvesAgainButNotBelowTheFloor) {
  AdaptiveGate fleet;
  fleet.ask(20);
  fleet.clock.advance(10);
  fleet.end(detail::TurnOutcome::kFailed, fleet.t0);
  LONGS_EQUAL(2, fleet.gate.limit());
  fleet.clock.advance(10);
  fleet.end(detail::TurnOutcome::kFailed, fleet.clock.monotonic_ms());
  LONGS_EQUAL(2, fleet.gate.limit());
}

TEST(ConnectGateAdapting, ATurnWithoutAnAnswerLeavesTheLimitAsItWas) {
  AdaptiveGate fleet;
  fleet.ask(6);
  fleet.clock.advance(5000);
  fleet.end(detail::TurnOutcome::kNone, fleet.t0);
  LONGS_EQUAL(4, fleet.gate.limit());
  LONGS_EQUAL(5, fleet.granted);
}

TEST(ConnectGateAdapting, ATurnObjectReportsItsOutcomeAndWhenItBegan) {
  AdaptiveGate fleet;
  fleet.ask(1);
  {
    detail::ConnectTurn turn(fleet.gate);
    fleet.clock.advance(1500);
    turn.set_outcome(detail::TurnOutcome::kConnected);
  }
  LONGS_EQUAL(2, fleet.gate.limit());  // 1.5 s from its grant: slow
  LONGS_EQUAL(0, fleet.gate.active());
}
