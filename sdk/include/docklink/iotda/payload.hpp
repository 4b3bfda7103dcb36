// What every IoTDA payload decoder shares: the bounds a payload must respect and the object that owns a parsed
// payload, into which the decoded views point.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include <rapidjson/document.h>

#include "docklink/config_defaults.hpp"
#include "docklink/export.hpp"
#include "docklink/status.hpp"

namespace docklink::iotda {

/// Bounds applied while decoding an inbound IoTDA payload; anything beyond them is kMalformed.
struct PayloadLimits {
  std::size_t max_payload_bytes = defaults::kMaxInboundPayloadBytes;  ///< Largest payload accepted.
  unsigned max_depth = defaults::kMaxJsonDepth;  ///< Deepest nesting accepted; the top-level object is level 1.
  std::size_t max_name_length = defaults::kIotdaMaxNameLength;       ///< Longest service_id, command_name, ...
  std::size_t max_services = defaults::kIotdaMaxServicesPerMessage;  ///< Most entries in a `services` array.
};

/// A parsed payload: owns the text and the JSON values that a decoded message's views point into. Move-only;
/// moving keeps every view valid (the storage is on the heap).
class DOCKLINK_API ParsedPayload {
 public:
  /// Nothing parsed: root() is an empty object.
  ParsedPayload();
  ~ParsedPayload();
  /// Takes over other's storage; other becomes empty.
  ParsedPayload(ParsedPayload&& other) noexcept;
  /// Takes over other's storage; other becomes empty.
  ParsedPayload& operator=(ParsedPayload&& other) noexcept;
  ParsedPayload(const ParsedPayload&) = delete;
  ParsedPayload& operator=(const ParsedPayload&) = delete;

  /// The top-level object; an empty object when nothing was parsed or the parse failed.
  const rapidjson::Value& root() const noexcept;

  /// Parses `payload` into this object (replacing what it held). kMalformed when it is over the size limit, not
  /// valid UTF-8, not JSON, not an object, nested deeper than the limit, holds a member name twice in one object
  /// (a reader would see one copy and a validator maybe the other) or a number that is not finite.
  Status parse(std::string_view payload, const PayloadLimits& limits);

 private:
  struct Storage;  // defined in payload.cpp
  std::unique_ptr<Storage> storage_;
};

/// An empty JSON object that lives for the whole program: what absent `paras` or `properties` read as.
DOCKLINK_API const rapidjson::Value& empty_json_object() noexcept;

}  // namespace docklink::iotda
