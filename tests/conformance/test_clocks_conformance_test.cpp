// The clock conformance suite on the tests' own clocks (tests/support/test_clock.hpp): the clocks the SDK's tests
// run on keep the promises of the clocks they stand in for. ManualClock is moved by the driver instead of
// waiting; AdjustableClock both waits and is moved.
#include <atomic>
#include <chrono>
#include <thread>

#include "test_clock.hpp"  // before CppUTest (through the suite header), whose leak detector redefines `new`

#include "clock_conformance.hpp"

namespace {

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

class SteadyClockDriver : public docklink::conformance::ClockDriver {
 public:
  docklink::port::Clock& clock() override { return clock_; }
  void let_pass(std::int64_t ms) override { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }
  std::int64_t reference_ms() override { return steady_ms(); }

 private:
  docklink::test::SteadyClock clock_;
};

// Real time plus the offset moved by let_pass(), which also sleeps (the wall clock is real time alone): its
// reference is real time plus everything moved so far.
class AdjustableClockDriver : public docklink::conformance::ClockDriver {
 public:
  docklink::port::Clock& clock() override { return clock_; }
  void let_pass(std::int64_t ms) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    moved_ += ms;
    clock_.advance(ms);
  }
  std::int64_t reference_ms() override { return steady_ms() + moved_.load(); }

 private:
  docklink::test::AdjustableClock clock_;
  std::atomic<std::int64_t> moved_{0};
};

// Time that moves only when told: its reference is what the driver moved it by.
class ManualClockDriver : public docklink::conformance::ClockDriver {
 public:
  docklink::port::Clock& clock() override { return clock_; }
  void let_pass(std::int64_t ms) override {
    moved_ += ms;
    clock_.advance(ms);
  }
  std::int64_t reference_ms() override { return moved_.load(); }

 private:
  docklink::test::ManualClock clock_;
  std::atomic<std::int64_t> moved_{0};
};

}  // namespace

TEST_GROUP(SteadyTestClockConformance) { SteadyClockDriver driver; };
DOCKLINK_CLOCK_CONFORMANCE_TESTS(SteadyTestClockConformance, driver)

TEST_GROUP(AdjustableTestClockConformance) { AdjustableClockDriver driver; };
DOCKLINK_CLOCK_CONFORMANCE_TESTS(AdjustableTestClockConformance, driver)

TEST_GROUP(ManualTestClockConformance) { ManualClockDriver driver; };
DOCKLINK_CLOCK_CONFORMANCE_TESTS(ManualTestClockConformance, driver)
