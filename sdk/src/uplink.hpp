// An outbound message as the client tracks it between creation and acknowledgement.
#pragma once

#include <cstdint>
#include <string>

#include "docklink/port/transport.hpp"
#include "docklink/topics.hpp"

namespace docklink::detail {

/// Drain priority: lower values go first after a reconnect; the offline queue drops from the highest first.
enum class UplinkClass : std::uint8_t { kReply = 0, kTopology, kEvent, kRequest, kState, kOsd };

/// One outbound message.
struct Uplink {
  std::uint64_t seq = 0;  ///< Creation order, per client; restored records keep theirs.
  UplinkClass cls = UplinkClass::kEvent;
  TopicKind kind = TopicKind::kEvents;
  port::Qos qos = port::Qos::kAtLeastOnce;
  std::string topic;
  std::string payload;
  std::string method;           ///< For reports; may be empty.
  std::string tid;              ///< Correlates the reply of events/requests/topology.
  std::string coalesce_key;     ///< osd: device SN; state: SN + group keys. Empty: never coalesced.
  std::int64_t created_ms = 0;  ///< Monotonic creation time (queue ageing).
  /// Wall-clock creation time, written to store records: the monotonic clock restarts with the machine, and a
  /// restored message must keep its age. Set when the message is persisted.
  std::int64_t created_wall_ms = 0;
  bool durable = false;       ///< May be kept in the Store (a store exists and the class is worth keeping).
  bool persisted = false;     ///< Currently written to the Store.
  bool awaits_reply = false;  ///< An events/requests/status reply is expected (tracked in the pending table).
};

}  // namespace docklink::detail
