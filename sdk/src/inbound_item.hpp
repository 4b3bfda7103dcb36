// An inbound message after its profile classified the topic and decoded the payload, shared between the client's
// strands.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "docklink/envelope.hpp"
#include "docklink/topics.hpp"

namespace docklink::detail {

/// What an inbound message is for the core, whichever cloud sent it.
enum class InboundKind : std::uint8_t {
  kCommand,        ///< DJI services; IoTDA command.
  kPropertySet,    ///< DJI property/set; IoTDA property set.
  kPropertyGet,    ///< IoTDA property get: answered from the last reported properties.
  kReply,          ///< Answers an uplink in the pending table.
  kRemoteControl,  ///< DJI drc/down.
  kDesired,        ///< The cloud's desired properties (IoTDA shadow answer): data is a DJI-shaped property body.
  kClockSync,      ///< The cloud's time (IoTDA $time_sync answer): data holds its three times.
  kSystemEvent,    ///< A cloud system event for the application (IoTDA $ota, $file_manager ...).
  kAckOnly,        ///< Counted, nothing else (DJI state_reply; IoTDA system events the core does not handle).
};

/// What a profile reads from a topic alone (on the transport thread, before anything is copied).
struct InboundRoute {
  InboundKind kind = InboundKind::kAckOnly;
  /// The DJI topic kind, or for another cloud its DJI counterpart: the counters' index and reply matching.
  TopicKind topic_kind = TopicKind::kStateReply;
  std::string_view device;   ///< The SN of the device the topic names (views into the topic or the profile).
  bool uplink_only = false;  ///< A topic the device publishes, not one it receives.
};

/// A decoded inbound message. The views (tid, bid, method, data) point into `envelope` (DJI) or into `decoded`
/// (other profiles), both owned by this item, which is never moved once made.
struct InboundItem {
  InboundKind kind = InboundKind::kCommand;
  TopicKind topic_kind = TopicKind::kServices;
  std::string sn;                          ///< The device the message is addressed to.
  std::string_view tid;                    ///< Correlation id echoed by the answer: DJI tid, IoTDA request_id.
  std::string_view bid;                    ///< Business id (a job's events carry it).
  std::string_view method;                 ///< DJI method; IoTDA command_name.
  bool has_bid = false;                    ///< `bid` was a string.
  bool has_method = false;                 ///< `method` was a string.
  const rapidjson::Value* data = nullptr;  ///< The body: always an object or array.
  InboundEnvelope envelope;                ///< DJI decode buffer.
  std::string correlation;                 ///< A correlation id taken from the topic (IoTDA request_id), owned here.
  std::shared_ptr<void> decoded;           ///< A profile's decoded payload, which the views point into.
  /// A reply to the topology that names no tid (IoTDA's sub-device status response without an event_id).
  bool answers_topology = false;

  InboundItem() { data = &envelope.data(); }
  /// Points the views at `envelope` (after a DJI decode).
  void use_envelope() {
    tid = envelope.tid();
    bid = envelope.bid();
    method = envelope.method();
    has_bid = envelope.has_bid();
    has_method = envelope.has_method();
    data = &envelope.data();
  }
};

/// Serialises a JSON value compactly into `out`. False when JSON text cannot hold it (a number too big for a
/// double decodes to infinity); `out` is then empty rather than truncated.
inline bool json_text(const rapidjson::Value& value, std::string& out) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  if (!value.Accept(writer)) {
    out.clear();
    return false;
  }
  out.assign(buffer.GetString(), buffer.GetSize());
  return true;
}

/// `text` as a JSON string literal (quoted and escaped).
inline std::string quoted_json(std::string_view text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace docklink::detail
