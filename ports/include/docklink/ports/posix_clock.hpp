// The Linux clock port: std::chrono's steady and system clocks as 64-bit milliseconds.
#pragma once

#include <cstdint>

#include "docklink/export.hpp"
#include "docklink/port/clock.hpp"

namespace docklink::ports {

/// port::Clock on std::chrono::steady_clock (deadlines) and std::chrono::system_clock (timestamps). Stateless
/// and thread-safe. Milliseconds are 64-bit on every target, so wall time survives 2038 on armhf too.
class DOCKLINK_API PosixClock : public port::Clock {
 public:
  /// Milliseconds of std::chrono::steady_clock (CLOCK_MONOTONIC): never goes backwards.
  std::int64_t monotonic_ms() const override;
  /// Milliseconds since the Unix epoch, UTC, from std::chrono::system_clock.
  std::int64_t wall_ms() const override;
};

}  // namespace docklink::ports
