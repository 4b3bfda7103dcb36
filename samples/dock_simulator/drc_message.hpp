// One drc/down message (docs/protocol.md#drc-messages: {"method", "seq", "timestamp", "data"}) parsed under dock-sim's
// limits: the whole payload must be one JSON object no deeper than limits::kDrcMaxJsonDepth and no larger than
// limits::kDrcMaxPayloadBytes; a NUL or anything but whitespace after the object refuses it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "sim_limits.hpp"

namespace docklink::sim {

/// Why a drc/down payload was refused.
enum class DrcRefusal : std::uint8_t {
  kNone,       ///< Accepted.
  kTooLarge,   ///< Above the size limit; not parsed at all.
  kTooDeep,    ///< Nested deeper than the depth limit.
  kMalformed,  ///< Not JSON, invalid UTF-8, or bytes (a NUL included) after the document.
  kNotObject,  ///< Valid JSON whose top level is not an object.
};

/// Short name of `refusal`, e.g. "too_deep".
const char* to_string(DrcRefusal refusal) noexcept;

/// Limits applied by parse_drc_message(); the defaults are dock-sim's.
struct DrcParseLimits {
  std::size_t max_bytes = limits::kDrcMaxPayloadBytes;  ///< Largest payload.
  unsigned max_depth = limits::kDrcMaxJsonDepth;        ///< Deepest nesting (the top-level object is 1).
};

/// A parsed (or refused) drc/down message.
struct DrcMessage {
  DrcRefusal refusal = DrcRefusal::kNone;  ///< kNone when the fields below come from a whole message.
  rapidjson::Document document;            ///< The message; empty when refused.
  /// Top-level "method". On a refusal it is still set when the parser passed it before stopping, so that a
  /// refused command can be answered.
  std::string method;
  /// Top-level integer "seq" (recovered like method), or -1.
  std::int64_t seq = -1;
  /// The "data" object, or an empty object when it is missing, not an object or the message was refused.
  const rapidjson::Value& data() const;
};

/// Parses `payload` into `out` (which must be freshly constructed); returns out.refusal.
DrcRefusal parse_drc_message(std::string_view payload, DrcMessage& out, const DrcParseLimits& limits = {});

/// The drc/up reply data refusing a message of `method` with `result`, for the methods whose DRC reply carries
/// a result (drone_control, drone_emergency_stop); empty for the others, which get no answer.
std::string drc_refusal_reply(std::string_view method, std::int32_t result);

}  // namespace docklink::sim
