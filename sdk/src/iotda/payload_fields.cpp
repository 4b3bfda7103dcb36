// Field readers shared by the IoTDA payload decoders.
#include "payload_fields.hpp"

#include <string>

#include "docklink/iotda/payload.hpp"
#include "docklink/iotda/topics.hpp"

namespace docklink::iotda::detail {

Status malformed(std::string message) { return Status(StatusCode::kMalformed, std::move(message)); }

namespace {

/// The member `key`, or nullptr when it is absent or null.
const rapidjson::Value* find_present(const rapidjson::Value& object, const char* key) {
  auto member = object.FindMember(key);
  if (member == object.MemberEnd() || member->value.IsNull()) return nullptr;
  return &member->value;
}

}  // namespace

Status read_string(const rapidjson::Value& object, const char* key, Presence presence, std::size_t max_length,
                   std::string_view& out) {
  out = std::string_view();
  const rapidjson::Value* value = find_present(object, key);
  const bool required = presence == Presence::kRequired;
  if (value == nullptr) return required ? malformed(std::string("missing ") + key) : Status::ok();
  if (!value->IsString()) return malformed(std::string(key) + " is not a string");
  const std::string_view text(value->GetString(), value->GetStringLength());
  if (required && text.empty()) return malformed(std::string(key) + " is empty");
  if (text.size() > max_length) {
    return malformed(std::string(key) + " of " + std::to_string(text.size()) + " bytes exceeds limit " +
                     std::to_string(max_length));
  }
  out = text;
  return Status::ok();
}

Status read_object(const rapidjson::Value& object, const char* key, Presence presence, const rapidjson::Value*& out) {
  out = &empty_json_object();
  const rapidjson::Value* value = find_present(object, key);
  if (value == nullptr) {
    return presence == Presence::kRequired ? malformed(std::string("missing ") + key) : Status::ok();
  }
  if (!value->IsObject()) return malformed(std::string(key) + " is not an object");
  out = value;
  return Status::ok();
}

Status read_array(const rapidjson::Value& object, const char* key, std::size_t max_entries,
                  const rapidjson::Value*& out) {
  out = nullptr;
  const rapidjson::Value* value = find_present(object, key);
  if (value == nullptr) return malformed(std::string("missing ") + key);
  if (!value->IsArray()) return malformed(std::string(key) + " is not an array");
  if (value->Empty()) return malformed(std::string(key) + " is empty");
  if (value->Size() > max_entries) {
    return malformed(std::string(key) + " has " + std::to_string(value->Size()) + " entries, more than the limit " +
                     std::to_string(max_entries));
  }
  out = value;
  return Status::ok();
}

Status read_object_device_id(const rapidjson::Value& object, std::string_view& out) {
  Status status = read_string(object, "object_device_id", Presence::kOptional, ~std::size_t{0}, out);
  if (!status || out.empty()) return status;
  status = validate_device_id(out);
  if (!status) {
    out = std::string_view();
    return malformed("object_device_id: " + status.message());
  }
  return Status::ok();
}

std::string indexed(const char* array, std::size_t index, const char* field) {
  std::string path = std::string(array) + "[" + std::to_string(index) + "]";
  if (field != nullptr && *field != '\0') path.append(".").append(field);
  return path;
}

Status prefixed(const std::string& prefix, Status status) {
  if (status) return status;
  return Status(status.code(), prefix + ": " + status.message());
}

}  // namespace docklink::iotda::detail
