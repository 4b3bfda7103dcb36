// The Runtime's connect gate: at most N of its clients connecting at once, the rest served in order of asking,
// and a turn freed by every way an attempt can end (answered, failed to start, client stopped while waiting).
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "client_fixture.hpp"
#include "connect_gate.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;

TEST_GROUP(ConnectGate){};

TEST(ConnectGate, TurnsBeyondTheLimitWaitAndAreGrantedInOrderAsTurnsEnd) {
  detail::ConnectGate gate(2);
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
  detail::ConnectGate gate(1);
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
  detail::ConnectGate gate(1);
  gate.enter([] { return false; });
  LONGS_EQUAL(0, gate.active());
}

TEST(ConnectGate, ZeroMeansNoLimit) {
  detail::ConnectGate gate(0);
  int granted = 0;
  for (int i = 0; i < 1000; ++i) gate.enter([&granted] { return ++granted > 0; });
  LONGS_EQUAL(1000, granted);
  LONGS_EQUAL(0, gate.waiting());
}

TEST(ConnectGate, ATurnObjectLeavesOnceUnlessDisowned) {
  detail::ConnectGate gate(1);
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
