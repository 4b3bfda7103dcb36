#include "docklink/ports/posix_clock.hpp"

#include <chrono>

namespace docklink::ports {

namespace {

template <typename ClockType>
std::int64_t milliseconds_of() {
  auto since_origin = ClockType::now().time_since_epoch();
  return static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(since_origin).count());
}

}  // namespace

std::int64_t PosixClock::monotonic_ms() const { return milliseconds_of<std::chrono::steady_clock>(); }

std::int64_t PosixClock::wall_ms() const { return milliseconds_of<std::chrono::system_clock>(); }

}  // namespace docklink::ports
