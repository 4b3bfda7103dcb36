// The clocks of the SDK's tests: real time (the Runtime's timer thread waits in real time), optionally moved
// forward by the test; or manual time that moves only when the test says, waking the timer threads that wait on it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

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

/// Monotonic time that moves only when told, so timers, retries and backoff are tested step by step without real
/// waiting. Whoever waits on the clock in real time (an executor's timer thread) registers with on_advance() to be
/// woken when the time moves.
class ManualClock : public port::Clock {
 public:
  std::int64_t monotonic_ms() const override { return now_ms_.load(); }
  std::int64_t wall_ms() const override { return 1'700'000'000'000 + now_ms_.load(); }
  /// Moves time forward by `ms`, then runs the on_advance() callbacks.
  void advance(std::int64_t ms) {
    now_ms_ += ms;
    std::vector<std::function<void()>> wake;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      wake = wake_;
    }
    for (const auto& callback : wake) callback();
  }
  /// `callback` runs after every advance() (on the advancing thread).
  void on_advance(std::function<void()> callback) {
    std::lock_guard<std::mutex> lock(mutex_);
    wake_.push_back(std::move(callback));
  }

 private:
  std::atomic<std::int64_t> now_ms_{1000};
  std::mutex mutex_;
  std::vector<std::function<void()>> wake_;
};

}  // namespace docklink::test
