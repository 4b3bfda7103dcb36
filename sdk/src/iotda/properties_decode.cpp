// IoTDA property set and property get decoding.
#include "docklink/iotda/properties.hpp"
#include "payload_fields.hpp"

namespace docklink::iotda {
namespace {

Status malformed(std::string message) { return Status(StatusCode::kMalformed, std::move(message)); }

Status read_service_entry(const rapidjson::Value& entry, std::size_t index, const PayloadLimits& limits,
                          ServicePropertiesView& out) {
  using detail::Presence;
  const std::string where = detail::indexed("services", index, "");
  if (!entry.IsObject()) return malformed(where + " is not an object");
  Status status = detail::read_string(entry, "service_id", Presence::kRequired, limits.max_name_length, out.service_id);
  if (status) status = detail::read_object(entry, "properties", Presence::kRequired, out.properties);
  return detail::prefixed(where, std::move(status));
}

Status read_property_set(const rapidjson::Value& root, const PayloadLimits& limits, PropertySet& out) {
  Status status = detail::read_object_device_id(root, out.object_device_id);
  if (!status) return status;
  const rapidjson::Value* services = nullptr;
  status = detail::read_array(root, "services", limits.max_services, services);
  if (!status) return status;
  out.services.reserve(services->Size());
  for (rapidjson::SizeType i = 0; i < services->Size(); ++i) {
    ServicePropertiesView view{};
    status = read_service_entry((*services)[i], i, limits, view);
    if (!status) return status;
    out.services.push_back(view);
  }
  return Status::ok();
}

}  // namespace

Status decode_property_set(std::string_view payload, const PayloadLimits& limits, PropertySet& out) {
  out.object_device_id = std::string_view();
  out.services.clear();
  Status status = out.payload.parse(payload, limits);
  if (status) status = read_property_set(out.payload.root(), limits, out);
  if (!status) {
    out.object_device_id = std::string_view();
    out.services.clear();
  }
  return status;
}

Status decode_property_get(std::string_view payload, const PayloadLimits& limits, PropertyGet& out) {
  out.object_device_id = out.service_id = std::string_view();
  Status status = out.payload.parse(payload, limits);
  if (status) status = detail::read_object_device_id(out.payload.root(), out.object_device_id);
  if (status) {
    status = detail::read_string(out.payload.root(), "service_id", detail::Presence::kOptional, limits.max_name_length,
                                 out.service_id);
  }
  if (!status) out.object_device_id = out.service_id = std::string_view();
  return status;
}

}  // namespace docklink::iotda
