// IoTDA topic table: every kind builds and parses back; hostile and foreign topics are refused with a reason.
#include <string>
#include <vector>

#include "docklink/iotda/topics.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::iotda::TopicKind;

namespace {

struct ExpectedTopic {
  TopicKind kind;
  const char* text;  // for device "gw_01" and, where the topic takes one, request id "r-1"
  bool downlink;
};

const ExpectedTopic kAllTopics[] = {
    {TopicKind::kMessageUp, "$oc/devices/gw_01/sys/messages/up", false},
    {TopicKind::kMessageDown, "$oc/devices/gw_01/sys/messages/down", true},
    {TopicKind::kCommand, "$oc/devices/gw_01/sys/commands/request_id=r-1", true},
    {TopicKind::kCommandResponse, "$oc/devices/gw_01/sys/commands/response/request_id=r-1", false},
    {TopicKind::kPropertiesReport, "$oc/devices/gw_01/sys/properties/report", false},
    {TopicKind::kGatewayPropertiesReport, "$oc/devices/gw_01/sys/gateway/sub_devices/properties/report", false},
    {TopicKind::kPropertySet, "$oc/devices/gw_01/sys/properties/set/request_id=r-1", true},
    {TopicKind::kPropertySetResponse, "$oc/devices/gw_01/sys/properties/set/response/request_id=r-1", false},
    {TopicKind::kPropertyGet, "$oc/devices/gw_01/sys/properties/get/request_id=r-1", true},
    {TopicKind::kPropertyGetResponse, "$oc/devices/gw_01/sys/properties/get/response/request_id=r-1", false},
    {TopicKind::kShadowGet, "$oc/devices/gw_01/sys/shadow/get/request_id=r-1", false},
    {TopicKind::kShadowGetResponse, "$oc/devices/gw_01/sys/shadow/get/response/request_id=r-1", true},
    {TopicKind::kEventsUp, "$oc/devices/gw_01/sys/events/up", false},
    {TopicKind::kEventsDown, "$oc/devices/gw_01/sys/events/down", true},
};

void check_rejected(const std::string& topic_text, const char* message_part) {
  auto parsed = docklink::iotda::parse_topic(topic_text);
  CHECK_FALSE_TEXT(parsed.is_ok(), topic_text.c_str());
  CHECK_TEXT(parsed.status().code() == StatusCode::kMalformed, topic_text.c_str());
  if (parsed.status().message().find(message_part) == std::string::npos) {
    FAIL(("'" + parsed.status().message() + "' lacks '" + message_part + "'").c_str());
  }
}

}  // namespace

TEST_GROUP(IotdaTopics){};

TEST(IotdaTopics, TableCoversEveryKindInOrder) {
  LONGS_EQUAL(docklink::iotda::kTopicKindCount, sizeof(kAllTopics) / sizeof(kAllTopics[0]));
  for (std::size_t i = 0; i < docklink::iotda::kTopicKindCount; ++i) {
    CHECK(kAllTopics[i].kind == static_cast<TopicKind>(i));
  }
}

TEST(IotdaTopics, EveryKindBuildsAndParsesBack) {
  std::string built;
  for (const auto& expected : kAllTopics) {
    const bool request = docklink::iotda::has_request_id(expected.kind);
    CHECK(docklink::iotda::build_topic(expected.kind, "gw_01", request ? "r-1" : "", built).is_ok());
    STRCMP_EQUAL(expected.text, built.c_str());
    auto parsed = docklink::iotda::parse_topic(built);
    CHECK_TEXT(parsed.is_ok(), parsed.status().message().c_str());
    CHECK(parsed.value().kind == expected.kind);
    CHECK(parsed.value().device_id == "gw_01");
    CHECK(parsed.value().request_id == (request ? "r-1" : ""));
    CHECK_EQUAL(expected.downlink, docklink::iotda::is_downlink(expected.kind));
  }
}

TEST(IotdaTopics, NamesAndInvalidKinds) {
  STRCMP_EQUAL("sys/commands/response", docklink::iotda::to_string(TopicKind::kCommandResponse));
  auto bogus = static_cast<TopicKind>(200);
  STRCMP_EQUAL("unknown", docklink::iotda::to_string(bogus));
  CHECK_FALSE(docklink::iotda::is_downlink(bogus));
  CHECK_FALSE(docklink::iotda::has_request_id(bogus));
  std::string out = "stale";
  CHECK(docklink::iotda::build_topic(bogus, "gw_01", "", out).code() == StatusCode::kInvalidArgument);
  CHECK(out.empty());
}

TEST(IotdaTopics, BuildRefusesBadIdentifiers) {
  std::string out;
  CHECK(docklink::iotda::build_topic(TopicKind::kCommandResponse, "gw_01", "", out).code() ==
        StatusCode::kInvalidArgument);  // the response must echo a request id
  CHECK(docklink::iotda::build_topic(TopicKind::kPropertiesReport, "gw_01", "r-1", out).code() ==
        StatusCode::kInvalidArgument);  // no request id belongs there
  CHECK(docklink::iotda::build_topic(TopicKind::kEventsUp, "gw/01", "", out).code() == StatusCode::kInvalidArgument);
  CHECK(docklink::iotda::build_topic(TopicKind::kEventsUp, "gw+", "", out).code() == StatusCode::kInvalidArgument);
  CHECK(docklink::iotda::build_topic(TopicKind::kEventsUp, "", "", out).code() == StatusCode::kInvalidArgument);
  CHECK(docklink::iotda::build_topic(TopicKind::kCommandResponse, "gw_01", "a/b", out).code() ==
        StatusCode::kInvalidArgument);
  CHECK(docklink::iotda::build_topic(TopicKind::kCommandResponse, "gw_01", "a#", out).code() ==
        StatusCode::kInvalidArgument);
  CHECK(out.empty());
}

TEST(IotdaTopics, IdentifierLengthLimits) {
  const std::string longest_id(docklink::defaults::kIotdaMaxDeviceIdLength, 'd');
  CHECK(docklink::iotda::validate_device_id(longest_id).is_ok());
  CHECK(docklink::iotda::validate_device_id(longest_id + "d").code() == StatusCode::kInvalidArgument);
  const std::string longest_request(docklink::defaults::kIotdaMaxRequestIdLength, 'r');
  CHECK(docklink::iotda::validate_request_id(longest_request).is_ok());
  CHECK(docklink::iotda::validate_request_id(longest_request + "r").code() == StatusCode::kInvalidArgument);
  // Platform ids are opaque: '=' and '.' are fine inside one.
  CHECK(docklink::iotda::validate_request_id("a=b.c").is_ok());
}

TEST(IotdaTopics, RejectsHostileTopics) {
  check_rejected("", "does not start with");
  check_rejected("/$oc/devices/gw_01/sys/events/down", "does not start with");
  check_rejected("$oc/device/gw_01/sys/events/down", "does not start with");
  check_rejected("$oc/devices/gw_01", "no level after the device id");
  check_rejected("$oc/devices//sys/events/down", "device id is empty");
  check_rejected("$oc/devices/gw.01/sys/events/down", "bad device id");
  check_rejected("$oc/devices/gw_01/sys/events/down/", "unknown topic levels");
  check_rejected("$oc/devices/gw_01/sys//events/down", "unknown topic levels");
  check_rejected("$oc/devices/gw_01/sys/events/sideways", "unknown topic levels");
  check_rejected("$oc/devices/gw_01/SYS/events/down", "unknown topic levels");
  check_rejected("$oc/devices/gw_01/user/drc_down", "unknown topic levels");
  // Request topics: the id is required, non-empty and the very last level.
  check_rejected("$oc/devices/gw_01/sys/commands", "without request_id=");
  check_rejected("$oc/devices/gw_01/sys/commands/request_id=", "request id is empty");
  check_rejected("$oc/devices/gw_01/sys/commands/request_id=r-1/extra", "forbidden byte");
  check_rejected("$oc/devices/gw_01/sys/commands/request_id", "unknown topic levels");
  check_rejected("$oc/devices/gw_01/sys/commands/xrequest_id=r-1", "unknown topic levels");
  check_rejected("$oc/devices/gw_01/sys/messages/down/request_id=r-1", "take none");
  check_rejected("$oc/devices/gw_01/sys/commands/request_id=a/request_id=b", "unknown topic levels");
  check_rejected("$oc/devices/gw_01/sys/commands/request_id=r\n1", "forbidden byte");
  check_rejected(std::string("$oc/devices/gw_01/sys/commands/request_id=r") + '\0' + "1", "forbidden byte");
  check_rejected(
      "$oc/devices/gw_01/sys/commands/request_id=" + std::string(docklink::defaults::kIotdaMaxRequestIdLength + 1, 'r'),
      "exceeds limit");
  // Not a substring search: a command topic nested under another device's tree is not a command.
  check_rejected("$oc/devices/gw_01/x/sys/commands/request_id=r-1", "unknown topic levels");
}

TEST(IotdaTopics, ViewsPointIntoTheParsedText) {
  const std::string text = "$oc/devices/prod_DOCK1/sys/properties/get/request_id=abc";
  auto parsed = docklink::iotda::parse_topic(text);
  CHECK(parsed.is_ok());
  CHECK(parsed.value().device_id.data() == text.data() + 12);
  CHECK(parsed.value().request_id.data() == text.data() + text.size() - 3);
}

TEST(IotdaTopics, OtherDevicesTopicsAreNotFound) {
  auto own = docklink::iotda::parse_own_topic("$oc/devices/gw_01/sys/events/down", "gw_01");
  CHECK(own.is_ok());
  auto foreign = docklink::iotda::parse_own_topic("$oc/devices/gw_02/sys/events/down", "gw_01");
  CHECK(foreign.status().code() == StatusCode::kNotFound);
  // A prefix of the own id is another device too.
  auto prefix = docklink::iotda::parse_own_topic("$oc/devices/gw_0/sys/events/down", "gw_01");
  CHECK(prefix.status().code() == StatusCode::kNotFound);
  // Malformed stays malformed, whoever it names.
  auto bad = docklink::iotda::parse_own_topic("$oc/devices/gw_01/sys/nothing", "gw_01");
  CHECK(bad.status().code() == StatusCode::kMalformed);
}

TEST(IotdaTopics, DownlinkFiltersMatchTheDownlinkKindsAndEchoesParseAsUplinks) {
  const std::vector<std::string> filters = docklink::iotda::downlink_filters("gw_01");
  LONGS_EQUAL(6, filters.size());
  STRCMP_EQUAL("$oc/devices/gw_01/sys/messages/down", filters[0].c_str());
  STRCMP_EQUAL("$oc/devices/gw_01/sys/commands/#", filters[1].c_str());
  STRCMP_EQUAL("$oc/devices/gw_01/sys/shadow/get/response/#", filters[4].c_str());
  STRCMP_EQUAL("$oc/devices/gw_01/sys/events/down", filters[5].c_str());
  // The dock's own command response matches "sys/commands/#"; it parses as an uplink kind, never as a command.
  auto echo = docklink::iotda::parse_topic("$oc/devices/gw_01/sys/commands/response/request_id=r-1");
  CHECK(echo.is_ok());
  CHECK(echo.value().kind == TopicKind::kCommandResponse);
  CHECK_FALSE(docklink::iotda::is_downlink(echo.value().kind));
}
