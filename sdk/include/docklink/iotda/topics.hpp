// MQTT topic names of Huawei Cloud IoTDA as the dock (a gateway device) uses them: building them, the filters a
// dock subscribes to, and a strict parser of inbound topics into kind, device id and request id.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/config_defaults.hpp"
#include "docklink/export.hpp"
#include "docklink/status.hpp"

namespace docklink::iotda {

/// The IoTDA topics a dock uses, all under `$oc/devices/{device_id}/`, named after the levels that follow.
enum class TopicKind : std::uint8_t {
  kMessageUp,                ///< sys/messages/up (up): device message.
  kMessageDown,              ///< sys/messages/down (down): platform message.
  kCommand,                  ///< sys/commands/request_id={id} (down).
  kCommandResponse,          ///< sys/commands/response/request_id={id} (up).
  kPropertiesReport,         ///< sys/properties/report (up): the gateway's own properties.
  kGatewayPropertiesReport,  ///< sys/gateway/sub_devices/properties/report (up): sub-devices' properties.
  kPropertySet,              ///< sys/properties/set/request_id={id} (down).
  kPropertySetResponse,      ///< sys/properties/set/response/request_id={id} (up).
  kPropertyGet,              ///< sys/properties/get/request_id={id} (down).
  kPropertyGetResponse,      ///< sys/properties/get/response/request_id={id} (up).
  kShadowGet,                ///< sys/shadow/get/request_id={id} (up): the device asks for its shadow.
  kShadowGetResponse,        ///< sys/shadow/get/response/request_id={id} (down).
  kEventsUp,                 ///< sys/events/up (up): system events ($ota, $file_manager, ...).
  kEventsDown,               ///< sys/events/down (down): system events.
};

/// Number of TopicKind values; kinds are 0..kTopicKindCount-1.
inline constexpr std::size_t kTopicKindCount = 14;

/// The levels after the device id without a request id, e.g. "sys/commands/response"; "unknown" when invalid.
DOCKLINK_API const char* to_string(TopicKind kind) noexcept;

/// True for topics the platform publishes and the device receives.
DOCKLINK_API bool is_downlink(TopicKind kind) noexcept;

/// True for topics that end in `request_id={id}`.
DOCKLINK_API bool has_request_id(TopicKind kind) noexcept;

/// Checks an IoTDA device id: 1..defaults::kIotdaMaxDeviceIdLength bytes of letters, digits, '_' and '-' (the
/// platform's rule; it also keeps the id a single, wildcard-free topic level). kInvalidArgument says what broke.
DOCKLINK_API Status validate_device_id(std::string_view device_id);

/// Checks a request id for use as the last topic level: 1..defaults::kIotdaMaxRequestIdLength bytes, no '/',
/// '+', '#' and no control character. The platform's ids are opaque, so nothing else is assumed.
DOCKLINK_API Status validate_request_id(std::string_view request_id);

/// Writes the topic of `kind` for `device_id` into `out` (overwritten, capacity reused). `request_id` is used by
/// the kinds that carry one and must be empty for the others. kInvalidArgument (and `out` empty) for a bad device
/// id, a bad or missing request id, a request id where none belongs, or an invalid kind.
DOCKLINK_API Status build_topic(TopicKind kind, std::string_view device_id, std::string_view request_id,
                                std::string& out);

/// The topic filters a dock subscribes to, all for its own (gateway) device id: platform messages, commands,
/// property set and get, shadow answers and system events. IoTDA subscribes devices to them implicitly; asking
/// explicitly also works on brokers and editions that do not. The `#` filters also match the dock's own responses
/// (MQTT 3.1.1 brokers deliver a client's publishes to its own subscriptions); parse_topic() names those as uplink
/// kinds, so a receiver ignores them. Does not validate the device id (see validate_device_id()).
DOCKLINK_API std::vector<std::string> downlink_filters(std::string_view device_id);

/// A parsed topic; the views point into the text given to parse_topic().
struct ParsedTopic {
  TopicKind kind = TopicKind::kMessageUp;  ///< Which topic.
  std::string_view device_id;              ///< The device level.
  std::string_view request_id;             ///< The request id; empty for kinds without one.
};

/// Splits a topic into kind, device id and request id by exact match: `$oc/devices/`, a valid device id, then one
/// of the kinds' levels, then for request kinds `request_id=` and a valid, non-empty id as the very last level.
/// Anything else is kMalformed with a message saying why (no substring search, no "everything after the first =").
DOCKLINK_API Result<ParsedTopic> parse_topic(std::string_view topic);

/// parse_topic(), and kNotFound when the topic is well formed but names another device than `own_device_id`.
DOCKLINK_API Result<ParsedTopic> parse_own_topic(std::string_view topic, std::string_view own_device_id);

}  // namespace docklink::iotda
