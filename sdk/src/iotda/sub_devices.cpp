// add_sub_device_request: the paras, and publishing them as a `$sub_device_manager` event of the gateway.
#include "docklink/iotda/sub_devices.hpp"

#include "docklink/iotda/events.hpp"
#include "docklink/iotda/topics.hpp"
#include "payload_fields.hpp"
#include "payload_writer.hpp"

namespace docklink::iotda {
namespace {

Status invalid(std::string message) { return Status(StatusCode::kInvalidArgument, std::move(message)); }

Status check_device(const SubDeviceRegistration& device, const std::string& where) {
  Status status = detail::check_name(where + ".node_id", device.node_id, true);
  if (status) status = detail::check_name(where + ".product_id", device.product_id, true);
  if (status) status = detail::check_name(where + ".name", device.name, false);
  if (status) status = detail::check_name(where + ".description", device.description, false);
  if (status && !device.device_id.empty()) {
    Status id = validate_device_id(device.device_id);
    if (!id) status = invalid(where + ".device_id: " + id.message());
  }
  return status;
}

Status write_device(detail::JsonWriter& writer, std::string_view parent, const SubDeviceRegistration& device,
                    std::size_t index) {
  const std::string where = detail::indexed("devices", index, "");
  Status status = check_device(device, where);
  if (!status) return status;
  writer.StartObject();
  detail::write_string_member(writer, "parent_device_id", parent);
  detail::write_string_member(writer, "node_id", device.node_id);
  if (!device.device_id.empty()) detail::write_string_member(writer, "device_id", device.device_id);
  if (!device.name.empty()) detail::write_string_member(writer, "name", device.name);
  if (!device.description.empty()) detail::write_string_member(writer, "description", device.description);
  detail::write_string_member(writer, "product_id", device.product_id);
  if (!device.extension_info_json.empty()) {
    status = detail::write_raw_object(writer, "extension_info", where + ".extension_info", device.extension_info_json);
    if (!status) return status;
  }
  writer.EndObject();
  return Status::ok();
}

}  // namespace

Status encode_add_sub_devices(std::string_view parent_device_id, const std::vector<SubDeviceRegistration>& devices,
                              std::string& out) {
  out.clear();
  if (devices.empty()) return invalid("devices is empty");
  if (devices.size() > defaults::kIotdaMaxAddSubDevices) {
    return invalid("devices: " + std::to_string(devices.size()) + " exceed the limit of " +
                   std::to_string(defaults::kIotdaMaxAddSubDevices));
  }
  Status parent = validate_device_id(parent_device_id);
  if (!parent) return invalid("parent_device_id: " + parent.message());
  rapidjson::StringBuffer buffer;
  detail::JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("devices");
  writer.StartArray();
  for (std::size_t i = 0; i < devices.size(); ++i) {
    Status status = write_device(writer, parent_device_id, devices[i], i);
    if (!status) return status;
  }
  writer.EndArray();
  writer.EndObject();
  return detail::finish_payload(buffer, defaults::kIotdaMaxPayloadBytes, out);
}

Status add_sub_devices(Client& client, std::string_view gateway_sn, std::string_view parent_device_id,
                       const std::vector<SubDeviceRegistration>& devices, std::string_view event_id) {
  std::string paras;
  Status status = encode_add_sub_devices(parent_device_id, devices, paras);
  if (!status) return status;
  return client.publish_system_event(gateway_sn, service::kSubDeviceManager, event_type::kAddSubDeviceRequest, paras,
                                     event_id);
}

}  // namespace docklink::iotda
