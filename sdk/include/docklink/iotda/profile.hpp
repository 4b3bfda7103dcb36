// The Huawei Cloud IoTDA profile: the dock as an IoTDA gateway device, its aircraft as sub-devices, the same
// handlers, setters and OSD sources as on a DJI cloud (docs/architecture.md#the-public-api-on-iotda).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "docklink/export.hpp"
#include "docklink/profile.hpp"
#include "docklink/status.hpp"

namespace docklink::iotda {

/// How one dock's devices and properties appear on IoTDA.
struct ProfileOptions {
  std::string gateway_sn;         ///< The dock's SN (ClientOptions::gateway.sn).
  std::string gateway_device_id;  ///< The dock's IoTDA device id: the connection's identity and topic level.
  /// IoTDA device id of each sub-device, by SN. An SN not named here uses the SN itself as its device id.
  std::map<std::string, std::string> sub_device_ids;
  /// The product-model service of each top-level property (thing-model module), e.g. "cover_state" →
  /// "dock_cover". A property not named here goes to gateway_service or sub_device_service.
  std::map<std::string, std::string> property_services;
  std::string gateway_service = "dock";         ///< Service of the dock's properties without an entry above.
  std::string sub_device_service = "aircraft";  ///< Service of a sub-device's properties without an entry above.
};

/// An IoTDA profile for one dock (ClientOptions::profile). kInvalidArgument when the gateway SN is empty, a device
/// id is not a valid IoTDA device id (iotda::validate_device_id()) or a service id is empty or over
/// defaults::kIotdaMaxNameLength bytes.
DOCKLINK_API Result<std::shared_ptr<const CloudProfile>> make_profile(ProfileOptions options);

}  // namespace docklink::iotda
