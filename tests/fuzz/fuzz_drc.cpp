// libFuzzer target for dock-sim's drc/down parser (samples/dock_simulator/drc_message.cpp). The input is one
// payload. Whatever is accepted must be a single JSON object within the limits that survives a write/parse
// round trip; whatever is refused must say why consistently with the limits and leave no document behind.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "drc_message.hpp"
#include "fuzz_checks.hpp"

namespace {

using docklink::fuzz::require;
using docklink::fuzz::same_json;
using docklink::sim::DrcMessage;
using docklink::sim::DrcParseLimits;
using docklink::sim::DrcRefusal;

std::string write(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  require(value.Accept(writer));
  return std::string(buffer.GetString(), buffer.GetSize());
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
