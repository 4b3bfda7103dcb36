// IoTDA property set and property get decoding.
#include "docklink/iotda/properties.hpp"
#include "payload_fields.hpp"

namespace docklink::iotda {
namespace {

using detail::malformed;

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
  return detail::read_device_services(
      root, limits.max_services, out.object_device_id, out.services,
      [&limits](const rapidjson::Value& entry, std::size_t index, ServicePropertiesView& view) {
        return read_service_entry(entry, index, limits, view);
      });
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
