// libFuzzer target for the inbound path: the input is "<topic>\n<payload>". The topic goes through
// parse_topic() and the payload through decode_envelope(); whatever decodes must survive an encode/decode
// round trip unchanged, and whatever parses as a topic must build back to the same text.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "docklink/envelope.hpp"
#include "docklink/topics.hpp"
#include "fuzz_checks.hpp"

namespace {

using docklink::fuzz::require;
using docklink::fuzz::same_json;

void check_topic(std::string_view topic_text) {
  auto parsed = docklink::parse_topic(topic_text);
  if (!parsed) {
    require(!parsed.status().message().empty());
    return;
  }
  require(docklink::validate_sn(parsed.value().sn).is_ok());
  require(docklink::topic(parsed.value().kind, parsed.value().sn) == topic_text);
}

/// True when `value` holds a number that is not finite: decode_envelope reads literals too big for a double as
/// infinity (so a property set can answer them per leaf), and JSON has no text for it.
bool has_non_finite(const rapidjson::Value& value) {
  if (value.IsDouble()) return !std::isfinite(value.GetDouble());
  if (value.IsArray()) {
    for (const auto& element : value.GetArray()) {
      if (has_non_finite(element)) return true;
    }
  }
  if (value.IsObject()) {
    for (const auto& member : value.GetObject()) {
      if (has_non_finite(member.value)) return true;
    }
  }
  return false;
}

void check_round_trip(const docklink::InboundEnvelope& decoded) {
  rapidjson::StringBuffer data_text;
  rapidjson::Writer<rapidjson::StringBuffer> writer(data_text);
  if (has_non_finite(decoded.data())) return;  // no JSON text to compare against
  require(decoded.data().Accept(writer));

  docklink::OutboundEnvelope outbound;
  outbound.tid = decoded.tid();
  outbound.bid = decoded.bid();
  outbound.timestamp = decoded.timestamp();
  outbound.method = decoded.method();
  outbound.gateway = decoded.gateway();
  outbound.need_reply = decoded.need_reply() ? 1 : 0;
  outbound.has_seq = decoded.has_seq();
  outbound.seq = decoded.seq();
  outbound.data_json = std::string_view(data_text.GetString(), data_text.GetSize());
  std::string encoded;
  docklink::encode_envelope(outbound, encoded);

  docklink::InboundEnvelope again;
  docklink::EnvelopeLimits unlimited;
  unlimited.max_payload_bytes = encoded.size();
  require(docklink::decode_envelope(encoded, unlimited, again).is_ok());
  require(again.tid() == decoded.tid());
  require(again.bid() == decoded.bid());
  require(again.method() == decoded.method());
  require(again.gateway() == decoded.gateway());
  require(again.timestamp() == decoded.timestamp());
  require(again.need_reply() == decoded.need_reply());
  require(again.has_seq() == decoded.has_seq() && again.seq() == decoded.seq());
  require(same_json(again.data(), decoded.data()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t newline = input.find('\n');
  std::string_view topic_text = newline == std::string_view::npos ? std::string_view() : input.substr(0, newline);
  std::string_view payload = newline == std::string_view::npos ? input : input.substr(newline + 1);

  check_topic(topic_text);

  // A long-lived envelope exercises buffer reuse across inputs, as a client decoding into one object would.
  static docklink::InboundEnvelope reused;
  docklink::EnvelopeLimits limits;
  limits.max_payload_bytes = 64 * 1024;
  limits.max_depth = 16;
  docklink::Status status = docklink::decode_envelope(payload, limits, reused);
  require(reused.data().IsObject() || reused.data().IsArray());
  if (status) {
    check_round_trip(reused);
  } else {
    require(status.code() == docklink::StatusCode::kMalformed && !status.message().empty());
  }
  return 0;
}
