// The clocks of the SDK's tests: real time (the Runtime's timer thread waits in real time), optionally moved
// forward by the test.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "docklink/port/clock.hpp"

namespace docklink::test {

/// Real monotonic time; wall time from the system clock.
class SteadyClock : public port::Clock {
 public:
  std::int64_t monotonic_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  std::int64_t wall_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

/// Real time plus an offset a test moves forward: rules that depend on elapsed time (the reconnect backoff's
/// "stayed up 5 s") are tested without waiting. Timers keep firing, at the latest when their real delay ends.
class AdjustableClock : public SteadyClock {
 public:
  std::int64_t monotonic_ms() const override { return SteadyClock::monotonic_ms() + offset_ms_.load(); }
  /// Moves monotonic time forward by `ms`.
  void advance(std::int64_t ms) { offset_ms_ += ms; }

 private:
  std::atomic<std::int64_t> offset_ms_{0};
};

}  // namespace docklink::test
