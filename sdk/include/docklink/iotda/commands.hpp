// IoTDA commands: decoding what arrives on sys/commands/request_id={id} and encoding the command response.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "docklink/config_defaults.hpp"
#include "docklink/export.hpp"
#include "docklink/iotda/payload.hpp"
#include "docklink/status.hpp"

namespace docklink::iotda {

/// A decoded command. The views point into `payload`, which owns them; moving the whole struct keeps them valid.
struct Command {
  ParsedPayload payload;              ///< The parsed JSON the views below point into.
  std::string_view object_device_id;  ///< The device it is for; empty when absent (the gateway itself).
  std::string_view service_id;        ///< The product-model service; empty when absent.
  std::string_view command_name;      ///< Never empty after a successful decode (it selects the handler).
  const rapidjson::Value* paras = &empty_json_object();  ///< The parameters: always an object, `{}` when absent.
};

/// Decodes a command payload into `out`. kMalformed, with the offending field named, for anything
/// ParsedPayload::parse() refuses, a missing, empty or non-string command_name, a service_id or object_device_id
/// that is not a string, too long or (object_device_id) not a valid device id, or paras that is not an object
/// (null or absent paras read as `{}`). On failure the views are empty and paras is `{}`.
DOCKLINK_API Status decode_command(std::string_view payload, const PayloadLimits& limits, Command& out);

/// What a command response says; the views must stay valid during encode_command_response().
struct CommandResponse {
  std::int32_t result_code = 0;    ///< 0 success; anything else a failure.
  std::string_view response_name;  ///< Omitted when empty.
  std::string_view paras_json;     ///< A JSON object written verbatim; omitted when empty.
};

/// Encodes a command response into `out` (overwritten). kInvalidArgument (and `out` empty) when paras_json is
/// not an object, response_name is over defaults::kIotdaMaxNameLength, or the payload exceeds `max_bytes`.
DOCKLINK_API Status encode_command_response(const CommandResponse& response, std::string& out,
                                            std::size_t max_bytes = defaults::kIotdaMaxPayloadBytes);

}  // namespace docklink::iotda
