// IoTDA property reports, gateway reports and the answers to property set and get.
#include "docklink/iotda/properties.hpp"
#include "docklink/iotda/topics.hpp"
#include "payload_writer.hpp"

namespace docklink::iotda {
namespace {

Status invalid(std::string message) { return Status(StatusCode::kInvalidArgument, std::move(message)); }

/// Writes the `services` array; `where` prefixes messages ("" or "devices[i].").
Status write_services(detail::JsonWriter& writer, const std::vector<ServiceProperties>& services,
                      const std::string& where) {
  if (services.empty()) return invalid(where + "services is empty");
  writer.Key("services");
  writer.StartArray();
  for (std::size_t i = 0; i < services.size(); ++i) {
    const ServiceProperties& service = services[i];
    const std::string entry = where + "services[" + std::to_string(i) + "]";
    Status status = detail::check_name(entry + ".service_id", service.service_id, true);
    if (!status) return status;
    writer.StartObject();
    detail::write_string_member(writer, "service_id", service.service_id);
    status = detail::write_raw_object(writer, "properties", entry + ".properties", service.properties_json);
    if (!status) return status;
    if (!service.event_time.empty()) detail::write_string_member(writer, "event_time", service.event_time);
    writer.EndObject();
  }
  writer.EndArray();
  return Status::ok();
}

}  // namespace

Status encode_property_report(const std::vector<ServiceProperties>& services, std::string& out, std::size_t max_bytes) {
  out.clear();
  rapidjson::StringBuffer buffer;
  detail::JsonWriter writer(buffer);
  writer.StartObject();
  Status status = write_services(writer, services, "");
  if (!status) return status;
  writer.EndObject();
  return detail::finish_payload(buffer, max_bytes, out);
}

Status encode_gateway_report(const std::vector<DeviceProperties>& devices, std::string& out, std::size_t max_bytes) {
  out.clear();
  if (devices.empty()) return invalid("devices is empty");
  if (devices.size() > defaults::kIotdaMaxGatewayReportDevices) {
    return invalid(std::to_string(devices.size()) + " devices exceed IoTDA's limit of " +
                   std::to_string(defaults::kIotdaMaxGatewayReportDevices) + " per gateway report");
  }
  rapidjson::StringBuffer buffer;
  detail::JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("devices");
  writer.StartArray();
  for (std::size_t i = 0; i < devices.size(); ++i) {
    const std::string where = "devices[" + std::to_string(i) + "].";
    Status status = validate_device_id(devices[i].device_id);
    if (!status) return invalid(where + "device_id: " + status.message());
    writer.StartObject();
    detail::write_string_member(writer, "device_id", devices[i].device_id);
    status = write_services(writer, devices[i].services, where);
    if (!status) return status;
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return detail::finish_payload(buffer, max_bytes, out);
}

Status encode_property_set_response(std::int32_t result_code, std::string_view result_desc, std::string& out,
                                    std::size_t max_bytes) {
  out.clear();
  rapidjson::StringBuffer buffer;
  detail::JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("result_code");
  writer.Int(result_code);
  if (!result_desc.empty()) detail::write_string_member(writer, "result_desc", result_desc);
  writer.EndObject();
  return detail::finish_payload(buffer, max_bytes, out);
}

}  // namespace docklink::iotda
