// MQTT topic names of the DJI Cloud API (docs/protocol.md#topics): building them for publish/subscribe and parsing the
// topics of inbound messages back into a kind and an SN.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "docklink/config_defaults.hpp"
#include "docklink/export.hpp"
#include "docklink/status.hpp"

namespace docklink {

/// The 15 topics a dock and its cloud exchange, named after the last topic levels.
enum class TopicKind : std::uint8_t {
  kStatus,            ///< sys/product/{sn}/status (up): update_topo.
  kStatusReply,       ///< sys/product/{sn}/status_reply (down).
  kOsd,               ///< thing/product/{sn}/osd (up): periodic property snapshot.
  kState,             ///< thing/product/{sn}/state (up): changed properties.
  kStateReply,        ///< thing/product/{sn}/state_reply (down): only when state carried need_reply.
  kServices,          ///< thing/product/{sn}/services (down): commands.
  kServicesReply,     ///< thing/product/{sn}/services_reply (up).
  kEvents,            ///< thing/product/{sn}/events (up): notifications and job progress.
  kEventsReply,       ///< thing/product/{sn}/events_reply (down).
  kRequests,          ///< thing/product/{sn}/requests (up): the device asks the cloud.
  kRequestsReply,     ///< thing/product/{sn}/requests_reply (down).
  kPropertySet,       ///< thing/product/{sn}/property/set (down).
  kPropertySetReply,  ///< thing/product/{sn}/property/set_reply (up).
  kDrcUp,             ///< thing/product/{sn}/drc/up (up): remote-control link.
  kDrcDown,           ///< thing/product/{sn}/drc/down (down): remote-control link.
};

/// Number of TopicKind values; kinds are 0..kTopicKindCount-1, usable as array indices.
inline constexpr std::size_t kTopicKindCount = 15;

/// The topic levels after the SN, e.g. "services_reply" or "property/set"; "unknown" for an invalid value.
DOCKLINK_API const char* to_string(TopicKind kind) noexcept;

/// True for topics the cloud publishes and the device receives (status_reply, state_reply, services,
/// events_reply, requests_reply, property/set, drc/down).
DOCKLINK_API bool is_downlink(TopicKind kind) noexcept;

/// A parsed inbound topic. `sn` points into the string given to parse_topic().
struct ParsedTopic {
  TopicKind kind = TopicKind::kStatus;  ///< Which of the 15 topics.
  std::string_view sn;                  ///< The SN level; valid while the parsed topic text lives.
};

/// Splits a topic into kind and SN. Rejects (kMalformed) anything that is not exactly one of the 15 topics
/// with a valid SN: leading '/', wrong prefix, unknown suffix, extra levels, bad SN.
DOCKLINK_API Result<ParsedTopic> parse_topic(std::string_view topic);

/// Checks that an SN can be one topic level: non-empty, at most defaults::kMaxSnLength bytes, no '/', '+',
/// '#' (they would change the topic or act as wildcards) and no NUL or other control character.
/// Fails with kInvalidArgument and a message saying which rule was broken.
DOCKLINK_API Status validate_sn(std::string_view sn);

/// Writes the topic of `kind` for `sn` into `out`, replacing its content; reuses out's capacity, so a
/// long-lived buffer makes this allocation-free. Does not validate the SN (see validate_sn()).
DOCKLINK_API void build_topic(TopicKind kind, std::string_view sn, std::string& out);

/// Returns the topic of `kind` for `sn` (see build_topic()).
DOCKLINK_API std::string topic(TopicKind kind, std::string_view sn);

}  // namespace docklink
