// The JSON envelope every DJI Cloud API message travels in (docs/protocol.md#envelope): decoding inbound payloads
// tolerantly but safely, and encoding outbound ones without a DOM.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "docklink/config_defaults.hpp"
#include "docklink/export.hpp"
#include "docklink/status.hpp"

namespace docklink {

/// Bounds applied while decoding an inbound payload; anything beyond them is rejected as kMalformed.
struct EnvelopeLimits {
  std::size_t max_payload_bytes = defaults::kMaxInboundPayloadBytes;  ///< Largest payload accepted.
  unsigned max_depth = defaults::kMaxJsonDepth;        ///< Deepest nesting accepted; the envelope object is level 1.
  std::size_t max_id_length = defaults::kMaxIdLength;  ///< Longest tid and bid accepted (bytes).
  std::size_t max_method_length = defaults::kMaxMethodLength;  ///< Longest method accepted (bytes).
};

/// A decoded inbound message. Reusable: decoding into the same object again reuses its buffers, so a long-lived
/// envelope decodes typical messages without heap allocation. Move-only. All views and data() stay valid until
/// the next decode into this object or its destruction.
class DOCKLINK_API InboundEnvelope {
 public:
  /// An empty envelope: every field absent, data() an empty object.
  InboundEnvelope() noexcept;
  ~InboundEnvelope();
  /// Takes over other's buffers; other becomes empty.
  InboundEnvelope(InboundEnvelope&& other) noexcept;
  /// Takes over other's buffers; other becomes empty.
  InboundEnvelope& operator=(InboundEnvelope&& other) noexcept;
  InboundEnvelope(const InboundEnvelope&) = delete;
  InboundEnvelope& operator=(const InboundEnvelope&) = delete;

  /// Transaction id; empty if absent.
  std::string_view tid() const noexcept { return tid_; }
  /// Business id; empty if absent.
  std::string_view bid() const noexcept { return bid_; }
  /// Thing-model method; empty if absent (osd, state, property/set, most status_reply).
  std::string_view method() const noexcept { return method_; }
  /// True when `bid` was a string (possibly empty); false when absent or null.
  bool has_bid() const noexcept { return has_bid_; }
  /// True when `method` was a string (possibly empty); false when absent or null.
  bool has_method() const noexcept { return has_method_; }
  /// Gateway SN; empty if absent.
  std::string_view gateway() const noexcept { return gateway_; }
  /// Send time in ms since the epoch; 0 if absent.
  std::int64_t timestamp() const noexcept { return timestamp_; }
  /// True when the sender asked for a reply (need_reply 1 or true).
  bool need_reply() const noexcept { return need_reply_; }
  /// True when a top-level `seq` (DRC) was present.
  bool has_seq() const noexcept { return has_seq_; }
  /// The top-level DRC `seq`; 0 if absent.
  std::int64_t seq() const noexcept { return seq_; }
  /// The message body: always an object or an array. `{}`, `""`, null or absent data read as an empty object.
  const rapidjson::Value& data() const noexcept { return *data_; }

 private:
  friend Status decode_envelope(std::string_view payload, const EnvelopeLimits& limits, InboundEnvelope& out);
  friend struct EnvelopeFields;  // envelope_decode.cpp
  struct Storage;                // payload copy, JSON pool and parse stacks; defined in envelope_decode.cpp

  void clear_fields() noexcept;

  std::unique_ptr<Storage> storage_;
  std::string_view tid_, bid_, method_, gateway_;
  std::int64_t timestamp_ = 0;
  std::int64_t seq_ = 0;
  bool need_reply_ = false;
  bool has_seq_ = false;
  bool has_bid_ = false;
  bool has_method_ = false;
  const rapidjson::Value* data_;
};

/// Decodes an inbound payload into `out` (replacing what it held).
///
/// Tolerant where real clouds differ (docs/protocol.md#tolerance): data may be `{}`, `""`, null or absent; unknown
/// fields (including the doc typo key "timestamp:") are ignored; need_reply may be an integer or a boolean; a null
/// tid/bid/method/gateway/timestamp/seq counts as absent.
/// Strict where safety needs it, failing with kMalformed: payload over limits.max_payload_bytes, nesting over
/// limits.max_depth (checked while parsing, so hostile input cannot exhaust the stack), invalid JSON or UTF-8,
/// a top level that is not an object, a known field of the wrong type (the message names the field), or a tid,
/// bid or method longer than limits.max_id_length / max_method_length (the field is then left empty, so that
/// a reply never echoes it, and the message names only the field).
/// On failure, tid()/bid()/method()/gateway() still return what could be recovered (top-level string values
/// seen before the error, or all well-typed ones after a field error; never text that is not valid UTF-8), so
/// the caller can still send an error reply.
DOCKLINK_API Status decode_envelope(std::string_view payload, const EnvelopeLimits& limits, InboundEnvelope& out);

/// An outbound message; all views must stay valid during encode_envelope().
struct OutboundEnvelope {
  std::string_view tid;            ///< Transaction id; always written.
  std::string_view bid;            ///< Business id; always written.
  std::int64_t timestamp = 0;      ///< Send time in ms since the epoch; always written.
  std::string_view method;         ///< Omitted when empty.
  bool keep_empty_method = false;  ///< Write `"method":""` when method is empty (a reply echoing an empty method).
  std::string_view gateway;        ///< Omitted when empty.
  int need_reply = -1;             ///< Omitted when negative; otherwise written as 0 or 1.
  bool has_seq = false;            ///< Whether `seq` is written.
  std::int64_t seq = 0;            ///< DRC sequence number (top level).
  std::string_view data_json;      ///< Body as JSON text, inserted verbatim (not validated); empty means `{}`.
};

/// Encodes `envelope` into `out` with fields in the order tid, bid, timestamp, method, gateway, need_reply, seq,
/// data. Strings are JSON-escaped. Overwrites `out` but reuses its capacity, so a long-lived buffer makes the
/// steady publish path allocation-free.
DOCKLINK_API void encode_envelope(const OutboundEnvelope& envelope, std::string& out);

/// Writes a reply body `{"result":N}`, or `{"result":N,"output":<output_json>}` when output_json is not empty,
/// into `out` (overwritten, capacity reused). output_json is inserted verbatim.
DOCKLINK_API void encode_result_data(std::int32_t result, std::string_view output_json, std::string& out);

/// As above, and also writes the members of the JSON object `flat_json` (e.g. `{"files":[]}`) directly into the
/// body after result/output. flat_json is inserted verbatim; when it is not an object (`{...}`) it is ignored.
DOCKLINK_API void encode_result_data(std::int32_t result, std::string_view output_json, std::string_view flat_json,
                                     std::string& out);

}  // namespace docklink
