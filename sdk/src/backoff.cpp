#include "backoff.hpp"

namespace docklink::detail {
namespace {

double clamp_unit(double unit) noexcept {
  if (unit < 0) return 0;
  if (unit >= 1) return 0.999999;
  return unit;
}

BackoffOptions auth_schedule(const BackoffOptions& options) noexcept {
  BackoffOptions auth = options;
  auth.initial_ms = options.auth_initial_ms;
  auth.max_ms = options.auth_max_ms;
  return auth;
}

}  // namespace

std::int64_t backoff_bound_ms(const BackoffOptions& options, unsigned attempt) noexcept {
  std::int64_t bound = options.initial_ms > 0 ? options.initial_ms : 1;
  for (unsigned i = 0; i < attempt && bound < options.max_ms; ++i) bound *= 2;
  return bound < options.max_ms ? bound : options.max_ms;
}

std::int64_t backoff_delay_ms(const BackoffOptions& options, unsigned attempt, double unit) noexcept {
  return static_cast<std::int64_t>(static_cast<double>(backoff_bound_ms(options, attempt)) * clamp_unit(unit));
}

std::int64_t auth_retry_bound_ms(const BackoffOptions& options, unsigned attempt) noexcept {
  return backoff_bound_ms(auth_schedule(options), attempt);
}

std::int64_t auth_retry_delay_ms(const BackoffOptions& options, unsigned attempt, double unit) noexcept {
  const double bound = static_cast<double>(auth_retry_bound_ms(options, attempt));
  return static_cast<std::int64_t>(bound / 2 + bound / 2 * clamp_unit(unit));
}

}  // namespace docklink::detail
