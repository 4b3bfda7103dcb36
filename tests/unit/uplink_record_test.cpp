#include <string>

#include "uplink_record.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink::detail;

TEST_GROUP(UplinkRecord){};

TEST(UplinkRecord, RoundTripKeepsEveryFieldAndAnyPayloadByte) {
  Uplink uplink;
  uplink.seq = 42;
  uplink.cls = UplinkClass::kRequest;
  uplink.kind = docklink::TopicKind::kRequests;
  uplink.qos = docklink::port::Qos::kAtLeastOnce;
  uplink.awaits_reply = true;
  uplink.tid = "tid-1";
  uplink.method = "config";
  uplink.topic = "thing/product/SN1/requests";
  uplink.payload = std::string("{\"a\":\"1:2\n3\"}\0x", 16);
  auto decoded = decode_uplink_record(encode_uplink_record(uplink));
  CHECK_TRUE(decoded.is_ok());
  const Uplink& out = decoded.value();
  LONGS_EQUAL(42, out.seq);
  CHECK(out.cls == UplinkClass::kRequest);
  CHECK(out.kind == docklink::TopicKind::kRequests);
  CHECK_TRUE(out.awaits_reply);
  STRCMP_EQUAL("config", out.method.c_str());
  STRCMP_EQUAL("thing/product/SN1/requests", out.topic.c_str());
  CHECK(out.payload == uplink.payload);
}

TEST(UplinkRecord, RejectsTruncatedAndForeignRecords) {
  Uplink uplink;
  uplink.payload = "hello";
  std::string record = encode_uplink_record(uplink);
  CHECK_FALSE(decode_uplink_record(record.substr(0, record.size() - 1)).is_ok());
  CHECK_FALSE(decode_uplink_record("garbage").is_ok());
  CHECK_FALSE(decode_uplink_record(record + "x").is_ok());
}

TEST(UplinkRecord, KeysSortInCreationOrderAndAreStoreSafe) {
  std::string a = uplink_store_key("SN/with+odd#chars", 9);
  std::string b = uplink_store_key("SN/with+odd#chars", 10);
  CHECK(a < b);
  for (char c : a) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.';
    CHECK_TRUE(safe);
  }
  CHECK_EQUAL(0u, a.rfind(uplink_store_prefix("SN/with+odd#chars"), 0));
}
