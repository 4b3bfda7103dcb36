#include "backoff.hpp"

namespace docklink::detail {

std::int64_t backoff_bound_ms(const BackoffOptions& options, unsigned attempt) noexcept {
  std::int64_t bound = options.initial_ms > 0 ? options.initial_ms : 1;
  for (unsigned i = 0; i < attempt && bound < options.max_ms; ++i) bound *= 2;
  return bound < options.max_ms ? bound : options.max_ms;
}

std::int64_t backoff_delay_ms(const BackoffOptions& options, unsigned attempt, double unit) noexcept {
  if (unit < 0) unit = 0;
  if (unit >= 1) unit = 0.999999;
  return static_cast<std::int64_t>(static_cast<double>(backoff_bound_ms(options, attempt)) * unit);
}

}  // namespace docklink::detail
