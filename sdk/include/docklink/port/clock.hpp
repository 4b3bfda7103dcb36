// Clock port: monotonic time for deadlines, wall-clock time for message timestamps.
#pragma once

#include <chrono>
#include <cstdint>

#include "docklink/export.hpp"

namespace docklink::port {

/// Time source. Thread-safe; never blocks.
class DOCKLINK_API Clock {
 public:
  virtual ~Clock() = default;
  /// Monotonic milliseconds since an arbitrary origin; never goes backwards, also across threads, and advances
  /// at the rate of real time (a tick counter is fine; its step is its granularity). Used for every deadline.
  virtual std::int64_t monotonic_ms() const = 0;
  /// Milliseconds since the Unix epoch (UTC). Used for the envelope `timestamp`. 64-bit also where time_t is
  /// 32-bit (armhf). May be stepped by time sync (no deadline depends on it); before the clock is set it is
  /// merely wrong. Checked by tests/conformance/clock_conformance.hpp (which expects a set clock).
  virtual std::int64_t wall_ms() const = 0;
};

}  // namespace docklink::port
