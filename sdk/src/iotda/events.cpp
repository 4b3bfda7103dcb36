// IoTDA system-event envelope: encode and decode.
#include "docklink/iotda/events.hpp"
#include "docklink/iotda/topics.hpp"
#include "payload_fields.hpp"
#include "payload_writer.hpp"

namespace docklink::iotda {
namespace {

Status invalid(std::string message) { return Status(StatusCode::kInvalidArgument, std::move(message)); }
using detail::malformed;

Status write_event(detail::JsonWriter& writer, const EventEntry& event, std::size_t index) {
  const std::string where = detail::indexed("services", index, "");
  Status status = detail::check_name(where + ".service_id", event.service_id, true);
  if (status) status = detail::check_name(where + ".event_type", event.event_type, true);
  if (status) status = detail::check_name(where + ".event_id", event.event_id, false);
  if (!status) return status;
  writer.StartObject();
  detail::write_string_member(writer, "service_id", event.service_id);
  detail::write_string_member(writer, "event_type", event.event_type);
  if (!event.event_time.empty()) detail::write_string_member(writer, "event_time", event.event_time);
  if (!event.event_id.empty()) detail::write_string_member(writer, "event_id", event.event_id);
  status = detail::write_raw_object(writer, "paras", where + ".paras", event.paras_json);
  if (!status) return status;
  writer.EndObject();
  return Status::ok();
}

Status read_event(const rapidjson::Value& entry, std::size_t index, const PayloadLimits& limits, EventView& out) {
  using detail::Presence;
  const std::string where = detail::indexed("services", index, "");
  if (!entry.IsObject()) return malformed(where + " is not an object");
  const std::size_t name = limits.max_name_length;
  Status status = detail::read_string(entry, "service_id", Presence::kRequired, name, out.service_id);
  if (status) status = detail::read_string(entry, "event_type", Presence::kRequired, name, out.event_type);
  if (status) status = detail::read_string(entry, "event_time", Presence::kOptional, name, out.event_time);
  if (status) status = detail::read_string(entry, "event_id", Presence::kOptional, name, out.event_id);
  if (status) status = detail::read_object(entry, "paras", Presence::kOptional, out.paras);
  return detail::prefixed(where, std::move(status));
}

Status read_events(const rapidjson::Value& root, const PayloadLimits& limits, SystemEvents& out) {
  return detail::read_device_services(root, limits.max_services, out.object_device_id, out.services,
                                      [&limits](const rapidjson::Value& entry, std::size_t index, EventView& view) {
                                        return read_event(entry, index, limits, view);
                                      });
}

}  // namespace

Status encode_events(std::string_view object_device_id, const std::vector<EventEntry>& events, std::string& out,
                     std::size_t max_bytes) {
  out.clear();
  if (events.empty()) return invalid("services is empty");
  if (!object_device_id.empty()) {
    Status status = validate_device_id(object_device_id);
    if (!status) return invalid("object_device_id: " + status.message());
  }
  rapidjson::StringBuffer buffer;
  detail::JsonWriter writer(buffer);
  writer.StartObject();
  if (!object_device_id.empty()) detail::write_string_member(writer, "object_device_id", object_device_id);
  writer.Key("services");
  writer.StartArray();
  for (std::size_t i = 0; i < events.size(); ++i) {
    Status status = write_event(writer, events[i], i);
    if (!status) return status;
  }
  writer.EndArray();
  writer.EndObject();
  return detail::finish_payload(buffer, max_bytes, out);
}

Status decode_events(std::string_view payload, const PayloadLimits& limits, SystemEvents& out) {
  out.object_device_id = std::string_view();
  out.services.clear();
  Status status = out.payload.parse(payload, limits);
  if (status) status = read_events(out.payload.root(), limits, out);
  if (!status) {
    out.object_device_id = std::string_view();
    out.services.clear();
  }
  return status;
}

}  // namespace docklink::iotda
