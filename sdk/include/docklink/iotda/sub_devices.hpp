// Registering sub-devices with IoTDA (`$sub_device_manager` add_sub_device_request): a gateway adds its aircraft
// once, the first time it sees it, before it reports the aircraft ONLINE (the core sends those status events on
// every connect, as it sends update_topo on a DJI cloud). The platform answers with add_sub_device_response
// (successful_devices, failed_devices), which reaches the application's `$sub_device_manager` handler
// (Client::on_system_event), and announces the result with add_sub_device_notify.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "docklink/client.hpp"
#include "docklink/config_defaults.hpp"
#include "docklink/export.hpp"
#include "docklink/status.hpp"

namespace docklink::iotda {

/// One sub-device to register under the gateway.
struct SubDeviceRegistration {
  std::string node_id;      ///< The device's own identifier within the product, e.g. the aircraft's SN; required.
  std::string product_id;   ///< The IoTDA product of the sub-device (the aircraft's product); required.
  std::string device_id;    ///< The device id to give it; empty: the platform chooses one.
  std::string name;         ///< A display name; empty: omitted.
  std::string description;  ///< Omitted when empty.
  std::string extension_info_json;  ///< A JSON object written verbatim as extension_info; empty: omitted.
};

/// The paras of an add_sub_device_request registering `devices` under the gateway `parent_device_id`, into `out`
/// (overwritten). kInvalidArgument, naming the entry, when `devices` is empty or longer than
/// defaults::kIotdaMaxAddSubDevices, the parent or a device id is not a valid IoTDA device id, a node_id or
/// product_id is empty, a text (node_id, product_id, name, description) is over defaults::kIotdaMaxNameLength
/// bytes, or extension_info_json is not an object.
DOCKLINK_API Status encode_add_sub_devices(std::string_view parent_device_id,
                                           const std::vector<SubDeviceRegistration>& devices, std::string& out);

/// Publishes an add_sub_device_request on `client` (an IoTDA client) for its gateway `gateway_sn`, whose IoTDA
/// device id is `parent_device_id`; `event_id` (optional) comes back in the response. Errors of
/// encode_add_sub_devices(), or Client::publish_system_event()'s.
DOCKLINK_API Status add_sub_devices(Client& client, std::string_view gateway_sn, std::string_view parent_device_id,
                                    const std::vector<SubDeviceRegistration>& devices, std::string_view event_id = {});

}  // namespace docklink::iotda
