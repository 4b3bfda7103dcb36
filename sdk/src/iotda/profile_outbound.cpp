// IoTDA profile, outbound: answers on the request's own topic, OSD and state as property reports (one service per
// module), events and requests as device messages carrying the DJI envelope, the topology as sub-device status.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "concat.hpp"
#include "docklink/iotda/commands.hpp"
#include "docklink/iotda/events.hpp"
#include "docklink/iotda/properties.hpp"
#include "json_parse.hpp"
#include "profile.hpp"
#include "property_set_plan.hpp"
#include "redelivery_filter.hpp"

namespace docklink::iotda::detail {
namespace {

using docklink::detail::concat;

/// Days since 1970-01-01 to a civil date (proleptic Gregorian), after Howard Hinnant's public-domain algorithm.
void civil_from_days(std::int64_t days, int& year, int& month, int& day) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t day_of_era = days - era * 146097;
  const std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t mp = (5 * day_of_year + 2) / 153;
  day = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
}

/// A JSON string literal of `text`.
std::string quoted(std::string_view text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  return std::string(buffer.GetString(), buffer.GetSize());
}

/// The topic of `kind` for the gateway; the profile's device id is checked at creation, so this cannot fail.
void gateway_topic(iotda::TopicKind kind, std::string_view device_id, std::string_view request_id, std::string& out) {
  static_cast<void>(build_topic(kind, device_id, request_id, out));  // an invalid request id leaves `out` empty
}

}  // namespace

std::string event_time(std::int64_t wall_ms, bool milliseconds) {
  const std::int64_t seconds = (wall_ms >= 0 ? wall_ms : wall_ms - 999) / 1000;
  const std::int64_t days = (seconds >= 0 ? seconds : seconds - 86399) / 86400;
  const std::int64_t in_day = seconds - days * 86400;
  int year = 0, month = 0, day = 0;
  civil_from_days(days, year, month, day);
  const int hour = static_cast<int>(in_day / 3600), minute = static_cast<int>(in_day / 60 % 60);
  const int second = static_cast<int>(in_day % 60), ms = static_cast<int>(wall_ms - seconds * 1000);
  char text[40];
  if (milliseconds) {
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", year, month, day, hour, minute, second, ms);
  } else {
    std::snprintf(text, sizeof text, "%04d%02d%02dT%02d%02d%02dZ", year, month, day, hour, minute, second);
  }
  return text;
}

void IotdaProfile::subscriptions(const DeviceInfo& /*gateway*/, const std::vector<DeviceInfo>& /*sub_devices*/,
                                 std::vector<std::string>& out) const {
  // Every downlink, also one about the aircraft, arrives on the gateway's topics.
  for (std::string& filter : downlink_filters(options_.gateway_device_id)) out.push_back(std::move(filter));
}

void IotdaProfile::write_command_response(const InboundItem& to, std::int32_t code, std::string_view paras_json,
                                          OutboundText& out) const {
  CommandResponse response;
  response.result_code = code;
  response.response_name = to.method.size() <= defaults::kIotdaMaxNameLength ? to.method : std::string_view();
  response.paras_json = paras_json;
  if (!encode_command_response(response, out.payload)) {
    response.paras_json = {};  // too big for IoTDA or not an object: the result alone still answers in time
    static_cast<void>(encode_command_response(response, out.payload));
  }
  answer_topic(to, {}, out.topic);
}

void IotdaProfile::answer_topic(const InboundItem& to, std::string_view /*gateway*/, std::string& out) const {
  using docklink::detail::InboundKind;
  const iotda::TopicKind kind = to.kind == InboundKind::kCommand       ? iotda::TopicKind::kCommandResponse
                                : to.kind == InboundKind::kPropertyGet ? iotda::TopicKind::kPropertyGetResponse
                                                                       : iotda::TopicKind::kPropertySetResponse;
  gateway_topic(kind, options_.gateway_device_id, to.tid, out);
}

std::unique_ptr<docklink::detail::DuplicateFilter> IotdaProfile::make_duplicate_filter(std::size_t capacity,
                                                                                       std::int64_t window_ms) const {
  // IoTDA redelivers for longer than a DJI cloud retries: never remember less than its own window asks for.
  return std::make_unique<RedeliveryFilter>(std::max(capacity, defaults::kIotdaRedeliveryCapacity),
                                            std::max(window_ms, defaults::kIotdaRedeliveryWindowMs));
}

void IotdaProfile::encode_service_reply(const InboundItem& to, const ServiceReply& reply,
                                        const UplinkFields& /*fields*/, OutboundText& out) const {
  // The response's paras is an object: DJI's output when it is one, else its flat members, else output wrapped.
  std::string wrapped;
  std::string_view paras = reply.output_json;
  if (!paras.empty() && paras.front() != '{') {
    wrapped = concat({"{\"output\":", reply.output_json, "}"});
    paras = wrapped;
  }
  if (paras.empty()) paras = reply.flat_json;
  write_command_response(to, reply.result, paras, out);
}

void IotdaProfile::encode_error_reply(const InboundItem& to, std::int32_t code, std::string_view why,
                                      const UplinkFields& /*fields*/, OutboundText& out) const {
  if (to.kind == docklink::detail::InboundKind::kCommand) {
    write_command_response(to, code, concat({"{\"message\":", quoted(why), "}"}), out);
    return;
  }
  static_cast<void>(encode_property_set_response(code, why, out.payload));
  gateway_topic(iotda::TopicKind::kPropertySetResponse, options_.gateway_device_id, to.tid, out.topic);
}

void IotdaProfile::encode_property_set_reply(const InboundItem& to, const PropertySetPlan& plan,
                                             const UplinkFields& /*fields*/, OutboundText& out) const {
  // IoTDA has one result per request: the first failed leaf's, and every failed leaf named in result_desc.
  std::int32_t code = 0;
  std::string failed;
  for (const docklink::detail::PropertySetLeaf& leaf : plan.leaves) {
    if (leaf.verdict == 0) continue;
    if (code == 0) code = leaf.verdict;
    failed.append(failed.empty() ? "failed: " : ", ").append(leaf.key).append(" (");
    failed.append(std::to_string(leaf.verdict)).append(")");
  }
  if (failed.size() > 512) failed.resize(512);  // a summary, not an echo of a hostile body
  static_cast<void>(encode_property_set_response(code, code == 0 ? "success" : failed, out.payload));
  gateway_topic(iotda::TopicKind::kPropertySetResponse, options_.gateway_device_id, to.tid, out.topic);
}

Status IotdaProfile::group_by_service(std::string_view device_sn, std::string_view data_json,
                                      std::map<std::string, std::string>& by_service) const {
  docklink::detail::JsonDocument document;
  docklink::detail::parse_json(data_json, document);
  if (!document.IsObject()) return Status(StatusCode::kInvalidArgument, "properties must be a JSON object");
  const std::string& fallback =
      device_sn == options_.gateway_sn ? options_.gateway_service : options_.sub_device_service;
  for (auto it = document.MemberBegin(); it != document.MemberEnd(); ++it) {
    auto named = options_.property_services.find(it->name.GetString());
    std::string& text = by_service[named == options_.property_services.end() ? fallback : named->second];
    text.append(text.empty() ? "{" : ",").append(quoted(it->name.GetString())).append(":");
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    if (!it->value.Accept(writer)) return Status(StatusCode::kInvalidArgument, "a property value is not JSON-safe");
    text.append(buffer.GetString(), buffer.GetSize());
  }
  for (auto& entry : by_service) entry.second.append("}");
  return Status::ok();
}

Status IotdaProfile::encode_telemetry(docklink::TopicKind /*kind*/, std::string_view device_sn,
                                      const UplinkFields& fields, std::string_view data_json, std::string& topic,
                                      std::string& payload) const {
  std::map<std::string, std::string> by_service;
  Status grouped = group_by_service(device_sn, data_json, by_service);
  if (!grouped) return grouped;
  if (by_service.empty()) return Status(StatusCode::kInvalidArgument, "no properties to report");
  const std::string time = event_time(fields.wall_ms, true);
  std::vector<ServiceProperties> services;
  for (const auto& entry : by_service) services.push_back(ServiceProperties{entry.first, entry.second, time});
  Status encoded;
  if (device_sn == options_.gateway_sn) {
    gateway_topic(iotda::TopicKind::kPropertiesReport, options_.gateway_device_id, {}, topic);
    encoded = encode_property_report(services, payload);
  } else {
    gateway_topic(iotda::TopicKind::kGatewayPropertiesReport, options_.gateway_device_id, {}, topic);
    encoded = encode_gateway_report({DeviceProperties{device_id_of(device_sn), std::move(services)}}, payload);
  }
  // Not split: a report is one snapshot of a device, and half of it on the platform would mix two moments.
  if (!encoded) return Status(encoded.code(), concat({"IoTDA property report not sent: ", encoded.message()}));
  return encoded;
}

Status IotdaProfile::encode_event(const UplinkFields& fields, int need_reply, std::string_view data_json,
                                  OutboundText& out) const {
  // A device message: name = method, id = tid, content = the DJI envelope, so a cloud adapter can rebuild it.
  OutboundEnvelope envelope;
  envelope.tid = fields.tid;
  envelope.bid = fields.bid;
  envelope.timestamp = fields.wall_ms;
  envelope.method = fields.method;
  envelope.gateway = fields.gateway;
  envelope.need_reply = need_reply;
  envelope.data_json = data_json;
  std::string content;
  encode_envelope(envelope, content);
  out.payload =
      concat({"{\"name\":", quoted(fields.method), ",\"id\":", quoted(fields.tid), ",\"content\":", content, "}"});
  if (out.payload.size() > defaults::kIotdaMaxPayloadBytes) {
    out.payload.clear();
    return Status(StatusCode::kInvalidArgument, "message over IoTDA's payload limit");
  }
  gateway_topic(iotda::TopicKind::kMessageUp, options_.gateway_device_id, {}, out.topic);
  return Status::ok();
}

void IotdaProfile::encode_topology(const UplinkFields& fields, const DeviceInfo& /*gateway*/,
                                   const std::vector<DeviceInfo>& sub_devices, const std::vector<DeviceInfo>& departed,
                                   OutboundText& out) const {
  // Every sub-device's status, also after a reconnect: ONLINE for the present, OFFLINE for the departed (the
  // platform then stops taking the gateway as their proxy).
  std::string paras = "{\"device_statuses\":[";
  bool first = true;
  auto add = [&](const DeviceInfo& device, const char* status) {
    paras.append(first ? "" : ",").append("{\"device_id\":").append(quoted(device_id_of(device.sn)));
    paras.append(",\"status\":\"").append(status).append("\"}");
    first = false;
  };
  for (const DeviceInfo& device : sub_devices) add(device, "ONLINE");
  for (const DeviceInfo& device : departed) add(device, "OFFLINE");
  paras.append("]}");
  const std::string time = event_time(fields.wall_ms, false);
  EventEntry entry{service::kSubDeviceManager, event_type::kSubDeviceUpdateStatus, time, fields.tid, paras};
  static_cast<void>(encode_events({}, {entry}, out.payload));  // ids checked at creation; 100 aircraft fit
  gateway_topic(iotda::TopicKind::kEventsUp, options_.gateway_device_id, {}, out.topic);
}

bool IotdaProfile::encode_clock_request(std::int64_t wall_ms, OutboundText& out) const {
  const std::string paras = concat({"{\"device_send_time\":", std::to_string(wall_ms), "}"});
  const std::string time = event_time(wall_ms, false);  // EventEntry only views it: keep it alive past the encode
  EventEntry entry{service::kTimeSync, event_type::kTimeSyncRequest, time, {}, paras};
  gateway_topic(iotda::TopicKind::kEventsUp, options_.gateway_device_id, {}, out.topic);
  return static_cast<bool>(encode_events({}, {entry}, out.payload));
}

Status IotdaProfile::encode_system_event(const UplinkFields& fields, std::string_view device_sn,
                                         std::string_view service_id, std::string_view event_type,
                                         std::string_view event_id, std::string_view paras_json,
                                         OutboundText& out) const {
  const std::string time = event_time(fields.wall_ms, false);  // EventEntry only views it: alive past the encode
  EventEntry entry{service_id, event_type, time, event_id, paras_json};
  // The gateway's own events name no device; a sub-device's must name it.
  const std::string_view object = device_sn == options_.gateway_sn ? std::string_view() : device_id_of(device_sn);
  Status encoded = encode_events(object, {entry}, out.payload);
  if (!encoded) return encoded;
  gateway_topic(iotda::TopicKind::kEventsUp, options_.gateway_device_id, {}, out.topic);
  return Status::ok();
}

bool IotdaProfile::encode_shadow_request(std::string_view request_id, OutboundText& out) const {
  out.payload = "{}";  // every service of the gateway
  return static_cast<bool>(
      build_topic(iotda::TopicKind::kShadowGet, options_.gateway_device_id, request_id, out.topic));
}

void IotdaProfile::encode_property_get_reply(const InboundItem& to, std::string_view properties_json,
                                             OutboundText& out) const {
  // The services asked for (to.method: one service_id, or all when empty), from the last reported values.
  std::map<std::string, std::string> by_service;
  if (!properties_json.empty()) static_cast<void>(group_by_service(to.sn, properties_json, by_service));
  std::vector<ServiceProperties> services;
  for (const auto& entry : by_service) {
    if (to.method.empty() || to.method == entry.first)
      services.push_back(ServiceProperties{entry.first, entry.second, {}});
  }
  if (services.empty() || !encode_property_get_response(services, out.payload)) out.payload = R"({"services":[]})";
  gateway_topic(iotda::TopicKind::kPropertyGetResponse, options_.gateway_device_id, to.tid, out.topic);
}

bool IotdaProfile::answers(docklink::TopicKind sent, docklink::TopicKind reply) const {
  // Platform messages answer events and requests alike (both went out as device messages).
  using docklink::TopicKind;
  if (reply == TopicKind::kEventsReply) return sent == TopicKind::kEvents || sent == TopicKind::kRequests;
  return reply == TopicKind::kStatusReply && sent == TopicKind::kStatus;
}

bool IotdaProfile::is_topic_of(std::string_view topic, docklink::TopicKind /*kind*/, std::string_view sn) const {
  // Everything goes out on the gateway's topics.
  const std::string prefix = concat({"$oc/devices/", options_.gateway_device_id, "/"});
  return sn == options_.gateway_sn && topic.substr(0, prefix.size()) == prefix;
}

std::string_view IotdaProfile::device_id_of(std::string_view sn) const {
  if (sn == options_.gateway_sn) return options_.gateway_device_id;
  auto it = options_.sub_device_ids.find(std::string(sn));
  return it == options_.sub_device_ids.end() ? sn : std::string_view(it->second);
}

std::string_view IotdaProfile::sn_of(std::string_view device_id) const {
  if (device_id.empty() || device_id == options_.gateway_device_id) return options_.gateway_sn;
  for (const auto& entry : options_.sub_device_ids) {
    if (entry.second == device_id) return entry.first;
  }
  return device_id;  // a sub-device without an entry uses its SN as its device id
}

}  // namespace docklink::iotda::detail

namespace docklink::iotda {

Result<std::shared_ptr<const CloudProfile>> make_profile(ProfileOptions options) {
  if (options.gateway_sn.empty()) return Status(StatusCode::kInvalidArgument, "the gateway SN is empty");
  if (Status valid = validate_device_id(options.gateway_device_id); !valid) return valid;
  for (const auto& entry : options.sub_device_ids) {
    if (Status valid = validate_device_id(entry.second); !valid) return valid;
  }
  auto bad_service = [](const std::string& id) { return id.empty() || id.size() > defaults::kIotdaMaxNameLength; };
  if (bad_service(options.gateway_service) || bad_service(options.sub_device_service)) {
    return Status(StatusCode::kInvalidArgument, "a default service id is empty or too long");
  }
  for (const auto& entry : options.property_services) {
    if (bad_service(entry.second)) return Status(StatusCode::kInvalidArgument, "a property's service id is bad");
  }
  return std::shared_ptr<const CloudProfile>(std::make_shared<detail::IotdaProfile>(std::move(options)));
}

}  // namespace docklink::iotda
