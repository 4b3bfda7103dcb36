// Parsing an inbound IoTDA payload with the library's one depth-limited reader, plus the checks RapidJSON does
// not make (UTF-8, repeated member names, non-finite numbers).
#include "docklink/iotda/payload.hpp"

#include <rapidjson/error/en.h>

#include <string>

#include "json_checks.hpp"
#include "json_parse.hpp"

namespace docklink::iotda {

struct ParsedPayload::Storage {
  std::string text;  // the payload copy that in-place parsing points into
  detail::JsonDocument document;
  bool parsed = false;
};

namespace {

Status malformed(std::string message) { return Status(StatusCode::kMalformed, std::move(message)); }

Status verdict(const detail::JsonParseOutcome& parsed, std::size_t size, unsigned max_depth) {
  if (parsed.too_deep) return malformed("JSON nesting exceeds depth limit " + std::to_string(max_depth));
  if (parsed.not_object) return malformed("payload is not a JSON object");
  if (parsed.result.IsError()) {
    return malformed("invalid JSON at offset " + std::to_string(parsed.result.Offset()) + ": " +
                     rapidjson::GetParseError_En(parsed.result.Code()));
  }
  if (parsed.surrogate) return malformed("invalid JSON: a \\u escape encodes a lone UTF-16 surrogate");
  // In-place parsing stops at the first NUL, which would hide whatever follows it.
  if (parsed.end != size) return malformed("invalid JSON at offset " + std::to_string(parsed.end) + ": NUL byte");
  return Status::ok();
}

}  // namespace

ParsedPayload::ParsedPayload() = default;
ParsedPayload::~ParsedPayload() = default;
ParsedPayload::ParsedPayload(ParsedPayload&& other) noexcept = default;
ParsedPayload& ParsedPayload::operator=(ParsedPayload&& other) noexcept = default;

const rapidjson::Value& ParsedPayload::root() const noexcept {
  if (!storage_ || !storage_->parsed) return empty_json_object();
  return storage_->document;
}

Status ParsedPayload::parse(std::string_view payload, const PayloadLimits& limits) {
  if (!storage_) storage_ = std::make_unique<Storage>();
  storage_->parsed = false;
  if (payload.size() > limits.max_payload_bytes) {
    return malformed("payload of " + std::to_string(payload.size()) + " bytes exceeds limit " +
                     std::to_string(limits.max_payload_bytes));
  }
  const std::size_t bad_byte = detail::find_invalid_utf8(payload);
  if (bad_byte != std::string_view::npos) return malformed("invalid UTF-8 at offset " + std::to_string(bad_byte));
  storage_->text.assign(payload.data(), payload.size());
  detail::JsonParseOptions options;
  options.max_depth = limits.max_depth;
  options.object_only = true;
  options.copy_strings = false;  // the strings stay in `text`, which this object owns
  const detail::JsonParseOutcome parsed = detail::parse_json_in_place(&storage_->text[0], storage_->document, options);
  Status status = verdict(parsed, payload.size(), limits.max_depth);
  if (!status) return status;
  if (detail::has_repeated_member(storage_->document)) return malformed("an object names a member twice");
  if (detail::has_non_finite_number(storage_->document)) return malformed("a number is not finite");
  storage_->parsed = true;
  return Status::ok();
}

const rapidjson::Value& empty_json_object() noexcept {
  static const rapidjson::Value kEmpty(rapidjson::kObjectType);
  return kEmpty;
}

}  // namespace docklink::iotda
