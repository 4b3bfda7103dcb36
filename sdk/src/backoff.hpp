// Reconnect delays: exponential with full jitter, so a fleet that lost its broker does not reconnect in lockstep;
// and the slower schedule for refused credentials or authorisation.
#pragma once

#include <cstdint>

#include "docklink/client.hpp"

namespace docklink::detail {

/// Upper bound of the delay before reconnect attempt `attempt` (0-based): min(max, initial * 2^attempt).
std::int64_t backoff_bound_ms(const BackoffOptions& options, unsigned attempt) noexcept;

/// The delay itself: `unit` in [0, 1) scales the bound (full jitter).
std::int64_t backoff_delay_ms(const BackoffOptions& options, unsigned attempt, double unit) noexcept;

/// Upper bound of the delay before retry `attempt` (0-based) after refused credentials or authorisation:
/// min(auth_max, auth_initial * 2^attempt).
std::int64_t auth_retry_bound_ms(const BackoffOptions& options, unsigned attempt) noexcept;

/// The delay itself: between half the bound and the bound (`unit` in [0, 1) picks where). Still jittered so a
/// fleet whose credentials were revoked together does not retry together, but never a near-immediate retry.
std::int64_t auth_retry_delay_ms(const BackoffOptions& options, unsigned attempt, double unit) noexcept;

}  // namespace docklink::detail
