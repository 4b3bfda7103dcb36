// The bundle of OS ports handed to the SDK. The transport is per client and given separately.
#pragma once

#include "docklink/port/clock.hpp"
#include "docklink/port/log.hpp"
#include "docklink/port/random.hpp"
#include "docklink/port/store.hpp"

namespace docklink::port {

/// Non-owning references to the OS ports; every pointer except `store` must be set and outlive the SDK objects
/// that use it. `store` may be null (no durable offline queue).
struct Platform {
  Clock* clock = nullptr;    ///< Time.
  Random* random = nullptr;  ///< Random ids and jitter.
  Log* log = nullptr;        ///< Diagnostics.
  Store* store = nullptr;    ///< Optional durable store for the offline queue.
};

}  // namespace docklink::port
