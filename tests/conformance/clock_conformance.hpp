// The clock conformance suite: what port::Clock (docklink/port/clock.hpp) promises and every deadline of the core
// relies on, written once and run against every clock. A port proves itself with one file:
//
//   class MyClockDriver : public docklink::conformance::ClockDriver { ... };  // the clock and a way to let time pass
//   TEST_GROUP(MyClockConformance) { MyClockDriver driver; };
//   DOCKLINK_CLOCK_CONFORMANCE_TESTS(MyClockConformance, driver)
//
// (see posix_clock_conformance_test.cpp; test_clocks_conformance_test.cpp drives clocks that move only when told).
// The checks never bound how long anything takes: rates are compared with a reference clock read before and
// after each reading, so a descheduled test thread (qemu, sanitizers) cannot fail them.
#pragma once

#include <cstdint>

#include "docklink/port/clock.hpp"

#include <CppUTest/TestHarness.h>

namespace docklink::conformance {

/// The clock under test and what the suite needs around it.
class ClockDriver {
 public:
  virtual ~ClockDriver() = default;
  /// The clock under test.
  virtual port::Clock& clock() = 0;
  /// Lets at least `ms` milliseconds of the clock's time pass: a real clock sleeps the calling thread, a manual
  /// one is moved forward.
  virtual void let_pass(std::int64_t ms) = 0;
  /// A trusted monotonic clock in milliseconds that runs at the rate the clock under test must run at
  /// (std::chrono::steady_clock for a real clock; the total moved so far for a manual one).
  virtual std::int64_t reference_ms() = 0;
  /// The clock's finest step in milliseconds (a tick counter's period); 1 for a millisecond clock.
  virtual std::int64_t granularity_ms() const { return 1; }
};

/// monotonic_ms() never goes backwards, read in a tight loop by several threads while time passes.
void clock_monotonic_never_goes_back(ClockDriver& driver);
/// monotonic_ms() advances at the reference's rate, in milliseconds (not seconds, not microseconds).
void clock_monotonic_advances_in_milliseconds(ClockDriver& driver);
/// wall_ms() is UTC milliseconds since 1970: a date between 2020 and 2100 (the clock has been set).
void clock_wall_is_unix_milliseconds(ClockDriver& driver);
/// wall_ms() moves forward as time passes.
void clock_wall_moves_forward(ClockDriver& driver);

}  // namespace docklink::conformance

/// Defines one CppUTest TEST per clock conformance check in `group`, each on `driver` (a ClockDriver).
#define DOCKLINK_CLOCK_CONFORMANCE_TESTS(group, driver)                                                   \
  TEST(group, MonotonicNeverGoesBack) { docklink::conformance::clock_monotonic_never_goes_back(driver); } \
  TEST(group, MonotonicAdvancesInMilliseconds) {                                                          \
    docklink::conformance::clock_monotonic_advances_in_milliseconds(driver);                              \
  }                                                                                                       \
  TEST(group, WallIsUnixMilliseconds) { docklink::conformance::clock_wall_is_unix_milliseconds(driver); } \
  TEST(group, WallMovesForward) { docklink::conformance::clock_wall_moves_forward(driver); }
