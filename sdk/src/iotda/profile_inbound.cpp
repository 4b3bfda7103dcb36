// IoTDA profile, inbound: topics classified by the strict parser, payloads decoded by the IoTDA codecs into the
// core's InboundItem (request id as tid, command_name as method, paras as data).
#include <rapidjson/document.h>

#include <cstdio>

#include "docklink/iotda/commands.hpp"
#include "docklink/iotda/events.hpp"
#include "docklink/iotda/properties.hpp"
#include "json_read.hpp"
#include "profile.hpp"

namespace docklink::iotda::detail {
namespace {

using docklink::detail::InboundKind;
using docklink::detail::string_member_view;

/// A device level that no SN can equal ('/' is never in an SN): a topic of another device is foreign.
constexpr std::string_view kForeignDevice = "/foreign";

/// What each IoTDA topic is for the core, and its DJI counterpart (counters, reply matching).
void route_of(iotda::TopicKind kind, InboundRoute& route) {
  switch (kind) {
    case iotda::TopicKind::kCommand:
      route.kind = InboundKind::kCommand;
      route.topic_kind = docklink::TopicKind::kServices;
      return;
    case iotda::TopicKind::kPropertySet:
      route.kind = InboundKind::kPropertySet;
      route.topic_kind = docklink::TopicKind::kPropertySet;
      return;
    case iotda::TopicKind::kPropertyGet:
      route.kind = InboundKind::kPropertyGet;
      route.topic_kind = docklink::TopicKind::kPropertySet;
      return;
    case iotda::TopicKind::kShadowGetResponse:  // the shadow asked for after connecting
      route.kind = InboundKind::kDesired;
      route.topic_kind = docklink::TopicKind::kPropertySet;
      return;
    case iotda::TopicKind::kMessageDown:  // a cloud adapter's answer to an event or request
      route.kind = InboundKind::kReply;
      route.topic_kind = docklink::TopicKind::kEventsReply;
      return;
    case iotda::TopicKind::kEventsDown:  // the topology's answer, or a system event the core does not handle
      route.kind = InboundKind::kReply;
      route.topic_kind = docklink::TopicKind::kStatusReply;
      return;
    default:
      // The dock's own uplinks, which the `#` subscriptions deliver back:
      // counted under the DJI kind they resemble, and otherwise ignored.
      route.kind = InboundKind::kAckOnly;
      route.topic_kind = docklink::TopicKind::kStateReply;
      return;
  }
}

PayloadLimits payload_limits(const EnvelopeLimits& limits) {
  PayloadLimits out;
  out.max_payload_bytes = limits.max_payload_bytes;
  out.max_depth = limits.max_depth;
  return out;
}

/// A decoded payload and, for property sets and replies, the body the core reads, built from it.
template <typename Decoded>
struct Holder {
  Decoded decoded;
  rapidjson::Document body{rapidjson::kObjectType};
};

Status decode_command_item(std::string_view payload, const PayloadLimits& limits, InboundItem& out) {
  auto holder = std::make_shared<Command>();
  Status status = decode_command(payload, limits, *holder);
  out.decoded = holder;
  out.method = holder->command_name;
  out.has_method = status.is_ok();
  // A job's events carry the command's bid: the one a cloud adapter put in paras, else the request id.
  std::string_view bid = string_member_view(*holder->paras, "bid");
  out.bid = bid.empty() ? out.tid : bid;
  out.has_bid = true;
  out.data = holder->paras;
  return status;
}

Status decode_property_set_item(const IotdaProfile& profile, std::string_view payload, const PayloadLimits& limits,
                                InboundItem& out) {
  auto holder = std::make_shared<Holder<PropertySet>>();
  out.decoded = holder;
  out.data = &holder->body;
  Status status = decode_property_set(payload, limits, holder->decoded);
  if (!status) return status;
  out.sn = std::string(profile.sn_of(holder->decoded.object_device_id));
  // Each module's properties are top-level DJI properties: the services merge into one DJI property/set body.
  auto& allocator = holder->body.GetAllocator();
  for (const ServicePropertiesView& service : holder->decoded.services) {
    for (auto it = service.properties->MemberBegin(); it != service.properties->MemberEnd(); ++it) {
      if (holder->body.HasMember(it->name)) return Status(StatusCode::kMalformed, "a property is set twice");
      holder->body.AddMember(rapidjson::Value(it->name, allocator), rapidjson::Value(it->value, allocator), allocator);
    }
  }
  return Status::ok();
}

Status decode_message_item(std::string_view payload, const PayloadLimits& limits, InboundItem& out) {
  auto holder = std::make_shared<ParsedPayload>();
  out.decoded = holder;
  Status status = holder->parse(payload, limits);
  if (!status) return status;
  out.tid = string_member_view(holder->root(), "id");
  auto content = holder->root().FindMember("content");
  if (content == holder->root().MemberEnd() || !content->value.IsObject()) {
    return Status(StatusCode::kMalformed, "platform message without an object content");
  }
  out.data = &content->value;
  return Status::ok();
}

/// FNV-1a of `text`, as 16 hex digits: a short key for a payload redelivered byte for byte.
std::string payload_key(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  char key[24];
  std::snprintf(key, sizeof key, "p:%016llx", static_cast<unsigned long long>(hash));
  return key;
}

Status decode_events_item(std::string_view payload, const PayloadLimits& limits, InboundItem& out) {
  auto holder = std::make_shared<Holder<SystemEvents>>();
  out.decoded = holder;
  out.data = &holder->body;
  Status status = decode_events(payload, limits, holder->decoded);
  if (!status) return status;
  // For the application unless the core handles it (time, topology). IoTDA redelivers a downlink unchanged, so an
  // event without an event_id is known again by its payload (the key is kept in the item, `correlation`).
  out.kind = InboundKind::kSystemEvent;
  const std::string_view event_id = holder->decoded.services.front().event_id;
  out.correlation = event_id.empty() ? payload_key(payload) : std::string(event_id);
  out.tid = out.correlation;
  for (const EventView& event : holder->decoded.services) {
    if (event.service_id == service::kTimeSync && event.event_type == event_type::kTimeSyncResponse) {
      out.kind = InboundKind::kClockSync;  // its paras carry exactly the three times the core reads
      out.data = event.paras;
      break;
    }
    if (event.service_id != service::kSubDeviceManager ||
        event.event_type != event_type::kSubDeviceUpdateStatusResponse) {
      continue;
    }
    out.kind = InboundKind::kReply;
    out.tid = event.event_id;
    out.answers_topology = event.event_id.empty();
    auto failed = event.paras->FindMember("failed_devices");
    const bool refused = failed != event.paras->MemberEnd() && failed->value.IsArray() && !failed->value.Empty();
    holder->body.AddMember("result", refused ? 1 : 0, holder->body.GetAllocator());
    break;
  }
  return Status::ok();
}

/// The shadow's desired properties of every service, merged into one DJI-shaped property body (as a set).
Status decode_shadow_item(const IotdaProfile& profile, std::string_view payload, const PayloadLimits& limits,
                          InboundItem& out) {
  auto holder = std::make_shared<Holder<ParsedPayload>>();
  out.decoded = holder;
  out.data = &holder->body;
  Status status = holder->decoded.parse(payload, limits);
  if (!status) return status;
  const rapidjson::Value& root = holder->decoded.root();
  out.sn = std::string(profile.sn_of(string_member_view(root, "object_device_id")));
  auto shadow = root.FindMember("shadow");
  if (shadow == root.MemberEnd()) return Status::ok();  // no shadow yet: nothing desired
  if (!shadow->value.IsArray()) return Status(StatusCode::kMalformed, "shadow is not an array");
  auto& allocator = holder->body.GetAllocator();
  for (const auto& service : shadow->value.GetArray()) {
    if (!service.IsObject()) return Status(StatusCode::kMalformed, "a shadow entry is not an object");
    auto desired = service.FindMember("desired");
    if (desired == service.MemberEnd() || !desired->value.IsObject()) continue;
    auto properties = desired->value.FindMember("properties");
    if (properties == desired->value.MemberEnd() || !properties->value.IsObject()) continue;
    for (auto it = properties->value.MemberBegin(); it != properties->value.MemberEnd(); ++it) {
      if (holder->body.HasMember(it->name)) return Status(StatusCode::kMalformed, "a property is desired twice");
      holder->body.AddMember(rapidjson::Value(it->name, allocator), rapidjson::Value(it->value, allocator), allocator);
    }
  }
  return Status::ok();
}

}  // namespace

void IotdaProfile::system_events(const InboundItem& item, std::vector<SystemEvent>& out) const {
  if (item.kind != InboundKind::kSystemEvent || !item.decoded) return;
  const auto& holder = *static_cast<const Holder<SystemEvents>*>(item.decoded.get());
  const std::string_view sn = sn_of(holder.decoded.object_device_id);
  for (const EventView& event : holder.decoded.services) {
    out.push_back(SystemEvent{sn, event.service_id, event.event_type, event.event_id, *event.paras});
  }
}

Result<InboundRoute> IotdaProfile::classify(std::string_view topic) const {
  auto parsed = parse_topic(topic);
  if (!parsed) return parsed.status();
  InboundRoute route;
  route_of(parsed.value().kind, route);
  route.device =
      parsed.value().device_id == options_.gateway_device_id ? std::string_view(options_.gateway_sn) : kForeignDevice;
  return route;
}

Status IotdaProfile::decode(std::string_view topic, std::string_view payload, const EnvelopeLimits& limits,
                            InboundItem& out) const {
  auto parsed = parse_topic(topic);
  if (!parsed) return parsed.status();  // classify() let it through: cannot happen
  out.correlation = std::string(parsed.value().request_id);
  out.tid = out.correlation;
  const PayloadLimits payload_bounds = payload_limits(limits);
  switch (parsed.value().kind) {
    case iotda::TopicKind::kCommand:
      return decode_command_item(payload, payload_bounds, out);
    case iotda::TopicKind::kPropertySet:
      return decode_property_set_item(*this, payload, payload_bounds, out);
    case iotda::TopicKind::kPropertyGet: {
      auto holder = std::make_shared<PropertyGet>();
      out.decoded = holder;
      Status status = decode_property_get(payload, payload_bounds, *holder);
      out.method = holder->service_id;
      out.sn = std::string(sn_of(holder->object_device_id));
      return status;
    }
    case iotda::TopicKind::kMessageDown:
      return decode_message_item(payload, payload_bounds, out);
    case iotda::TopicKind::kShadowGetResponse:
      return decode_shadow_item(*this, payload, payload_bounds, out);
    case iotda::TopicKind::kEventsDown:
      return decode_events_item(payload, payload_bounds, out);
    default:
      return Status::ok();
  }
}

}  // namespace docklink::iotda::detail
