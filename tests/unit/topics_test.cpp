// Topic table (docs/protocol.md#topics): every kind builds and parses back; anything else is rejected.
#include <string>
#include <string_view>
#include <vector>

#include "docklink/topics.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::TopicKind;

namespace {

struct ExpectedTopic {
  TopicKind kind;
  const char* text;  // topic for SN "DOCK1"
  bool downlink;
};

const ExpectedTopic kAllTopics[] = {
    {TopicKind::kStatus, "sys/product/DOCK1/status", false},
    {TopicKind::kStatusReply, "sys/product/DOCK1/status_reply", true},
    {TopicKind::kOsd, "thing/product/DOCK1/osd", false},
    {TopicKind::kState, "thing/product/DOCK1/state", false},
    {TopicKind::kStateReply, "thing/product/DOCK1/state_reply", true},
    {TopicKind::kServices, "thing/product/DOCK1/services", true},
    {TopicKind::kServicesReply, "thing/product/DOCK1/services_reply", false},
    {TopicKind::kEvents, "thing/product/DOCK1/events", false},
    {TopicKind::kEventsReply, "thing/product/DOCK1/events_reply", true},
    {TopicKind::kRequests, "thing/product/DOCK1/requests", false},
    {TopicKind::kRequestsReply, "thing/product/DOCK1/requests_reply", true},
    {TopicKind::kPropertySet, "thing/product/DOCK1/property/set", true},
    {TopicKind::kPropertySetReply, "thing/product/DOCK1/property/set_reply", false},
    {TopicKind::kDrcUp, "thing/product/DOCK1/drc/up", false},
    {TopicKind::kDrcDown, "thing/product/DOCK1/drc/down", true},
};

void check_rejected(const std::string& topic_text, const char* message_part) {
  auto parsed = docklink::parse_topic(topic_text);
  CHECK_FALSE_TEXT(parsed.is_ok(), topic_text.c_str());
  CHECK(parsed.status().code() == StatusCode::kMalformed);
  if (parsed.status().message().find(message_part) == std::string::npos) {
    FAIL(("'" + parsed.status().message() + "' lacks '" + message_part + "'").c_str());
  }
}

}  // namespace

TEST_GROUP(Topics){};

TEST(Topics, TableCoversEveryKind) {
  LONGS_EQUAL(docklink::kTopicKindCount, sizeof(kAllTopics) / sizeof(kAllTopics[0]));
  for (std::size_t i = 0; i < docklink::kTopicKindCount; ++i) {
    CHECK(kAllTopics[i].kind == static_cast<TopicKind>(i));
  }
}

TEST(Topics, EveryKindBuildsAndParsesBack) {
  std::string built;
  for (const auto& expected : kAllTopics) {
    docklink::build_topic(expected.kind, "DOCK1", built);
    STRCMP_EQUAL(expected.text, built.c_str());
    STRCMP_EQUAL(expected.text, docklink::topic(expected.kind, "DOCK1").c_str());

    auto parsed = docklink::parse_topic(built);
    CHECK_TEXT(parsed.is_ok(), parsed.status().message().c_str());
    CHECK(parsed.value().kind == expected.kind);
    CHECK(parsed.value().sn == "DOCK1");
    CHECK_EQUAL(expected.downlink, docklink::is_downlink(expected.kind));
  }
}

TEST(Topics, ToStringNamesTheLevelsAfterTheSn) {
  STRCMP_EQUAL("services_reply", docklink::to_string(TopicKind::kServicesReply));
  STRCMP_EQUAL("property/set", docklink::to_string(TopicKind::kPropertySet));
  STRCMP_EQUAL("drc/down", docklink::to_string(TopicKind::kDrcDown));
  STRCMP_EQUAL("status", docklink::to_string(TopicKind::kStatus));
  STRCMP_EQUAL("unknown", docklink::to_string(static_cast<TopicKind>(200)));
  CHECK_FALSE(docklink::is_downlink(static_cast<TopicKind>(200)));
}

TEST(Topics, BuildOverwritesAndKeepsCapacity) {
  std::string out = "leftover text that is rather long, long enough to be on the heap";
  std::size_t capacity = out.capacity();
  docklink::build_topic(TopicKind::kOsd, "SN9", out);
  STRCMP_EQUAL("thing/product/SN9/osd", out.c_str());
  LONGS_EQUAL(capacity, out.capacity());
}

TEST(Topics, SnPointsIntoTheParsedText) {
  std::string text = "thing/product/1581F5BKD225D00BJ8T4/osd";
  auto parsed = docklink::parse_topic(text);
  CHECK(parsed.is_ok());
  CHECK(parsed.value().sn.data() == text.data() + 14);
  LONGS_EQUAL(20, parsed.value().sn.size());
}

TEST(Topics, RejectsMalformedTopics) {
  check_rejected("/thing/product/DOCK1/osd", "does not start with");
  check_rejected("thing/products/DOCK1/osd", "does not start with");
  check_rejected("thing/product/", "no level after the SN");
  check_rejected("thing/product/DOCK1", "no level after the SN");
  check_rejected("", "does not start with");
  check_rejected("thing/product//osd", "SN is empty");
  check_rejected("thing/product/DO+K1/osd", "forbidden character '+'");
  check_rejected("thing/product/DO#K1/osd", "forbidden character '#'");
  check_rejected("thing/product/" + std::string(65, 'A') + "/osd", "65 bytes exceeds limit 64");
  check_rejected("thing/product/DOCK1/telemetry", "unknown topic suffix");
  check_rejected("thing/product/DOCK1/osd/extra", "unknown topic suffix");
  check_rejected("thing/product/DOCK1/property/set/more", "unknown topic suffix");
  check_rejected("thing/product/DOCK1/property", "unknown topic suffix");
  check_rejected("thing/product/DOCK1/osd/", "unknown topic suffix");
  check_rejected("thing/product/DOCK1/", "unknown topic suffix");
  // Each prefix only carries its own suffixes.
  check_rejected("sys/product/DOCK1/osd", "unknown topic suffix");
  check_rejected("thing/product/DOCK1/status", "unknown topic suffix");
  check_rejected("thing/product/DOCK1/Osd", "unknown topic suffix");
  check_rejected(std::string("thing/product/DO\0K1/osd", 23), "control character 0");
  check_rejected("thing/product/DO\tK1/osd", "control character 9");
}

TEST(Topics, AcceptsSnAtTheLengthLimit) {
  std::string sn(docklink::defaults::kMaxSnLength, 'Z');
  std::string text = "thing/product/" + sn + "/events_reply";  // sn views this text, so it must outlive parsed
  auto parsed = docklink::parse_topic(text);
  CHECK_TEXT(parsed.is_ok(), parsed.status().message().c_str());
  CHECK(parsed.value().kind == TopicKind::kEventsReply);
  CHECK(parsed.value().sn == sn);
}

TEST(Topics, ValidateSnRules) {
  CHECK(docklink::validate_sn("1581F5BKD225D00BJ8T4").is_ok());
  CHECK(docklink::validate_sn("drc-sim_01.A").is_ok());
  CHECK(docklink::validate_sn("").code() == StatusCode::kInvalidArgument);
  CHECK(docklink::validate_sn("a/b").code() == StatusCode::kInvalidArgument);
  CHECK(docklink::validate_sn("a+b").code() == StatusCode::kInvalidArgument);
  CHECK(docklink::validate_sn("a#b").code() == StatusCode::kInvalidArgument);
  CHECK(docklink::validate_sn("a\x7f").code() == StatusCode::kInvalidArgument);
  CHECK(docklink::validate_sn(std::string(65, 'x')).code() == StatusCode::kInvalidArgument);
  STRCMP_EQUAL("SN contains forbidden character '/' at offset 1", docklink::validate_sn("a/b").message().c_str());
}
