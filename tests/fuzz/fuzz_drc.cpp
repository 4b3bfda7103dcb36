// libFuzzer target for dock-sim's drc/down parser (samples/dock_simulator/drc_message.cpp). The input is one
// payload. Whatever is accepted must be a single JSON object within the limits that survives a write/parse
// round trip; whatever is refused must say why consistently with the limits and leave no document behind.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "drc_message.hpp"

namespace {

using docklink::sim::DrcMessage;
using docklink::sim::DrcParseLimits;
using docklink::sim::DrcRefusal;

void require(bool condition) {
  if (!condition) std::abort();  // libFuzzer reports the input that got here
}

std::string write(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  require(value.Accept(writer));
  return std::string(buffer.GetString(), buffer.GetSize());
}

/// Structural equality keeping member order, allowing for RapidJSON's default double parsing being off by a
/// few ULP (the exact mode is not used, see drc_message.cpp).
bool same_json(const rapidjson::Value& a, const rapidjson::Value& b) {
  if (a.IsNumber() && b.IsNumber()) {
    if (a.IsDouble() || b.IsDouble()) {
      double x = a.GetDouble(), y = b.GetDouble();
      return x == y || std::fabs(x - y) <= 1e-12 * std::max(std::fabs(x), std::fabs(y));
    }
    return a == b;
  }
  if (a.GetType() != b.GetType()) return false;
  if (a.IsObject()) {
    if (a.MemberCount() != b.MemberCount()) return false;
    for (auto left = a.MemberBegin(), right = b.MemberBegin(); left != a.MemberEnd(); ++left, ++right) {
      if (left->name != right->name || !same_json(left->value, right->value)) return false;
    }
    return true;
  }
  if (a.IsArray()) {
    if (a.Size() != b.Size()) return false;
    for (rapidjson::SizeType i = 0; i < a.Size(); ++i) {
      if (!same_json(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

// An accepted message written out and parsed again is accepted with the same method and content.
void check_round_trip(const DrcMessage& message) {
  std::string text = write(message.document);
  DrcParseLimits roomy;
  roomy.max_bytes = 16 * text.size() + 16;  // writing may lengthen numbers; the depth limit stays
  DrcMessage again;
  require(docklink::sim::parse_drc_message(text, again, roomy) == DrcRefusal::kNone);
  require(again.method == message.method);
  require(same_json(again.document, message.document));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view payload(reinterpret_cast<const char*>(data), size);
  DrcParseLimits limits;
  limits.max_bytes = 4096;  // smaller than dock-sim's, so that libFuzzer's inputs reach the size limit too
  DrcMessage message;
  DrcRefusal refusal = docklink::sim::parse_drc_message(payload, message, limits);
  require(refusal == message.refusal);
  require((refusal == DrcRefusal::kTooLarge) == (size > limits.max_bytes));
  require(message.data().IsObject());
  if (refusal == DrcRefusal::kNone) {
    require(message.document.IsObject());
    check_round_trip(message);
  } else {
    require(message.document.IsNull() && message.data().ObjectEmpty());
  }
  // A reply to a refused command is always a whole JSON object carrying the result.
  std::string reply = docklink::sim::drc_refusal_reply(message.method, 325001);
  if (!reply.empty()) {
    DrcMessage parsed;
    require(docklink::sim::parse_drc_message(R"({"data":)" + reply + "}", parsed) == DrcRefusal::kNone);
    require(parsed.data()["result"].GetInt() == 325001);
  }
  return 0;
}
