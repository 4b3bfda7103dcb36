// The DJI Cloud API profile: the topic tree of topics.cpp and the envelope of envelope_*.cpp, as the client used
// them before profiles existed (tests/unit/profile_dji_golden_test.cpp holds it to that, byte for byte).
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "concat.hpp"
#include "profile_base.hpp"
#include "property_set_plan.hpp"
#include "property_set_reply.hpp"

namespace docklink {

CloudProfile::~CloudProfile() = default;

namespace detail {
namespace {

/// The topic that answers a message sent on `kind`.
TopicKind reply_topic_of(TopicKind kind) {
  switch (kind) {
    case TopicKind::kEvents:
      return TopicKind::kEventsReply;
    case TopicKind::kRequests:
      return TopicKind::kRequestsReply;
    case TopicKind::kStatus:
      return TopicKind::kStatusReply;
    default:
      return kind;  // no reply topic: nothing answers it
  }
}

/// A DJI cloud may re-send a service with its tid (and method); property sets are not filtered, as before
/// profiles existed.
class ServiceTidFilter final : public DuplicateFilter {
 public:
  ServiceTidFilter(std::size_t capacity, std::int64_t window_ms) : tids_(capacity, window_ms) {}
  Seen admit(const InboundItem& item, std::int64_t now_ms, std::string* answer) override {
    if (item.kind != InboundKind::kCommand) return Seen::kNew;
    const Seen seen = tids_.lookup(item.tid, item.method, now_ms, answer);
    if (seen == Seen::kNew) tids_.begin(item.tid, item.method, now_ms);
    return seen;
  }
  void answered(const InboundItem& item, std::string answer) override {
    if (item.kind == InboundKind::kCommand) tids_.complete(item.tid, item.method, std::move(answer));
  }

 private:
  TidCache tids_;
};

InboundKind inbound_kind_of(TopicKind kind) {
  switch (kind) {
    case TopicKind::kServices:
      return InboundKind::kCommand;
    case TopicKind::kPropertySet:
      return InboundKind::kPropertySet;
    case TopicKind::kEventsReply:
    case TopicKind::kRequestsReply:
    case TopicKind::kStatusReply:
      return InboundKind::kReply;
    case TopicKind::kDrcDown:
      return InboundKind::kRemoteControl;
    default:  // state_reply, and the uplink kinds (refused by the core)
      return InboundKind::kAckOnly;
  }
}

void encode(const UplinkFields& fields, std::string_view method, int need_reply, std::string_view data_json,
            std::string& out, bool keep_empty_method = false) {
  OutboundEnvelope envelope;
  envelope.tid = fields.tid;
  envelope.bid = fields.bid;
  envelope.timestamp = fields.wall_ms;
  envelope.method = method;
  envelope.keep_empty_method = keep_empty_method;
  envelope.gateway = fields.gateway;
  envelope.need_reply = need_reply;
  envelope.data_json = data_json;
  encode_envelope(envelope, out);
}

void write_device(rapidjson::Writer<rapidjson::StringBuffer>& writer, const DeviceInfo& device, bool sub) {
  auto string = [&](const char* key, const std::string& value) {
    writer.Key(key);
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  };
  if (sub) string("sn", device.sn);
  string("domain", device.domain);
  writer.Key("type");
  writer.Int(device.type);
  writer.Key("sub_type");
  writer.Int(device.sub_type);
  if (sub) string("index", device.index);
  string("device_secret", device.device_secret);
  string("nonce", device.nonce);
  string("thing_version", device.thing_version);
}

class DjiProfile final : public ProfileBase {
 public:
  const char* name() const noexcept override { return "dji"; }

  void subscriptions(const DeviceInfo& gateway, const std::vector<DeviceInfo>& sub_devices,
                     std::vector<std::string>& out) const override {
    for (TopicKind kind :
         {TopicKind::kServices, TopicKind::kEventsReply, TopicKind::kRequestsReply, TopicKind::kPropertySet,
          TopicKind::kStatusReply, TopicKind::kDrcDown, TopicKind::kStateReply}) {
      out.push_back(topic(kind, gateway.sn));
    }
    for (const auto& device : sub_devices) out.push_back(topic(TopicKind::kStateReply, device.sn));
  }

  Result<InboundRoute> classify(std::string_view topic_name) const override {
    auto parsed = parse_topic(topic_name);
    if (!parsed) return parsed.status();
    InboundRoute route;
    route.topic_kind = parsed.value().kind;
    route.kind = inbound_kind_of(route.topic_kind);
    route.device = parsed.value().sn;
    route.uplink_only = !is_downlink(route.topic_kind);
    return route;
  }

  Status decode(std::string_view /*topic*/, std::string_view payload, const EnvelopeLimits& limits,
                InboundItem& out) const override {
    Status status = decode_envelope(payload, limits, out.envelope);
    out.use_envelope();
    return status;
  }

  void encode_service_reply(const InboundItem& to, const ServiceReply& reply, const UplinkFields& fields,
                            OutboundText& out) const override {
    std::string data;
    encode_result_data(reply.result, reply.output_json, reply.flat_json, data);
    encode(answer_fields(to, fields), to.method, -1, data, out.payload);
    build_topic(TopicKind::kServicesReply, fields.gateway, out.topic);
  }

  void answer_topic(const InboundItem& to, std::string_view gateway, std::string& out) const override {
    build_topic(to.kind == InboundKind::kCommand ? TopicKind::kServicesReply : TopicKind::kPropertySetReply, gateway,
                out);
  }

  std::unique_ptr<DuplicateFilter> make_duplicate_filter(std::size_t capacity, std::int64_t window_ms) const override {
    return std::make_unique<ServiceTidFilter>(capacity, window_ms);
  }

  void encode_error_reply(const InboundItem& to, std::int32_t code, std::string_view why, const UplinkFields& fields,
                          OutboundText& out) const override {
    const bool service = to.kind == InboundKind::kCommand;
    std::string data;
    if (service) {
      std::string output = "\"";
      for (char c : why) {
        if (c == '"' || c == '\\') output += '\\';
        if (static_cast<unsigned char>(c) >= 0x20) output += c;
      }
      output += '"';
      encode_result_data(code, output, data);
    } else {
      data = concat({"{\"result\":", std::to_string(code), "}"});
    }
    // An empty method is echoed as it came.
    encode(answer_fields(to, fields), to.method, -1, data, out.payload, service && to.has_method);
    build_topic(service ? TopicKind::kServicesReply : TopicKind::kPropertySetReply, fields.gateway, out.topic);
  }

  void encode_property_set_reply(const InboundItem& to, const PropertySetPlan& plan, const UplinkFields& fields,
                                 OutboundText& out) const override {
    PropertySetReply reply;
    // The plan's paths mirror the body, whose names are unique per object, so none collides.
    for (const PropertySetLeaf& leaf : plan.leaves) reply.add(leaf.path, leaf.verdict);
    std::string results;
    reply.write(results);
    encode(answer_fields(to, fields), {}, -1, results, out.payload);
    build_topic(TopicKind::kPropertySetReply, fields.gateway, out.topic);
  }

  Status encode_telemetry(TopicKind kind, std::string_view device_sn, const UplinkFields& fields,
                          std::string_view data_json, std::string& topic_out, std::string& payload) const override {
    encode(fields, {}, -1, data_json, payload);
    build_topic(kind, device_sn, topic_out);
    return Status::ok();
  }

  Status encode_event(const UplinkFields& fields, int need_reply, std::string_view data_json,
                      OutboundText& out) const override {
    encode(fields, fields.method, need_reply, data_json, out.payload);
    build_topic(need_reply < 0 ? TopicKind::kRequests : TopicKind::kEvents, fields.gateway, out.topic);
    return Status::ok();
  }

  // update_topo lists the current sub-devices only: a departed one is simply absent.
  void encode_topology(const UplinkFields& fields, const DeviceInfo& gateway,
                       const std::vector<DeviceInfo>& sub_devices, const std::vector<DeviceInfo>& /*departed*/,
                       OutboundText& out) const override {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    write_device(writer, gateway, false);
    writer.Key("sub_devices");
    writer.StartArray();
    for (const auto& device : sub_devices) {
      writer.StartObject();
      write_device(writer, device, true);
      writer.EndObject();
    }
    writer.EndArray();
    writer.EndObject();
    UplinkFields without_gateway = fields;
    without_gateway.gateway = {};
    encode(without_gateway, "update_topo", -1, std::string_view(buffer.GetString(), buffer.GetSize()), out.payload);
    build_topic(TopicKind::kStatus, gateway.sn, out.topic);
  }

  void encode_property_get_reply(const InboundItem& /*to*/, std::string_view /*properties_json*/,
                                 OutboundText& /*out*/) const override {}  // DJI clouds never ask
  bool answers_property_get() const override { return false; }

  bool answers(TopicKind sent, TopicKind reply) const override { return reply_topic_of(sent) == reply; }
  bool is_topic_of(std::string_view topic_name, TopicKind kind, std::string_view sn) const override {
    return topic_name == topic(kind, sn);
  }
  bool encode_clock_request(std::int64_t /*wall_ms*/, OutboundText& /*out*/) const override {
    return false;  // DJI docks take an NTP server from the config reply
  }
  bool encode_shadow_request(std::string_view /*request_id*/, OutboundText& /*out*/) const override {
    return false;  // DJI clouds set properties when they want them changed
  }
  Status encode_system_event(const UplinkFields& /*fields*/, std::string_view /*device_sn*/,
                             std::string_view /*service_id*/, std::string_view /*event_type*/,
                             std::string_view /*event_id*/, std::string_view /*paras_json*/,
                             OutboundText& /*out*/) const override {
    return Status(StatusCode::kInvalidArgument, "the dji cloud has no system events");
  }
  void system_events(const InboundItem& /*item*/, std::vector<SystemEvent>& /*out*/) const override {}
  UplinkRate uplink_rate() const override { return {}; }  // DJI states no limit; the broker's is the operator's
  bool supports_drc() const override { return true; }

 private:
  /// An answer echoes the tid and bid of what it answers and carries no gateway.
  static UplinkFields answer_fields(const InboundItem& to, const UplinkFields& fields) {
    UplinkFields answer;
    answer.tid = to.tid;
    answer.bid = to.bid;
    answer.wall_ms = fields.wall_ms;
    return answer;
  }
};

}  // namespace

const ProfileBase& dji_profile_instance() {
  static const auto* const profile = new DjiProfile();  // never destroyed: clients may outlive static destruction
  return *profile;
}

}  // namespace detail

std::shared_ptr<const CloudProfile> dji_profile() {
  // A handle to the one instance, which is never destroyed.
  return std::shared_ptr<const CloudProfile>(&detail::dji_profile_instance(), [](const CloudProfile*) {});
}

}  // namespace docklink
