// IoTDA command decode and command response encode.
#include "docklink/iotda/commands.hpp"

#include "payload_fields.hpp"
#include "payload_writer.hpp"

namespace docklink::iotda {

namespace {

void clear_views(Command& out) {
  out.object_device_id = out.service_id = out.command_name = std::string_view();
  out.paras = &empty_json_object();
}

Status read_command_fields(const rapidjson::Value& root, const PayloadLimits& limits, Command& out) {
  using detail::Presence;
  Status status =
      detail::read_string(root, "command_name", Presence::kRequired, limits.max_name_length, out.command_name);
  if (status)
    status = detail::read_string(root, "service_id", Presence::kOptional, limits.max_name_length, out.service_id);
  if (status) status = detail::read_object_device_id(root, out.object_device_id);
  if (status) status = detail::read_object(root, "paras", Presence::kOptional, out.paras);
  return status;
}

}  // namespace

Status decode_command(std::string_view payload, const PayloadLimits& limits, Command& out) {
  clear_views(out);
  Status status = out.payload.parse(payload, limits);
  if (status) status = read_command_fields(out.payload.root(), limits, out);
  if (!status) clear_views(out);
  return status;
}

Status encode_command_response(const CommandResponse& response, std::string& out, std::size_t max_bytes) {
  out.clear();
  Status status = detail::check_name("response_name", response.response_name, false);
  if (!status) return status;
  rapidjson::StringBuffer buffer;
  detail::JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("result_code");
  writer.Int(response.result_code);
  if (!response.response_name.empty()) detail::write_string_member(writer, "response_name", response.response_name);
  if (!response.paras_json.empty()) {
    status = detail::write_raw_object(writer, "paras", "paras", response.paras_json);
    if (!status) return status;
  }
  writer.EndObject();
  return detail::finish_payload(buffer, max_bytes, out);
}

}  // namespace docklink::iotda
