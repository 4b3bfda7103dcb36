// The interface every cloud profile implements (docs/architecture.md#cloud-profiles). Every function is pure: no
// port, no lock, no user code; text goes into caller-owned buffers whose capacity is reused, so the steady paths
// (OSD, service answers) allocate nothing more than before.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/client.hpp"
#include "docklink/device.hpp"
#include "docklink/envelope.hpp"
#include "docklink/profile.hpp"
#include "docklink/service.hpp"
#include "docklink/status.hpp"
#include "docklink/topics.hpp"
#include "inbound_item.hpp"
#include "tid_cache.hpp"
#include "uplink_pacer.hpp"

namespace docklink::detail {

struct PropertySetPlan;  // property_set_plan.hpp

/// A finished message: where it goes and what it says.
struct OutboundText {
  std::string topic;
  std::string payload;
};

/// What an outbound message of the device carries besides its body; the views must outlive the encode call.
struct UplinkFields {
  std::string_view tid;      ///< Correlation id of the message (an answer to it names it).
  std::string_view bid;      ///< Business id.
  std::string_view method;   ///< Method (events, requests); empty for telemetry.
  std::string_view gateway;  ///< The gateway SN.
  std::int64_t wall_ms = 0;  ///< Send time, ms since 1970.
};

/// Recognises a command, property set or property get delivered again, so that it is answered from its first
/// answer instead of running twice. Which messages a cloud repeats, under which key and for how long is the
/// profile's (make_duplicate_filter()). Not thread-safe (the client locks).
class DuplicateFilter {
 public:
  /// What is known of a message.
  using Seen = TidCache::Seen;
  virtual ~DuplicateFilter() = default;
  /// kNew for a message not seen within the window (from now on it is in progress), and for every message this
  /// cloud does not repeat; kInProgress while its first delivery is being handled (drop the repeat); kAnswered with
  /// `answer` set to the first answer's payload (send it again).
  virtual Seen admit(const InboundItem& item, std::int64_t now_ms, std::string* answer) = 0;
  /// Stores the answer sent for a message admitted earlier (ignored when it was not kept or is forgotten).
  virtual void answered(const InboundItem& item, std::string answer) = 0;
};

/// The one implementation base of CloudProfile (whose constructor only this class may call).
class ProfileBase : public CloudProfile {
 public:
  ProfileBase() = default;
  /// The profile behind a CloudProfile handle: every CloudProfile is one.
  static const ProfileBase& of(const CloudProfile& profile) { return static_cast<const ProfileBase&>(profile); }

  /// The topic filters to subscribe to after every connect (one SUBSCRIBE for all).
  virtual void subscriptions(const DeviceInfo& gateway, const std::vector<DeviceInfo>& sub_devices,
                             std::vector<std::string>& out) const = 0;
  /// Reads kind and device from the topic alone; kMalformed for a topic of this cloud's tree it does not know.
  virtual Result<InboundRoute> classify(std::string_view topic) const = 0;
  /// Decodes `payload` into `out` (kind, topic_kind and sn already set from the route). On failure the views hold
  /// what could be recovered, so that an error answer can still be matched.
  virtual Status decode(std::string_view topic, std::string_view payload, const EnvelopeLimits& limits,
                        InboundItem& out) const = 0;

  // Answers: `fields` gives the gateway and the time; the ids come from the message answered.
  /// The answer to a command.
  virtual void encode_service_reply(const InboundItem& to, const ServiceReply& reply, const UplinkFields& fields,
                                    OutboundText& out) const = 0;
  /// The topic of the answer to a command, property set or get (a repeat is answered from the cached payload).
  virtual void answer_topic(const InboundItem& to, std::string_view gateway, std::string& out) const = 0;
  /// The filter of repeated downlinks for one client; `capacity` and `window_ms` are the client's options for
  /// DJI service tids (a profile whose cloud redelivers for longer may keep more).
  virtual std::unique_ptr<DuplicateFilter> make_duplicate_filter(std::size_t capacity,
                                                                 std::int64_t window_ms) const = 0;
  /// The answer to a command or property set refused before any handler ran.
  virtual void encode_error_reply(const InboundItem& to, std::int32_t code, std::string_view why,
                                  const UplinkFields& fields, OutboundText& out) const = 0;
  /// The answer to a property set, from each leaf's verdict.
  virtual void encode_property_set_reply(const InboundItem& to, const PropertySetPlan& plan, const UplinkFields& fields,
                                         OutboundText& out) const = 0;

  /// OSD (`kind` kOsd) or state (kState) of a device. kInvalidArgument when this cloud cannot carry it.
  virtual Status encode_telemetry(TopicKind kind, std::string_view device_sn, const UplinkFields& fields,
                                  std::string_view data_json, std::string& topic, std::string& payload) const = 0;
  /// An event (`need_reply` 0 or 1) or, with `need_reply` -1, a request.
  virtual Status encode_event(const UplinkFields& fields, int need_reply, std::string_view data_json,
                              OutboundText& out) const = 0;
  /// The topology (gateway and its sub-devices), resent until answered. `departed`: sub-devices removed since
  /// they were announced (a cloud that tracks each one's status hears they went offline).
  virtual void encode_topology(const UplinkFields& fields, const DeviceInfo& gateway,
                               const std::vector<DeviceInfo>& sub_devices, const std::vector<DeviceInfo>& departed,
                               OutboundText& out) const = 0;

  /// The answer to a property get: `properties_json` is the object of the device's last reported values.
  virtual void encode_property_get_reply(const InboundItem& to, std::string_view properties_json,
                                         OutboundText& out) const = 0;
  /// True when this cloud asks for properties (property get), so the core keeps the last reported values.
  virtual bool answers_property_get() const = 0;

  /// True when an answer arriving on `reply` may complete a message sent on `sent`.
  virtual bool answers(TopicKind sent, TopicKind reply) const = 0;
  /// True when a stored uplink's topic is one this profile would send for `kind` on behalf of `sn`.
  virtual bool is_topic_of(std::string_view topic, TopicKind kind, std::string_view sn) const = 0;
  /// The request for the cloud's time sent after every connect, with `wall_ms` as the device's send time; false
  /// when this cloud has none. Its answer decodes as InboundKind::kClockSync with data {device_send_time,
  /// server_recv_time, server_send_time} (ms since 1970).
  virtual bool encode_clock_request(std::int64_t wall_ms, OutboundText& out) const = 0;
  /// The request for the device shadow sent after every connect, carrying `request_id`; false when this cloud
  /// keeps none. Its answer decodes as InboundKind::kDesired with the desired values as a property-set body.
  virtual bool encode_shadow_request(std::string_view request_id, OutboundText& out) const = 0;
  /// A system event about `device_sn` (IoTDA sys/events/up); kInvalidArgument when this cloud has none or the
  /// event cannot be encoded. `fields` gives the time.
  virtual Status encode_system_event(const UplinkFields& fields, std::string_view device_sn,
                                     std::string_view service_id, std::string_view event_type,
                                     std::string_view event_id, std::string_view paras_json,
                                     OutboundText& out) const = 0;
  /// The events of an item decoded as InboundKind::kSystemEvent, viewing into it.
  virtual void system_events(const InboundItem& item, std::vector<SystemEvent>& out) const = 0;
  /// The pace the uplink keeps by itself (unlimited when `per_second` is 0).
  virtual UplinkRate uplink_rate() const = 0;
  /// True when this cloud has DJI's remote-control link (drc/up, drc/down).
  virtual bool supports_drc() const = 0;
};

/// The DJI profile's one instance.
const ProfileBase& dji_profile_instance();

}  // namespace docklink::detail
