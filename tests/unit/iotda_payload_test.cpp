// ParsedPayload: what every IoTDA decoder refuses before looking at fields, always as kMalformed with a reason.
#include <string>

#include "docklink/iotda/commands.hpp"
#include "docklink/iotda/payload.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::iotda::ParsedPayload;
using docklink::iotda::PayloadLimits;

namespace {

void check_refused(const std::string& payload, const char* message_part, const PayloadLimits& limits = {}) {
  ParsedPayload parsed;
  docklink::Status status = parsed.parse(payload, limits);
  CHECK_TEXT(status.code() == StatusCode::kMalformed, payload.substr(0, 60).c_str());
  if (status.message().find(message_part) == std::string::npos) {
    FAIL(("'" + status.message() + "' lacks '" + message_part + "'").c_str());
  }
  CHECK(parsed.root().IsObject());
  CHECK(parsed.root().ObjectEmpty());  // a failed parse leaves nothing behind to read
}

}  // namespace

TEST_GROUP(IotdaPayload){};

TEST(IotdaPayload, ParsesAnObjectAndKeepsItAcrossMoves) {
  ParsedPayload parsed;
  CHECK(parsed.parse(R"({"a":"text","b":[1,2]})", {}).is_ok());
  const char* text = parsed.root()["a"].GetString();
  ParsedPayload moved(std::move(parsed));
  STRCMP_EQUAL("text", moved.root()["a"].GetString());
  CHECK(moved.root()["a"].GetString() == text);  // the views did not move
  CHECK(parsed.root().ObjectEmpty());            // NOLINT(bugprone-use-after-move): a moved-from payload is empty
}

TEST(IotdaPayload, RefusesWhatIsNotASafeJsonObject) {
  check_refused("", "invalid JSON");
  check_refused("[1,2]", "not a JSON object");
  check_refused("\"text\"", "not a JSON object");
  check_refused("{\"a\":1", "invalid JSON");
  check_refused("{\"a\":1} trailing", "invalid JSON");
  check_refused(std::string("{\"a\":1}\0{}", 10), "NUL byte");
  check_refused("{\"a\":\"\xC0\xAF\"}", "invalid UTF-8 at offset 6");      // overlong '/'
  check_refused("{\"a\":\"\xED\xA0\x80\"}", "invalid UTF-8 at offset 6");  // a UTF-16 surrogate as UTF-8
  check_refused("{\"a\":\"\xF0\x9F", "invalid UTF-8");                     // cut off at the end
  check_refused(R"({"a":"\udc00"})", "lone UTF-16 surrogate");
  check_refused(R"({"a":1,"a":2})", "names a member twice");
  check_refused(R"({"x":{"a":1,"a":2}})", "names a member twice");
  check_refused(R"({"a":1e999})", "invalid JSON");
}

TEST(IotdaPayload, SizeAndDepthLimits) {
  PayloadLimits limits;
  limits.max_payload_bytes = 16;
  check_refused(R"({"a":"0123456789"})", "18 bytes exceeds limit 16", limits);
  ParsedPayload parsed;
  CHECK(parsed.parse(R"({"a":"01234567"})", limits).is_ok());  // exactly 16 bytes

  limits = PayloadLimits();
  limits.max_depth = 3;
  CHECK(parsed.parse(R"({"a":{"b":{}}})", limits).is_ok());
  check_refused(R"({"a":{"b":{"c":{}}}})", "depth limit 3", limits);
  // Deep hostile nesting is stopped while parsing, not by recursion over a finished tree.
  const std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  check_refused(deep, "depth limit", PayloadLimits());
}

TEST(IotdaPayload, AReusedPayloadForgetsTheEarlierMessage) {
  ParsedPayload parsed;
  CHECK(parsed.parse(R"({"first":1})", {}).is_ok());
  CHECK_FALSE(parsed.parse("not json", {}).is_ok());
  CHECK(parsed.root().ObjectEmpty());
  CHECK(parsed.parse(R"({"second":2})", {}).is_ok());
  CHECK_FALSE(parsed.root().HasMember("first"));
}
