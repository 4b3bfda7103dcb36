// IoTDA properties: the device's property report and the gateway's report for its sub-devices (up), property
// set and property get (down) and their responses (up).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/config_defaults.hpp"
#include "docklink/export.hpp"
#include "docklink/iotda/payload.hpp"
#include "docklink/status.hpp"

namespace docklink::iotda {

/// One service's properties in a report; the views must stay valid during encoding.
struct ServiceProperties {
  std::string_view service_id;       ///< Product-model service (one per thing-model module); required.
  std::string_view properties_json;  ///< A JSON object written verbatim; empty writes `{}`.
  /// IoTDA time text (ports::iotda_event_time()); omitted when empty, and IoTDA then uses its receive time.
  std::string_view event_time;
};

/// Encodes a property report (sys/properties/report) into `out` (overwritten). kInvalidArgument, naming the
/// entry, when `services` is empty, a service_id is empty or too long, properties_json is not an object, or
/// the payload exceeds `max_bytes` (a caller then splits the services over several reports).
DOCKLINK_API Status encode_property_report(const std::vector<ServiceProperties>& services, std::string& out,
                                           std::size_t max_bytes = defaults::kIotdaMaxPayloadBytes);

/// A property get response has the same shape as a report: the services asked for, with their values.
inline Status encode_property_get_response(const std::vector<ServiceProperties>& services, std::string& out,
                                           std::size_t max_bytes = defaults::kIotdaMaxPayloadBytes) {
  return encode_property_report(services, out, max_bytes);
}

/// One sub-device's services in a gateway report.
struct DeviceProperties {
  std::string_view device_id;               ///< The sub-device's IoTDA device id.
  std::vector<ServiceProperties> services;  ///< At least one.
};

/// Encodes a gateway report for sub-devices (sys/gateway/sub_devices/properties/report) into `out`.
/// kInvalidArgument when `devices` is empty or has more than defaults::kIotdaMaxGatewayReportDevices entries, a
/// device id is invalid, a device has no service, a service is invalid (as above) or the payload exceeds
/// `max_bytes`.
DOCKLINK_API Status encode_gateway_report(const std::vector<DeviceProperties>& devices, std::string& out,
                                          std::size_t max_bytes = defaults::kIotdaMaxPayloadBytes);

/// One service of a decoded property set; views into the owning PropertySet's payload.
struct ServicePropertiesView {
  std::string_view service_id;         ///< Never empty.
  const rapidjson::Value* properties;  ///< Always an object (possibly empty).
};

/// A decoded property set (sys/properties/set/request_id={id}).
struct PropertySet {
  ParsedPayload payload;                        ///< Owns what the views point into.
  std::string_view object_device_id;            ///< Empty when absent (the gateway itself).
  std::vector<ServicePropertiesView> services;  ///< At least one after a successful decode.
};

/// Decodes a property set into `out`. kMalformed, naming the field (e.g. "services[1].properties"), for anything
/// ParsedPayload::parse() refuses, a missing, empty or non-array `services` or one over limits.max_services, an
/// entry that is not an object, a missing or non-string service_id, properties that are missing or not an object,
/// or a bad object_device_id. On failure `services` is empty.
DOCKLINK_API Status decode_property_set(std::string_view payload, const PayloadLimits& limits, PropertySet& out);

/// Encodes the one answer to a property set: `{"result_code":N,"result_desc":"..."}` (result_desc omitted when
/// empty). IoTDA has no per-property result, so a caller names the failed properties in result_desc.
/// kInvalidArgument when the payload would exceed `max_bytes`.
DOCKLINK_API Status encode_property_set_response(std::int32_t result_code, std::string_view result_desc,
                                                 std::string& out,
                                                 std::size_t max_bytes = defaults::kIotdaMaxPayloadBytes);

/// A decoded property get (sys/properties/get/request_id={id}).
struct PropertyGet {
  ParsedPayload payload;              ///< Owns what the views point into.
  std::string_view object_device_id;  ///< Empty when absent (the gateway itself).
  std::string_view service_id;        ///< Empty when absent: every service is asked for.
};

/// Decodes a property get into `out`. kMalformed for anything ParsedPayload::parse() refuses, a service_id that
/// is not a string or too long, or a bad object_device_id.
DOCKLINK_API Status decode_property_get(std::string_view payload, const PayloadLimits& limits, PropertyGet& out);

}  // namespace docklink::iotda
