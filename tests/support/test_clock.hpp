// The clock of the SDK's tests: real time (the Runtime's timer thread waits in real time).
#pragma once

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

}  // namespace docklink::test
