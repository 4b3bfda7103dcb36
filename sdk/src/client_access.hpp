// The SDK's private way into a Client: its core is an internal type, so the public header keeps it out of reach and
// names this accessor its friend.
#pragma once

#include "client_core.hpp"
#include "docklink/client.hpp"

namespace docklink::detail {

/// Hands SDK code a Client's core. Internal to the SDK.
struct ClientAccess {
  /// The core behind `client`; lives as long as `client`.
  static ClientCore& core(Client& client) noexcept { return *client.core_; }
};

}  // namespace docklink::detail
