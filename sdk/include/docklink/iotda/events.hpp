// IoTDA system events (sys/events/up and sys/events/down): the envelope every `$` service shares, and the
// service ids and event types the dock uses.
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

/// System services a dock talks to.
namespace service {
inline constexpr std::string_view kOta = "$ota";                              ///< Firmware/software upgrade.
inline constexpr std::string_view kFileManager = "$file_manager";             ///< Pre-signed upload/download URLs.
inline constexpr std::string_view kTimeSync = "$time_sync";                   ///< Platform time.
inline constexpr std::string_view kSubDeviceManager = "$sub_device_manager";  ///< Sub-device status and topology.
}  // namespace service

/// Event types of those services, named as on the wire.
namespace event_type {
inline constexpr std::string_view kVersionQuery = "version_query";                        ///< $ota, down.
inline constexpr std::string_view kVersionReport = "version_report";                      ///< $ota, up.
inline constexpr std::string_view kFirmwareUpgrade = "firmware_upgrade";                  ///< $ota, down.
inline constexpr std::string_view kSoftwareUpgrade = "software_upgrade";                  ///< $ota, down.
inline constexpr std::string_view kFirmwareUpgradeV2 = "firmware_upgrade_v2";             ///< $ota, down (own OBS).
inline constexpr std::string_view kSoftwareUpgradeV2 = "software_upgrade_v2";             ///< $ota, down (own OBS).
inline constexpr std::string_view kUpgradeProgressReport = "upgrade_progress_report";     ///< $ota, up.
inline constexpr std::string_view kGetUploadUrl = "get_upload_url";                       ///< $file_manager, up.
inline constexpr std::string_view kGetUploadUrlResponse = "get_upload_url_response";      ///< $file_manager, down.
inline constexpr std::string_view kUploadResultReport = "upload_result_report";           ///< $file_manager, up.
inline constexpr std::string_view kGetDownloadUrl = "get_download_url";                   ///< $file_manager, up.
inline constexpr std::string_view kGetDownloadUrlResponse = "get_download_url_response";  ///< $file_manager, down.
inline constexpr std::string_view kDownloadResultReport = "download_result_report";       ///< $file_manager, up.
inline constexpr std::string_view kTimeSyncRequest = "time_sync_request";                 ///< $time_sync, up.
inline constexpr std::string_view kTimeSyncResponse = "time_sync_response";               ///< $time_sync, down.
inline constexpr std::string_view kSubDeviceUpdateStatus = "sub_device_update_status";    ///< $sub_device_manager, up.
inline constexpr std::string_view kSubDeviceUpdateStatusResponse =
    "sub_device_update_status_response";                                                ///< $sub_device_manager, down.
inline constexpr std::string_view kAddSubDeviceRequest = "add_sub_device_request";      ///< $sub_device_manager, up.
inline constexpr std::string_view kAddSubDeviceNotify = "add_sub_device_notify";        ///< $sub_device_manager, down.
inline constexpr std::string_view kDeleteSubDeviceNotify = "delete_sub_device_notify";  ///< $sub_device_manager, down.
}  // namespace event_type

/// One event to send; the views must stay valid during encode_events().
struct EventEntry {
  std::string_view service_id;  ///< e.g. service::kOta; required.
  std::string_view event_type;  ///< e.g. event_type::kVersionReport; required.
  std::string_view event_time;  ///< IoTDA time text (compact form for events); omitted when empty.
  std::string_view event_id;    ///< Omitted when empty.
  std::string_view paras_json;  ///< A JSON object written verbatim; empty writes `{}`.
};

/// Encodes a system-event message into `out` (overwritten). `object_device_id` names the device the events are
/// about: empty for the gateway itself, the sub-device's id for the aircraft (IoTDA requires it then).
/// kInvalidArgument, naming the entry, when `events` is empty, object_device_id is not a valid device id, a
/// service_id or event_type is empty or too long, paras_json is not an object, or the payload exceeds `max_bytes`.
DOCKLINK_API Status encode_events(std::string_view object_device_id, const std::vector<EventEntry>& events,
                                  std::string& out, std::size_t max_bytes = defaults::kIotdaMaxPayloadBytes);

/// One decoded event; views into the owning SystemEvents' payload.
struct EventView {
  std::string_view service_id;    ///< Never empty.
  std::string_view event_type;    ///< Never empty.
  std::string_view event_time;    ///< Empty when absent (kept as text; IoTDA accepts two forms).
  std::string_view event_id;      ///< Empty when absent.
  const rapidjson::Value* paras;  ///< Always an object; `{}` when absent or null.
};

/// A decoded system-event message.
struct SystemEvents {
  ParsedPayload payload;              ///< Owns what the views point into.
  std::string_view object_device_id;  ///< Empty when absent (the gateway itself).
  std::vector<EventView> services;    ///< At least one after a successful decode.
};

/// Decodes a system-event message into `out`. kMalformed, naming the field (e.g. "services[0].event_type"), for
/// anything ParsedPayload::parse() refuses, a missing, empty or over-long `services` array, an entry that is not an
/// object, a missing or non-string service_id or event_type, a non-string event_time or event_id, paras that is
/// not an object, or a bad object_device_id. On failure `services` is empty.
DOCKLINK_API Status decode_events(std::string_view payload, const PayloadLimits& limits, SystemEvents& out);

/// The platform's time when a time_sync_response arrived, from its paras (all ms since 1970) and the device's own
/// receive time on the same clock as `device_send_ms`: the server's send time plus half the round trip without the
/// server's own processing time, i.e. (server_recv + server_send + device_recv - device_send) / 2.
constexpr std::int64_t time_sync_platform_now_ms(std::int64_t device_send_ms, std::int64_t server_recv_ms,
                                                 std::int64_t server_send_ms, std::int64_t device_recv_ms) noexcept {
  return (server_recv_ms + server_send_ms + device_recv_ms - device_send_ms) / 2;
}

}  // namespace docklink::iotda
