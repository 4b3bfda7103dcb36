// Inbound envelope decoding. The payload is copied once into a reused buffer and parsed in situ (strings stay in
// that buffer) by parse_json_in_place(), which enforces the depth limit while parsing and remembers the top-level
// ids, so even a failed decode can say which tid to answer.
#include <algorithm>
#include <array>
#include <optional>

#include <rapidjson/error/en.h>

#include "docklink/envelope.hpp"
#include "json_checks.hpp"
#include "json_parse.hpp"

namespace docklink {
namespace {

/// Memory kept across decodes is capped, so one huge message does not pin megabytes in a long-lived envelope.
constexpr std::size_t kMaxRetainedBytes = 256u * 1024u;
/// First JSON pool of an envelope: enough for a few-KiB OSD message without growing.
constexpr std::size_t kInitialPoolBytes = 8u * 1024u;
/// Chunk size the pool adds when a message outgrows it; freed again before the next decode.
constexpr std::size_t kOverflowChunkBytes = 16u * 1024u;
/// Number literals too big for a double (1e309) that one payload may have read as infinity; each costs one more
/// parse, so beyond this many the message stays malformed.
constexpr std::size_t kMaxTooBigNumbers = 8;

using detail::find_invalid_utf8;
using detail::JsonDocument;
using detail::JsonParseOptions;
using detail::JsonPool;
using detail::RetainedStackAllocator;

const rapidjson::Value& empty_object() {
  static const rapidjson::Value kEmpty(rapidjson::kObjectType);
  return kEmpty;
}

const char* type_name(const rapidjson::Value& value) noexcept {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "boolean";
    case rapidjson::kObjectType:
      return "object";
    case rapidjson::kArrayType:
      return "array";
    case rapidjson::kStringType:
      return "string";
    case rapidjson::kNumberType:
      return "number";
  }
  return "unknown";
}

Status malformed(std::string message) { return Status(StatusCode::kMalformed, std::move(message)); }

Status wrong_type(std::string_view field, const char* expected, const rapidjson::Value& value) {
  std::string message = "field '";
  message.append(field).append("' must be ").append(expected).append(", got ").append(type_name(value));
  return malformed(std::move(message));
}

std::string_view view_of(const rapidjson::Value& value) noexcept {
  return std::string_view(value.GetString(), value.GetStringLength());
}

/// The message for an over-long field. It names the field and the limit only: the value is never repeated.
Status too_long(std::string_view key, std::size_t limit) {
  std::string message = "field '";
  message.append(key).append("' is longer than ").append(std::to_string(limit)).append(" bytes");
  return malformed(std::move(message));
}

/// The end of the number literal that starts at `at`.
std::size_t number_end(std::string_view text, std::size_t at) {
  constexpr std::string_view kNumberChars = "+-.0123456789eE";
  while (at < text.size() && kNumberChars.find(text[at]) != std::string_view::npos) ++at;
  return at;
}

/// Overwrites the literal at `at`, which RapidJSON 1.1.0 refuses as too big (1e309; yet it reads 9e308 as
/// infinity), with one of the same length that it reads as infinity of the same sign, padded with spaces. The
/// value then reaches the checks that refuse non-finite numbers where a number is expected, so a property set
/// answers it per leaf. False when the literal is too short to rewrite.
bool rewrite_too_big_number(std::string& text, std::size_t at) {
  const std::size_t end = number_end(text, at);
  const std::string_view infinite = at < text.size() && text[at] == '-' ? "-9e308" : "9e308";
  if (end - at < infinite.size()) return false;
  text.replace(at, infinite.size(), infinite);
  std::fill(text.begin() + static_cast<std::ptrdiff_t>(at + infinite.size()),
            text.begin() + static_cast<std::ptrdiff_t>(end), ' ');
  return true;
}

}  // namespace

/// Buffers an envelope keeps between decodes.
struct InboundEnvelope::Storage {
  std::string text;  // in-situ copy of the payload; the parsed strings live here
  std::unique_ptr<char[]> pool_buffer;
  std::size_t pool_size = 0;
  std::optional<JsonPool> pool;
  RetainedStackAllocator document_stack;
  RetainedStackAllocator reader_stack;
  std::optional<JsonDocument> document;

  /// Makes an empty document whose pool can hold about `estimate` bytes without touching the heap. The pool
  /// grows (up to kMaxRetainedBytes) when a message needed more than it had; it never shrinks.
  void prepare(std::size_t estimate) {
    std::size_t wanted = std::min(std::max(estimate, kInitialPoolBytes), kMaxRetainedBytes);
    if (pool.has_value() && pool->Capacity() > pool_size) {
      wanted = std::max(wanted, std::min(pool->Capacity(), kMaxRetainedBytes));  // the last message overflowed
    }
    if (pool.has_value() && wanted <= pool_size) {
      reset_document();
      return;
    }
    document.reset();
    pool.reset();
    pool_buffer.reset(new char[wanted]);
    pool_size = wanted;
    pool.emplace(pool_buffer.get(), pool_size, kOverflowChunkBytes);
    document.emplace(&*pool, std::size_t{1024}, &document_stack);
  }

  void reset_document() {
    document->SetNull();  // values in the pool need no destruction (kNeedFree is false)
    pool->Clear();        // frees overflow chunks, rewinds the retained buffer
  }
};

InboundEnvelope::InboundEnvelope() noexcept : data_(&empty_object()) {}

InboundEnvelope::~InboundEnvelope() = default;

InboundEnvelope::InboundEnvelope(InboundEnvelope&& other) noexcept : data_(&empty_object()) {
  *this = std::move(other);
}

InboundEnvelope& InboundEnvelope::operator=(InboundEnvelope&& other) noexcept {
  if (this == &other) return *this;
  // The views point into other's heap storage, which moves with it, so they stay valid.
  storage_ = std::move(other.storage_);
  tid_ = other.tid_;
  bid_ = other.bid_;
  method_ = other.method_;
  gateway_ = other.gateway_;
  timestamp_ = other.timestamp_;
  seq_ = other.seq_;
  need_reply_ = other.need_reply_;
  has_seq_ = other.has_seq_;
  has_bid_ = other.has_bid_;
  has_method_ = other.has_method_;
  data_ = other.data_;
  other.clear_fields();
  return *this;
}

void InboundEnvelope::clear_fields() noexcept {
  tid_ = bid_ = method_ = gateway_ = std::string_view();
  timestamp_ = seq_ = 0;
  need_reply_ = has_seq_ = has_bid_ = has_method_ = false;
  data_ = &empty_object();
}

namespace {

/// What a finished parse means for the message: ok, or why it is malformed.
Status parse_verdict(const detail::JsonParseOutcome& parsed, std::size_t invalid_utf8_at, std::size_t payload_size,
                     unsigned max_depth) {
  const rapidjson::ParseResult& result = parsed.result;
  if (parsed.too_deep) return malformed("JSON nesting exceeds depth limit " + std::to_string(max_depth));
  if (parsed.not_object) return malformed("payload is not a JSON object");
  if (invalid_utf8_at != std::string_view::npos) {
    return malformed("invalid UTF-8 at offset " + std::to_string(invalid_utf8_at));
  }
  if (result.IsError()) {
    return malformed("invalid JSON at offset " + std::to_string(result.Offset()) + ": " +
                     rapidjson::GetParseError_En(result.Code()));
  }
  if (parsed.surrogate) return malformed("invalid JSON: a \\u escape encodes a lone UTF-16 surrogate");
  if (parsed.end != payload_size) {
    // The in-situ stream ends at the first NUL, so a NUL byte would hide whatever follows it.
    return malformed("invalid JSON at offset " + std::to_string(parsed.end) + ": unexpected NUL byte");
  }
  return Status::ok();
}

}  // namespace

/// Fills an InboundEnvelope's fields (a friend of it).
struct EnvelopeFields {
  /// Copies the payload into the envelope's buffer and parses it in place; number literals too big for a double
  /// are rewritten to read as infinity (up to kMaxTooBigNumbers) and the copy parsed again.
  static detail::JsonParseOutcome parse(std::string_view payload, const JsonParseOptions& options,
                                        InboundEnvelope::Storage& storage) {
    std::array<std::size_t, kMaxTooBigNumbers> rewritten{};
    std::size_t count = 0;
    for (;;) {
      storage.text.assign(payload.data(), payload.size());
      for (std::size_t i = 0; i < count; ++i) rewrite_too_big_number(storage.text, rewritten[i]);
      *options.recovered = detail::RecoveredIds();
      detail::JsonParseOutcome parsed = detail::parse_json_in_place(storage.text.data(), *storage.document, options);
      if (parsed.result.Code() != rapidjson::kParseErrorNumberTooBig || count == rewritten.size()) return parsed;
      // The literal itself is intact: in-place parsing only rewrites strings before it.
      if (!rewrite_too_big_number(storage.text, parsed.result.Offset())) return parsed;
      rewritten[count++] = parsed.result.Offset();
    }
  }

  /// After a failed parse: the ids seen before the error, when valid UTF-8 and within their limits.
  static void recover(const detail::RecoveredIds& recovered, bool text_is_utf8, const EnvelopeLimits& limits,
                      InboundEnvelope& out) {
    // An id that is not valid UTF-8 could not be echoed in a valid reply; an over-long one must not be.
    auto usable = [&](std::string_view id, std::size_t limit) {
      const bool valid = text_is_utf8 || find_invalid_utf8(id) == std::string_view::npos;
      return valid && id.size() <= limit ? id : std::string_view();
    };
    out.tid_ = usable(recovered.tid, limits.max_id_length);
    out.bid_ = usable(recovered.bid, limits.max_id_length);
    out.method_ = usable(recovered.method, limits.max_method_length);
    out.gateway_ = usable(recovered.gateway, std::string_view::npos);
    out.has_bid_ = out.bid_.data() != nullptr;  // a recovered empty string still points into the text
    out.has_method_ = out.method_.data() != nullptr;
  }

  /// Reads every known top-level field, even after an error, so a reply can still echo the ids that were fine.
  static Status read(const rapidjson::Value& document, const EnvelopeLimits& limits, InboundEnvelope& out) {
    Status status;
    for (const auto& member : document.GetObject()) {
      const std::string_view key = view_of(member.name);
      Status field_status = read_text(key, member.value, limits, out);
      if (field_status) field_status = read_other(key, member.value, out);
      if (!field_status && status) status = std::move(field_status);
    }
    if (!status) out.data_ = &empty_object();
    return status;
  }

  /// tid, bid, method and gateway: strings (null is absent), ids and method within their limits.
  static Status read_text(std::string_view key, const rapidjson::Value& value, const EnvelopeLimits& limits,
                          InboundEnvelope& out) {
    std::string_view* field = key == "tid"       ? &out.tid_
                              : key == "bid"     ? &out.bid_
                              : key == "method"  ? &out.method_
                              : key == "gateway" ? &out.gateway_
                                                 : nullptr;
    if (field == nullptr) return Status::ok();
    const std::size_t limit = key == "method"    ? limits.max_method_length
                              : key == "gateway" ? std::string_view::npos
                                                 : limits.max_id_length;
    Status status;
    if (value.IsString() && value.GetStringLength() > limit) {
      *field = std::string_view();  // refused, and never echoed
      status = too_long(key, limit);
    } else if (value.IsString()) {
      *field = view_of(value);
    } else if (!value.IsNull()) {
      status = wrong_type(key, "a string", value);
    }
    if (field == &out.bid_) out.has_bid_ = value.IsString() && status.is_ok();
    if (field == &out.method_) out.has_method_ = value.IsString() && status.is_ok();
    return status;
  }

  /// timestamp, need_reply, seq and data.
  static Status read_other(std::string_view key, const rapidjson::Value& value, InboundEnvelope& out) {
    if (key == "timestamp" || key == "seq") {
      if (value.IsNull()) return Status::ok();
      if (!value.IsInt64()) return wrong_type(key, "an integer", value);
      if (key == "seq") {
        out.has_seq_ = true;
        out.seq_ = value.GetInt64();
      } else {
        out.timestamp_ = value.GetInt64();
      }
    } else if (key == "need_reply") {
      if (value.IsBool()) {
        out.need_reply_ = value.GetBool();
      } else if (value.IsInt64()) {
        out.need_reply_ = value.GetInt64() != 0;
      } else if (!value.IsNull()) {
        return wrong_type(key, "0, 1 or a boolean", value);
      }
    } else if (key == "data") {
      if (value.IsObject() || value.IsArray()) {
        out.data_ = &value;
      } else if (value.IsNull() || (value.IsString() && value.GetStringLength() == 0)) {
        out.data_ = &empty_object();  // the Java demo cloud sends "" for parameterless services
      } else {
        return wrong_type(key, "an object or array", value);
      }
    }
    return Status::ok();
  }
};

Status decode_envelope(std::string_view payload, const EnvelopeLimits& limits, InboundEnvelope& out) {
  out.clear_fields();
  if (payload.size() > limits.max_payload_bytes) {
    return malformed("payload of " + std::to_string(payload.size()) + " bytes exceeds limit " +
                     std::to_string(limits.max_payload_bytes));
  }
  if (!out.storage_) out.storage_ = std::make_unique<InboundEnvelope::Storage>();
  InboundEnvelope::Storage& storage = *out.storage_;

  // A DOM takes roughly 2-4 bytes of pool per payload byte for typical DJI messages.
  storage.prepare(payload.size() * 3);
  if (storage.text.capacity() > kMaxRetainedBytes && payload.size() <= kMaxRetainedBytes) {
    std::string().swap(storage.text);
  }

  std::size_t invalid_utf8_at = find_invalid_utf8(payload);  // parsed anyway, to recover the ids
  detail::RecoveredIds recovered;
  JsonParseOptions options;
  options.max_depth = limits.max_depth;
  options.object_only = true;
  options.copy_strings = false;  // they stay in storage.text
  options.recovered = &recovered;
  options.reader_stack = &storage.reader_stack;
  const detail::JsonParseOutcome parsed = EnvelopeFields::parse(payload, options, storage);
  storage.document_stack.trim(kMaxRetainedBytes);
  storage.reader_stack.trim(kMaxRetainedBytes);

  Status status = parse_verdict(parsed, invalid_utf8_at, payload.size(), limits.max_depth);
  if (!status) {
    EnvelopeFields::recover(recovered, invalid_utf8_at == std::string_view::npos, limits, out);
    return status;
  }
  return EnvelopeFields::read(*storage.document, limits, out);
}

}  // namespace docklink
