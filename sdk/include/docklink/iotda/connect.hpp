// Connection settings IoTDA imposes on a device. The signed credentials themselves are a credentials port
// (docklink/ports/credentials.hpp, IotdaSignedCredentials), since they need HMAC-SHA256 and the wall clock.
#pragma once

#include <chrono>

#include "docklink/config_defaults.hpp"

namespace docklink::iotda {

/// `keep_alive` moved into the range IoTDA accepts (defaults::kIotdaMinKeepAliveSeconds..kIotdaMaxKeepAliveSeconds).
/// A value outside it would make every CONNACK refuse the dock as if its client id were bad, a refusal that no
/// retry can cure; zero (MQTT's "no keep-alive") is raised to the minimum as well.
constexpr std::chrono::seconds clamp_keep_alive(std::chrono::seconds keep_alive) noexcept {
  const std::chrono::seconds lowest(defaults::kIotdaMinKeepAliveSeconds);
  const std::chrono::seconds highest(defaults::kIotdaMaxKeepAliveSeconds);
  return keep_alive < lowest ? lowest : keep_alive > highest ? highest : keep_alive;
}

/// The keep-alive IoTDA recommends (defaults::kIotdaKeepAliveSeconds).
inline constexpr std::chrono::seconds kRecommendedKeepAlive{defaults::kIotdaKeepAliveSeconds};

}  // namespace docklink::iotda
