// Writing IoTDA payloads with RapidJSON's writer: names checked, application JSON inserted verbatim after a
// shape check, and the finished payload held to IoTDA's size limit.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "docklink/status.hpp"
#include "json_write.hpp"

namespace docklink::iotda::detail {

using docklink::detail::JsonWriter;
using docklink::detail::write_string_member;

/// Checks a name the caller supplies (service_id, event_type, ...): not empty when required, at most
/// defaults::kIotdaMaxNameLength bytes. kInvalidArgument naming `field`.
Status check_name(const std::string& field, std::string_view name, bool required);

/// Writes `key` and the JSON object text `json` verbatim. kInvalidArgument naming `field` unless `json`, without
/// surrounding white space, starts with '{' and ends with '}' (the text is not parsed: it is the application's).
/// Empty `json` writes `{}`.
Status write_raw_object(JsonWriter& writer, const char* key, const std::string& field, std::string_view json);

/// Copies the finished payload into `out`; kInvalidArgument (and `out` empty) when it exceeds `max_bytes`.
Status finish_payload(const rapidjson::StringBuffer& buffer, std::size_t max_bytes, std::string& out);

}  // namespace docklink::iotda::detail
