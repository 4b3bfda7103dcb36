// Reading the fields of a parsed IoTDA payload: each reader says which field broke which rule, so a refusal names
// its cause, and none of them can crash on a value of the wrong type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/status.hpp"

namespace docklink::iotda::detail {

/// A kMalformed status with `message`.
Status malformed(std::string message);

/// Whether a field must be present (and not null).
enum class Presence : bool { kOptional, kRequired };

/// A string member. Absent or null: `out` empty (kMalformed when required). Not a string, empty while required,
/// or longer than `max_length`: kMalformed naming the field.
Status read_string(const rapidjson::Value& object, const char* key, Presence presence, std::size_t max_length,
                   std::string_view& out);

/// An object member. Absent or null: `out` is the empty object (kMalformed when required). Not an object:
/// kMalformed naming the field.
Status read_object(const rapidjson::Value& object, const char* key, Presence presence, const rapidjson::Value*& out);

/// An array member (required). Not an array, empty, or more than `max_entries` entries: kMalformed.
Status read_array(const rapidjson::Value& object, const char* key, std::size_t max_entries,
                  const rapidjson::Value*& out);

/// `object_device_id`: optional, and when present a valid device id (it selects the device a handler acts on).
Status read_object_device_id(const rapidjson::Value& object, std::string_view& out);

/// `object_device_id` and the `services` array of `root`, each entry read into a View by
/// `read_entry(entry, index, view)`; the first refusal ends the read.
template <typename View, typename ReadEntry>
Status read_device_services(const rapidjson::Value& root, std::size_t max_services, std::string_view& object_device_id,
                            std::vector<View>& out, ReadEntry read_entry) {
  Status status = read_object_device_id(root, object_device_id);
  if (!status) return status;
  const rapidjson::Value* services = nullptr;
  status = read_array(root, "services", max_services, services);
  if (!status) return status;
  out.reserve(services->Size());
  for (rapidjson::SizeType i = 0; i < services->Size(); ++i) {
    View view{};
    status = read_entry((*services)[i], i, view);
    if (!status) return status;
    out.push_back(view);
  }
  return Status::ok();
}

/// A field path for messages, e.g. "services[2].service_id".
std::string indexed(const char* array, std::size_t index, const char* field);

/// `status` with "services[i]: " (or another prefix) before its message; ok stays ok.
Status prefixed(const std::string& prefix, Status status);

}  // namespace docklink::iotda::detail
