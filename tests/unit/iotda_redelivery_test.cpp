// IoTDA redelivery filter: a repeated request id is answered from the first answer, never run twice; bounded.
#include <string>

#include "iotda/redelivery_filter.hpp"

#include <CppUTest/TestHarness.h>

using docklink::iotda::TopicKind;
using docklink::iotda::detail::RedeliveryFilter;
using Seen = RedeliveryFilter::Seen;

TEST_GROUP(IotdaRedelivery){};

TEST(IotdaRedelivery, ARepeatIsHeldWhileRunningThenAnsweredFromTheFirstAnswer) {
  RedeliveryFilter filter(8, 60000);
  std::string answer;
  CHECK(filter.admit(TopicKind::kCommand, "r-1", 0, &answer) == Seen::kNew);
  CHECK(filter.admit(TopicKind::kCommand, "r-1", 2000, &answer) == Seen::kInProgress);  // the 2 s re-send
  filter.answered(TopicKind::kCommand, "r-1", R"({"result_code":0})");
  CHECK(filter.admit(TopicKind::kCommand, "r-1", 12000, &answer) == Seen::kAnswered);  // after a reconnect
  STRCMP_EQUAL(R"({"result_code":0})", answer.c_str());
}

TEST(IotdaRedelivery, TheSameIdOnAnotherKindIsAnotherRequest) {
  RedeliveryFilter filter(8, 60000);
  CHECK(filter.admit(TopicKind::kCommand, "r-1", 0, nullptr) == Seen::kNew);
  CHECK(filter.admit(TopicKind::kPropertySet, "r-1", 0, nullptr) == Seen::kNew);
  CHECK(filter.admit(TopicKind::kPropertyGet, "r-1", 0, nullptr) == Seen::kNew);
  CHECK(filter.admit(TopicKind::kPropertySet, "r-1", 1, nullptr) == Seen::kInProgress);
}

TEST(IotdaRedelivery, KindsWithoutARequestIdAreNeverKept) {
  RedeliveryFilter filter(8, 60000);
  CHECK(filter.admit(TopicKind::kMessageDown, "r-1", 0, nullptr) == Seen::kNew);
  CHECK(filter.admit(TopicKind::kMessageDown, "r-1", 1, nullptr) == Seen::kNew);
  CHECK(filter.admit(TopicKind::kCommand, "", 0, nullptr) == Seen::kNew);
  CHECK(filter.admit(TopicKind::kCommand, "", 1, nullptr) == Seen::kNew);
}

TEST(IotdaRedelivery, SystemEventsAreKeptByTheirEventIdOrPayloadKey) {
  RedeliveryFilter filter(8, 60000);
  CHECK(filter.admit(TopicKind::kEventsDown, "e-1", 0, nullptr) == Seen::kNew);
  filter.answered(TopicKind::kEventsDown, "e-1", {});
  CHECK(filter.admit(TopicKind::kEventsDown, "e-1", 1, nullptr) == Seen::kAnswered);
  CHECK(filter.admit(TopicKind::kEventsDown, "e-1", 60001, nullptr) == Seen::kNew);  // window passed
}

TEST(IotdaRedelivery, ForgetsAfterTheWindowAndBeyondCapacity) {
  RedeliveryFilter filter(2, 1000);
  CHECK(filter.admit(TopicKind::kCommand, "old", 0, nullptr) == Seen::kNew);
  CHECK(filter.admit(TopicKind::kCommand, "old", 1001, nullptr) == Seen::kNew);  // window passed
  CHECK(filter.admit(TopicKind::kCommand, "b", 1002, nullptr) == Seen::kNew);
  CHECK(filter.admit(TopicKind::kCommand, "c", 1003, nullptr) == Seen::kNew);  // "old" is the oldest: evicted
  CHECK(filter.admit(TopicKind::kCommand, "b", 1004, nullptr) == Seen::kInProgress);
  CHECK(filter.admit(TopicKind::kCommand, "old", 1005, nullptr) == Seen::kNew);
  filter.answered(TopicKind::kCommand, "forgotten", "x");  // never admitted: nothing to store, no crash
  CHECK(filter.admit(TopicKind::kCommand, "forgotten", 1006, nullptr) == Seen::kNew);
}
