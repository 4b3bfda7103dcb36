// IoTDA topic table. One table drives naming, direction, building and parsing, so they cannot drift.
#include "docklink/iotda/topics.hpp"

#include <array>

#include "enum_table.hpp"

namespace docklink::iotda {
namespace {

constexpr std::string_view kPrefix = "$oc/devices/";
constexpr std::string_view kRequestIdLevel = "/request_id=";

/// One row of the topic table.
struct TopicSpec {
  TopicKind kind;
  bool downlink;            // published by the platform
  bool request_id;          // ends in request_id={id}
  std::string_view levels;  // after "{device_id}/", without the request id level
};

// Ordered like TopicKind so a kind indexes its own row.
constexpr std::array<TopicSpec, kTopicKindCount> kTopics{{
    {TopicKind::kMessageUp, false, false, "sys/messages/up"},
    {TopicKind::kMessageDown, true, false, "sys/messages/down"},
    {TopicKind::kCommand, true, true, "sys/commands"},
    {TopicKind::kCommandResponse, false, true, "sys/commands/response"},
    {TopicKind::kPropertiesReport, false, false, "sys/properties/report"},
    {TopicKind::kGatewayPropertiesReport, false, false, "sys/gateway/sub_devices/properties/report"},
    {TopicKind::kPropertySet, true, true, "sys/properties/set"},
    {TopicKind::kPropertySetResponse, false, true, "sys/properties/set/response"},
    {TopicKind::kPropertyGet, true, true, "sys/properties/get"},
    {TopicKind::kPropertyGetResponse, false, true, "sys/properties/get/response"},
    {TopicKind::kShadowGet, false, true, "sys/shadow/get"},
    {TopicKind::kShadowGetResponse, true, true, "sys/shadow/get/response"},
    {TopicKind::kEventsUp, false, false, "sys/events/up"},
    {TopicKind::kEventsDown, true, false, "sys/events/down"},
}};

static_assert(docklink::detail::rows_in_enum_order(kTopics), "kTopics rows must follow TopicKind order");

const TopicSpec* find_spec(TopicKind kind) noexcept { return docklink::detail::row_of(kTopics, kind); }

Status invalid(std::string message) { return Status(StatusCode::kInvalidArgument, std::move(message)); }
Status malformed(std::string message) { return Status(StatusCode::kMalformed, std::move(message)); }

bool is_device_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/// The row whose levels are exactly `levels` and whose request-id form is `with_request_id`.
const TopicSpec* match_levels(std::string_view levels, bool with_request_id) {
  for (const TopicSpec& spec : kTopics) {
    if (spec.request_id == with_request_id && spec.levels == levels) return &spec;
  }
  return nullptr;
}

}  // namespace

const char* to_string(TopicKind kind) noexcept {
  const TopicSpec* spec = find_spec(kind);
  return spec != nullptr ? spec->levels.data() : "unknown";  // every row's levels are a string literal
}

bool is_downlink(TopicKind kind) noexcept {
  const TopicSpec* spec = find_spec(kind);
  return spec != nullptr && spec->downlink;
}

bool has_request_id(TopicKind kind) noexcept {
  const TopicSpec* spec = find_spec(kind);
  return spec != nullptr && spec->request_id;
}

Status validate_device_id(std::string_view device_id) {
  if (device_id.empty()) return invalid("device id is empty");
  if (device_id.size() > defaults::kIotdaMaxDeviceIdLength) {
    return invalid("device id of " + std::to_string(device_id.size()) + " bytes exceeds limit " +
                   std::to_string(defaults::kIotdaMaxDeviceIdLength));
  }
  for (std::size_t i = 0; i < device_id.size(); ++i) {
    if (!is_device_id_char(device_id[i])) {
      return invalid("device id holds a byte other than a letter, digit, '_' or '-' at offset " + std::to_string(i));
    }
  }
  return Status::ok();
}

Status validate_request_id(std::string_view request_id) {
  if (request_id.empty()) return invalid("request id is empty");
  if (request_id.size() > defaults::kIotdaMaxRequestIdLength) {
    return invalid("request id of " + std::to_string(request_id.size()) + " bytes exceeds limit " +
                   std::to_string(defaults::kIotdaMaxRequestIdLength));
  }
  for (std::size_t i = 0; i < request_id.size(); ++i) {
    auto byte = static_cast<unsigned char>(request_id[i]);
    if (byte == '/' || byte == '+' || byte == '#' || byte < 0x20 || byte == 0x7f) {
      return invalid("request id holds a forbidden byte (" + std::to_string(byte) + ") at offset " + std::to_string(i));
    }
  }
  return Status::ok();
}

Status build_topic(TopicKind kind, std::string_view device_id, std::string_view request_id, std::string& out) {
  out.clear();
  const TopicSpec* spec = find_spec(kind);
  if (spec == nullptr) return invalid("unknown IoTDA topic kind");
  Status status = validate_device_id(device_id);
  if (!status) return status;
  if (spec->request_id) {
    status = validate_request_id(request_id);
    if (!status) return status;
  } else if (!request_id.empty()) {
    return invalid(std::string("topic ") + to_string(kind) + " carries no request id");
  }
  const std::size_t size = kPrefix.size() + device_id.size() + 1 + spec->levels.size() +
                           (spec->request_id ? kRequestIdLevel.size() + request_id.size() : 0);
  if (out.capacity() < size) out.reserve(size);
  out.append(kPrefix).append(device_id).append(1, '/').append(spec->levels);
  if (spec->request_id) out.append(kRequestIdLevel).append(request_id);
  return Status::ok();
}

std::vector<std::string> downlink_filters(std::string_view device_id) {
  const std::string base = std::string(kPrefix).append(device_id).append("/sys/");
  return {base + "messages/down",         base + "commands/#", base + "properties/set/#", base + "properties/get/#",
          base + "shadow/get/response/#", base + "events/down"};
}

Result<ParsedTopic> parse_topic(std::string_view topic) {
  if (topic.compare(0, kPrefix.size(), kPrefix) != 0) return malformed("topic does not start with $oc/devices/");
  std::string_view rest = topic.substr(kPrefix.size());
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return malformed("topic has no level after the device id");
  ParsedTopic parsed;
  parsed.device_id = rest.substr(0, slash);
  Status status = validate_device_id(parsed.device_id);
  if (!status) return malformed("bad device id in topic: " + status.message());
  std::string_view levels = rest.substr(slash + 1);
  const std::size_t marker = levels.rfind(kRequestIdLevel);
  const bool with_request_id = marker != std::string_view::npos;
  if (with_request_id) {
    parsed.request_id = levels.substr(marker + kRequestIdLevel.size());
    levels = levels.substr(0, marker);
  }
  const TopicSpec* spec = match_levels(levels, with_request_id);
  if (spec == nullptr) {
    // Known levels in the wrong form get a precise reason; anything else is simply unknown.
    if (match_levels(levels, !with_request_id) == nullptr) return malformed("unknown topic levels");
    return malformed(with_request_id ? "request_id= after levels that take none" : "request topic without request_id=");
  }
  if (with_request_id) {
    status = validate_request_id(parsed.request_id);
    if (!status) return malformed("bad request id in topic: " + status.message());
  }
  parsed.kind = spec->kind;
  return parsed;
}

Result<ParsedTopic> parse_own_topic(std::string_view topic, std::string_view own_device_id) {
  auto parsed = parse_topic(topic);
  if (parsed && parsed.value().device_id != own_device_id) {
    return Status(StatusCode::kNotFound, "topic is for another device");
  }
  return parsed;
}

}  // namespace docklink::iotda
