#include "json_parse.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include <rapidjson/reader.h>

namespace docklink::detail {

RetainedStackAllocator::~RetainedStackAllocator() { std::free(buffer_); }

void* RetainedStackAllocator::Realloc(void* original, std::size_t original_size, std::size_t new_size) {
  if (new_size <= capacity_) return buffer_;  // the stack always lives in buffer_ (or starts empty)
  void* grown = std::malloc(new_size);
  if (grown == nullptr) return nullptr;
  if (original != nullptr && original_size > 0) std::memcpy(grown, original, std::min(original_size, new_size));
  std::free(buffer_);
  buffer_ = grown;
  capacity_ = new_size;
  return buffer_;
}

void RetainedStackAllocator::trim(std::size_t keep_at_most) {
  if (capacity_ <= keep_at_most) return;
  std::free(buffer_);
  buffer_ = nullptr;
  capacity_ = 0;
}

namespace {

using Reader = rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>, RetainedStackAllocator>;

// Encoding is checked by the envelope decoder instead of kParseValidateEncodingFlag, which doubled decode time.
constexpr unsigned kParseFlags = rapidjson::kParseInsituFlag;

/// True when an unescaped string holds a UTF-16 surrogate (ED A0..BF ..). The envelope's raw payload is
/// validated up front, but RapidJSON 1.1.0 turns a lone low-surrogate escape such as "\udc00" into those bytes.
bool has_surrogate(const char* text, std::size_t length) noexcept {
  const char* end = text + length;
  for (const char* at = text; at < end;) {
    const void* found = std::memchr(at, 0xed, static_cast<std::size_t>(end - at));
    if (found == nullptr) return false;
    const char* lead = static_cast<const char*>(found);
    if (lead + 1 < end && static_cast<unsigned char>(lead[1]) >= 0xa0) return true;
    at = lead + 1;
  }
  return false;
}

/// Top-level keys whose string values a failed decode still reports.
enum class RecoverableKey : std::uint8_t { kNone, kTid, kBid, kMethod, kGateway };

RecoverableKey classify_key(std::string_view key) noexcept {
  if (key == "tid") return RecoverableKey::kTid;
  if (key == "bid") return RecoverableKey::kBid;
  if (key == "method") return RecoverableKey::kMethod;
  if (key == "gateway") return RecoverableKey::kGateway;
  return RecoverableKey::kNone;
}

/// SAX filter between the reader and the document: stops the parse as soon as the nesting exceeds the limit or
/// (when asked) the top level is not an object, and records top-level string ids as they stream past.
class GuardedHandler {
 public:
  GuardedHandler(JsonDocument& document, const JsonParseOptions& options, JsonParseOutcome& outcome)
      : document_(document), options_(options), outcome_(outcome) {}

  bool Null() { return scalar() && document_.Null(); }
  bool Bool(bool value) { return scalar() && document_.Bool(value); }
  bool Int(int value) { return scalar() && document_.Int(value); }
  bool Uint(unsigned value) { return scalar() && document_.Uint(value); }
  bool Int64(std::int64_t value) { return scalar() && document_.Int64(value); }
  bool Uint64(std::uint64_t value) { return scalar() && document_.Uint64(value); }
  bool Double(double value) { return scalar() && document_.Double(value); }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool copy) {
    return scalar() && document_.RawNumber(text, length, copy || options_.copy_strings);
  }
  bool String(const char* text, rapidjson::SizeType length, bool copy) {
    if (!scalar()) return false;
    // Parsing goes on after a surrogate so that later ids can still be recovered; the decode fails anyway.
    bool clean = !has_surrogate(text, length);
    outcome_.surrogate = outcome_.surrogate || !clean;
    if (depth_ == 1) remember(clean ? std::string_view(text, length) : std::string_view());
    return document_.String(text, length, copy || options_.copy_strings);
  }
  bool Key(const char* text, rapidjson::SizeType length, bool copy) {
    outcome_.surrogate = outcome_.surrogate || has_surrogate(text, length);
    if (depth_ == 1) pending_key_ = classify_key(std::string_view(text, length));
    return document_.Key(text, length, copy || options_.copy_strings);
  }
  bool StartObject() { return enter(true) && document_.StartObject(); }
  bool EndObject(rapidjson::SizeType count) {
    --depth_;
    return document_.EndObject(count);
  }
  bool StartArray() { return enter(false) && document_.StartArray(); }
  bool EndArray(rapidjson::SizeType count) {
    --depth_;
    return document_.EndArray(count);
  }

 private:
  // A scalar at depth 0 is a top level that is not an object; any value ends the pending top-level key.
  bool scalar() {
    if (depth_ == 0 && options_.object_only) {
      outcome_.not_object = true;
      return false;
    }
    return true;
  }

  bool enter(bool object) {
    if (depth_ == 0 && !object && options_.object_only) {
      outcome_.not_object = true;
      return false;
    }
    if (depth_ >= options_.max_depth) {
      outcome_.too_deep = true;
      return false;
    }
    if (depth_ == 1) pending_key_ = RecoverableKey::kNone;  // a nested value is never an id
    ++depth_;
    return true;
  }

  void remember(std::string_view value) {
    RecoveredIds* ids = options_.recovered;
    if (ids != nullptr) {
      switch (pending_key_) {
        case RecoverableKey::kTid:
          ids->tid = value;
          break;
        case RecoverableKey::kBid:
          ids->bid = value;
          break;
        case RecoverableKey::kMethod:
          ids->method = value;
          break;
        case RecoverableKey::kGateway:
          ids->gateway = value;
          break;
        case RecoverableKey::kNone:
          break;
      }
    }
    pending_key_ = RecoverableKey::kNone;
  }

  JsonDocument& document_;
  const JsonParseOptions& options_;
  JsonParseOutcome& outcome_;
  unsigned depth_ = 0;
  RecoverableKey pending_key_ = RecoverableKey::kNone;
};

}  // namespace

JsonParseOutcome parse_json_in_place(char* text, JsonDocument& document, const JsonParseOptions& options) {
  JsonParseOutcome outcome;
  GuardedHandler handler(document, options, outcome);
  rapidjson::InsituStringStream stream(text);
  auto generate = [&](JsonDocument&) {  // the handler already forwards to this document
    Reader reader(options.reader_stack);
    outcome.result = reader.Parse<kParseFlags>(stream, handler);
    return !outcome.result.IsError();
  };
  document.Populate(generate);
  outcome.end = stream.Tell();
  return outcome;
}

rapidjson::ParseResult parse_json(std::string_view json, JsonDocument& document) {
  std::string text(json);
  return parse_json_in_place(text.data(), document, JsonParseOptions()).result;
}

}  // namespace docklink::detail
