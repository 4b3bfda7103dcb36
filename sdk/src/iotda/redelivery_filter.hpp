// Recognising a downlink IoTDA delivered again, by its request id.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "docklink/config_defaults.hpp"
#include "docklink/iotda/topics.hpp"
#include "profile_base.hpp"
#include "tid_cache.hpp"

namespace docklink::iotda::detail {

/// IoTDA re-sends a QoS 1 downlink whose PUBACK it did not get, also after a reconnect, so the same command,
/// property set or property get can arrive again. This filter answers a repeat from the first answer instead of
/// running it twice. Entries are keyed by (topic kind, request id), since a command and a property set may carry
/// the same id; they are bounded in number and age (the DJI tid cache underneath). Not thread-safe (the client
/// locks). Memory only: a repeat after a restart is not recognised. The IoTDA profile's DuplicateFilter.
class RedeliveryFilter final : public docklink::detail::DuplicateFilter {
 public:
  /// What is known of a request.
  using Seen = docklink::detail::TidCache::Seen;
  using InboundItem = docklink::detail::InboundItem;

  /// At most `capacity` requests, each remembered for `window_ms`.
  explicit RedeliveryFilter(std::size_t capacity = defaults::kIotdaRedeliveryCapacity,
                            std::int64_t window_ms = defaults::kIotdaRedeliveryWindowMs)
      : cache_(capacity, window_ms) {}

  /// kNew for a request not seen within the window (from now on it is in progress); kInProgress while its first
  /// delivery is still being handled (drop the repeat: the answer is on its way); kAnswered with `answer` set to
  /// the first answer (send it again). System events (kEventsDown) are kept by their key (event_id, or one of the
  /// payload); the other kinds without a request id, and an empty id, are always kNew and not kept.
  Seen admit(TopicKind kind, std::string_view request_id, std::int64_t now_ms, std::string* answer);

  /// Stores the answer sent for a request admitted earlier (ignored when it has been forgotten meanwhile).
  void answered(TopicKind kind, std::string_view request_id, std::string answer);

  /// admit() for a decoded command, property set or get (its tid is the request id) or system event (its tid is
  /// its key); other kinds are kNew.
  Seen admit(const InboundItem& item, std::int64_t now_ms, std::string* answer) override;
  /// answered() for a decoded command, property set or get.
  void answered(const InboundItem& item, std::string answer) override;

 private:
  docklink::detail::TidCache cache_;
};

}  // namespace docklink::iotda::detail
