// Shared pieces of the IoTDA payload encoders.
#include "payload_writer.hpp"

#include "docklink/config_defaults.hpp"

namespace docklink::iotda::detail {
namespace {

Status invalid(std::string message) { return Status(StatusCode::kInvalidArgument, std::move(message)); }

std::string_view trimmed(std::string_view text) {
  const char* space = " \t\r\n";
  const std::size_t first = text.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(space) - first + 1);
}

}  // namespace

Status check_name(const std::string& field, std::string_view name, bool required) {
  if (required && name.empty()) return invalid(field + " is empty");
  if (name.size() > defaults::kIotdaMaxNameLength) {
    return invalid(field + " of " + std::to_string(name.size()) + " bytes exceeds limit " +
                   std::to_string(defaults::kIotdaMaxNameLength));
  }
  return Status::ok();
}

Status write_raw_object(JsonWriter& writer, const char* key, const std::string& field, std::string_view json) {
  const std::string_view object = trimmed(json);
  if (!json.empty() && (object.size() < 2 || object.front() != '{' || object.back() != '}')) {
    return invalid(field + " is not a JSON object");
  }
  writer.Key(key);
  if (json.empty()) {
    writer.StartObject();
    writer.EndObject();
  } else {
    writer.RawValue(object.data(), object.size(), rapidjson::kObjectType);
  }
  return Status::ok();
}

Status finish_payload(const rapidjson::StringBuffer& buffer, std::size_t max_bytes, std::string& out) {
  out.clear();
  if (buffer.GetSize() > max_bytes) {
    return invalid("payload of " + std::to_string(buffer.GetSize()) + " bytes exceeds the limit of " +
                   std::to_string(max_bytes));
  }
  out.assign(buffer.GetString(), buffer.GetSize());
  return Status::ok();
}

}  // namespace docklink::iotda::detail
