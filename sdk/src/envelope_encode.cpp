// Outbound envelope encoding by direct appends: no DOM and no temporary strings, so encoding into a reused
// buffer does not allocate.
#include <charconv>

#include "docklink/envelope.hpp"

namespace docklink {
namespace {

/// Appends `text` as a JSON string literal. Quotes, backslashes and control characters are escaped; other bytes
/// (including UTF-8 sequences) are copied as they are.
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run_start = 0;  // copy unescaped runs in one append
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
    out.append(text.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (byte) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default: {
        const char escape[] = {'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0x0fu]};
        out.append(escape, sizeof(escape));
        break;
      }
    }
  }
  out.append(text.data() + run_start, text.size() - run_start);
  out.push_back('"');
}

/// Grows `out` only when needed: before C++20 some standard libraries let reserve() shrink, which would
/// reallocate on every call.
void reserve_at_least(std::string& out, std::size_t size) {
  if (out.capacity() < size) out.reserve(size);
}

void append_integer(std::string& out, std::int64_t value) {
  char digits[24];
  auto converted = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, static_cast<std::size_t>(converted.ptr - digits));
}

}  // namespace

void encode_envelope(const OutboundEnvelope& envelope, std::string& out) {
  out.clear();
  // Field names, punctuation and numbers fit in 160 bytes; strings only grow when escaped.
  reserve_at_least(out, 160 + envelope.tid.size() + envelope.bid.size() + envelope.method.size() +
                            envelope.gateway.size() + envelope.data_json.size());
  out.append("{\"tid\":");
  append_json_string(out, envelope.tid);
  out.append(",\"bid\":");
  append_json_string(out, envelope.bid);
  out.append(",\"timestamp\":");
  append_integer(out, envelope.timestamp);
  if (!envelope.method.empty() || envelope.keep_empty_method) {
    out.append(",\"method\":");
    append_json_string(out, envelope.method);
  }
  if (!envelope.gateway.empty()) {
    out.append(",\"gateway\":");
    append_json_string(out, envelope.gateway);
  }
  if (envelope.need_reply >= 0) out.append(envelope.need_reply > 0 ? ",\"need_reply\":1" : ",\"need_reply\":0");
  if (envelope.has_seq) {
    out.append(",\"seq\":");
    append_integer(out, envelope.seq);
  }
  out.append(",\"data\":");
  if (envelope.data_json.empty()) {
    out.append("{}");
  } else {
    out.append(envelope.data_json);
  }
  out.push_back('}');
}

void encode_result_data(std::int32_t result, std::string_view output_json, std::string& out) {
  encode_result_data(result, output_json, {}, out);
}

void encode_result_data(std::int32_t result, std::string_view output_json, std::string_view flat_json,
                        std::string& out) {
  // The members of flat_json: the text between its outer braces, surrounding whitespace trimmed.
  const std::size_t open = flat_json.find_first_not_of(" \t\r\n");
  const std::size_t close = flat_json.find_last_not_of(" \t\r\n");
  std::string_view members;
  if (open != std::string_view::npos && flat_json[open] == '{' && flat_json[close] == '}' && close > open) {
    members = flat_json.substr(open + 1, close - open - 1);
    const std::size_t first = members.find_first_not_of(" \t\r\n");
    members = first == std::string_view::npos ? std::string_view() : members.substr(first);
  }
  out.clear();
  reserve_at_least(out, 32 + output_json.size() + members.size());
  out.append("{\"result\":");
  append_integer(out, result);
  if (!output_json.empty()) {
    out.append(",\"output\":");
    out.append(output_json);
  }
  if (!members.empty()) {
    out.push_back(',');
    out.append(members);
  }
  out.push_back('}');
}

}  // namespace docklink
