#include "drc_message.hpp"

#include <cmath>

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "json_read.hpp"
#include "json_write.hpp"

namespace docklink::sim {

namespace {

/// Whitespace after the document is skipped; everything else must be JSON. Encoding is validated because the
/// method is echoed back on drc/up. Not kParseFullPrecisionFlag: RapidJSON 1.1.0's exact path calls
/// __builtin_clzll(0) (undefined) on a zero mantissa with a large exponent such as "0e66" (found by fuzz_drc).
constexpr unsigned kParseFlags = rapidjson::kParseValidateEncodingFlag;

/// True when `text` holds a UTF-16 surrogate encoded as UTF-8 (ED A0..BF): RapidJSON 1.1.0 produces it from a
/// lone surrogate escape such as "\udc00" even with encoding validation on, and it is not UTF-8.
bool has_surrogate(const char* text, rapidjson::SizeType length) {
  for (rapidjson::SizeType i = 0; i + 1 < length; ++i) {
    if (static_cast<unsigned char>(text[i]) == 0xed && static_cast<unsigned char>(text[i + 1]) >= 0xa0) return true;
  }
  return false;
}

/// SAX filter between the reader and the document: stops the parse once the nesting passes the limit (so the
/// recursive reader never goes deeper) and notes the top-level method and seq as they stream past.
class DepthGuard {
 public:
  DepthGuard(DrcMessage& out, unsigned max_depth) : out_(out), max_depth_(max_depth) {}

  bool Null() { return value() && out_.document.Null(); }
  bool Bool(bool v) { return value() && out_.document.Bool(v); }
  bool Int(int v) { return number(v) && out_.document.Int(v); }
  bool Uint(unsigned v) { return number(v) && out_.document.Uint(v); }
  bool Int64(std::int64_t v) { return number(v) && out_.document.Int64(v); }
  bool Uint64(std::uint64_t v) { return value() && out_.document.Uint64(v); }
  // RapidJSON 1.1.0 turns some out-of-range numbers ("7777777777777773882e299") into infinity instead of
  // failing; JSON has no infinity, so the message is refused (found by fuzz_drc).
  bool Double(double v) { return std::isfinite(v) && value() && out_.document.Double(v); }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool copy) {
    return value() && out_.document.RawNumber(text, length, copy);
  }
  bool String(const char* text, rapidjson::SizeType length, bool copy) {
    if (has_surrogate(text, length)) return false;
    if (depth_ == 1 && key_ == TopKey::kMethod) out_.method.assign(text, length);
    return value() && out_.document.String(text, length, copy);
  }
  bool Key(const char* text, rapidjson::SizeType length, bool copy) {
    if (has_surrogate(text, length)) return false;
    if (depth_ == 1) {
      std::string_view key(text, length);
      key_ = key == "method" ? TopKey::kMethod : key == "seq" ? TopKey::kSeq : TopKey::kOther;
    }
    return out_.document.Key(text, length, copy);
  }
  bool StartObject() { return enter() && out_.document.StartObject(); }
  bool EndObject(rapidjson::SizeType count) {
    --depth_;
    return out_.document.EndObject(count);
  }
  bool StartArray() { return enter() && out_.document.StartArray(); }
  bool EndArray(rapidjson::SizeType count) {
    --depth_;
    return out_.document.EndArray(count);
  }

  bool too_deep() const { return too_deep_; }

 private:
  enum class TopKey : std::uint8_t { kOther, kMethod, kSeq };

  bool value() {
    key_ = TopKey::kOther;
    return true;
  }
  bool number(std::int64_t v) {
    if (depth_ == 1 && key_ == TopKey::kSeq) out_.seq = v;
    return value();
  }
  bool enter() {
    if (depth_ >= max_depth_) {
      too_deep_ = true;
      return false;
    }
    ++depth_;
    return value();
  }

  DrcMessage& out_;
  unsigned max_depth_;
  unsigned depth_ = 0;
  TopKey key_ = TopKey::kOther;
  bool too_deep_ = false;
};

}  // namespace

const char* to_string(DrcRefusal refusal) noexcept {
  switch (refusal) {
    case DrcRefusal::kNone:
      return "none";
    case DrcRefusal::kTooLarge:
      return "too_large";
    case DrcRefusal::kTooDeep:
      return "too_deep";
    case DrcRefusal::kMalformed:
      return "malformed";
    case DrcRefusal::kNotObject:
      return "not_object";
  }
  return "unknown";
}

const rapidjson::Value& DrcMessage::data() const {
  static const rapidjson::Value kEmpty(rapidjson::kObjectType);
  if (refusal != DrcRefusal::kNone) return kEmpty;
  const rapidjson::Value* found = samples::member(document, "data");
  return found != nullptr && found->IsObject() ? *found : kEmpty;
}

DrcRefusal parse_drc_message(std::string_view payload, DrcMessage& out, const DrcParseLimits& limits) {
  if (payload.size() > limits.max_bytes) return out.refusal = DrcRefusal::kTooLarge;
  DepthGuard guard(out, limits.max_depth);
  // A memory stream, not a NUL-terminated one: RapidJSON reads NUL as the end of input, so a document followed
  // by a NUL and garbage would pass. Tell() shows where the reader stopped; it must be the end of the payload.
  rapidjson::MemoryStream stream(payload.data(), payload.size());
  rapidjson::ParseResult result;
  auto generate = [&](rapidjson::Document&) {  // the guard already forwards to this document
    rapidjson::Reader reader;
    result = reader.Parse<kParseFlags>(stream, guard);
    return !result.IsError();
  };
  out.document.Populate(generate);
  if (guard.too_deep()) {
    out.document.SetNull();
    return out.refusal = DrcRefusal::kTooDeep;
  }
  if (result.IsError() || stream.Tell() != payload.size()) {
    out.document.SetNull();
    return out.refusal = DrcRefusal::kMalformed;
  }
  if (!out.document.IsObject()) {
    out.document.SetNull();
    return out.refusal = DrcRefusal::kNotObject;
  }
  // The document is the authority once whole (a repeated key: RapidJSON's lookup finds the first).
  out.method = samples::read_string(out.document, "method");
  out.seq = samples::read_int(out.document, "seq", -1);
  return out.refusal = DrcRefusal::kNone;
}

std::string drc_refusal_reply(std::string_view method, std::int32_t result) {
  if (method == "drone_control") {
    return samples::JsonBuilder().num("result", result).open_object("output").num("seq", -1).close_object().finish();
  }
  if (method == "drone_emergency_stop") return samples::JsonBuilder().num("result", result).finish();
  return {};
}

}  // namespace docklink::sim
