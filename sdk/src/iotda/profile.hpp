// The IoTDA cloud profile (docklink/iotda/profile.hpp): inbound in profile_inbound.cpp, outbound in
// profile_outbound.cpp, both on the pure IoTDA building blocks (topics, payload codecs).
#pragma once

#include <string>
#include <string_view>

#include "docklink/iotda/profile.hpp"
#include "docklink/iotda/topics.hpp"
#include "profile_base.hpp"

namespace docklink::iotda::detail {

using docklink::detail::InboundItem;
using docklink::detail::InboundRoute;
using docklink::detail::OutboundText;
using docklink::detail::PropertySetPlan;
using docklink::detail::UplinkFields;

/// IoTDA time text of a wall time (ms since 1970, UTC): "2020-08-12T12:12:12.333Z" with `milliseconds` (property
/// reports), else "20200812T121212Z" (events).
std::string event_time(std::int64_t wall_ms, bool milliseconds);

class IotdaProfile final : public docklink::detail::ProfileBase {
 public:
  explicit IotdaProfile(ProfileOptions options) : options_(std::move(options)) {}
  const char* name() const noexcept override { return "iotda"; }

  void subscriptions(const DeviceInfo& gateway, const std::vector<DeviceInfo>& sub_devices,
                     std::vector<std::string>& out) const override;
  Result<InboundRoute> classify(std::string_view topic) const override;
  Status decode(std::string_view topic, std::string_view payload, const EnvelopeLimits& limits,
                InboundItem& out) const override;

  void encode_service_reply(const InboundItem& to, const ServiceReply& reply, const UplinkFields& fields,
                            OutboundText& out) const override;
  void answer_topic(const InboundItem& to, std::string_view gateway, std::string& out) const override;
  std::unique_ptr<docklink::detail::DuplicateFilter> make_duplicate_filter(std::size_t capacity,
                                                                           std::int64_t window_ms) const override;
  void encode_error_reply(const InboundItem& to, std::int32_t code, std::string_view why, const UplinkFields& fields,
                          OutboundText& out) const override;
  void encode_property_set_reply(const InboundItem& to, const PropertySetPlan& plan, const UplinkFields& fields,
                                 OutboundText& out) const override;
  Status encode_telemetry(docklink::TopicKind kind, std::string_view device_sn, const UplinkFields& fields,
                          std::string_view data_json, std::string& topic, std::string& payload) const override;
  Status encode_event(const UplinkFields& fields, int need_reply, std::string_view data_json,
                      OutboundText& out) const override;
  void encode_topology(const UplinkFields& fields, const DeviceInfo& gateway,
                       const std::vector<DeviceInfo>& sub_devices, const std::vector<DeviceInfo>& departed,
                       OutboundText& out) const override;
  void encode_property_get_reply(const InboundItem& to, std::string_view properties_json,
                                 OutboundText& out) const override;
  bool answers_property_get() const override { return true; }
  bool answers(docklink::TopicKind sent, docklink::TopicKind reply) const override;
  bool is_topic_of(std::string_view topic, docklink::TopicKind kind, std::string_view sn) const override;
  bool encode_clock_request(std::int64_t wall_ms, OutboundText& out) const override;
  bool encode_shadow_request(std::string_view request_id, OutboundText& out) const override;
  Status encode_system_event(const UplinkFields& fields, std::string_view device_sn, std::string_view service_id,
                             std::string_view event_type, std::string_view event_id, std::string_view paras_json,
                             OutboundText& out) const override;
  void system_events(const InboundItem& item, std::vector<SystemEvent>& out) const override;
  docklink::detail::UplinkRate uplink_rate() const override {
    return {defaults::kIotdaUplinkMessagesPerSecond, defaults::kIotdaUplinkBurst};
  }
  bool supports_drc() const override { return false; }

  /// The IoTDA device id of a device of this dock, by SN.
  std::string_view device_id_of(std::string_view sn) const;
  /// The SN of a device id named in a payload (empty id: the gateway); empty when it is none of this dock's.
  std::string_view sn_of(std::string_view device_id) const;

 private:
  /// Writes a command response (or, for a refused command, its error) to `to`'s request id.
  void write_command_response(const InboundItem& to, std::int32_t code, std::string_view paras_json,
                              OutboundText& out) const;
  /// Groups a device's top-level properties into one JSON object per service.
  Status group_by_service(std::string_view device_sn, std::string_view data_json,
                          std::map<std::string, std::string>& by_service) const;

  ProfileOptions options_;
};

}  // namespace docklink::iotda::detail
