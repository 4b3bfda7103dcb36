// Reconnect delays: exponential with full jitter, so a fleet that lost its broker does not reconnect in lockstep.
#pragma once

#include <cstdint>

#include "docklink/client.hpp"

namespace docklink::detail {

/// Upper bound of the delay before reconnect attempt `attempt` (0-based): min(max, initial * 2^attempt).
std::int64_t backoff_bound_ms(const BackoffOptions& options, unsigned attempt) noexcept;

/// The delay itself: `unit` in [0, 1) scales the bound (full jitter).
std::int64_t backoff_delay_ms(const BackoffOptions& options, unsigned attempt, double unit) noexcept;

}  // namespace docklink::detail
