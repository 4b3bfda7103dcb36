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
  uplink.created_wall_ms = 1765000000123;
  uplink.coalesce_key = "job.bid-1";
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
  CHECK_TRUE(out.created_wall_ms == 1765000000123);  // a restored message keeps its age
  STRCMP_EQUAL("job.bid-1", out.coalesce_key.c_str());
}

TEST(UplinkRecord, ReadsRecordsOfTheFirstFormat) {
  auto decoded = decode_uplink_record("4:dlq11:91:21:01:11:15:tid-14:name17:thing/product/S/x2:{}");
  CHECK_TRUE(decoded.is_ok());
  LONGS_EQUAL(9, decoded.value().seq);
  CHECK_TRUE(decoded.value().created_wall_ms == 0);
  STRCMP_EQUAL("thing/product/S/x", decoded.value().topic.c_str());
  STRCMP_EQUAL("{}", decoded.value().payload.c_str());
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

// Fuzz finding: a number field one past UINT64_MAX wrapped to 0 and the record was accepted.
TEST(UplinkRecord, RejectsANumberThatWouldWrap) {
  Uplink uplink;
  uplink.seq = 7;
  std::string record = encode_uplink_record(uplink);
  std::string seq_field = "1:7";
  std::size_t at = record.find(seq_field);
  CHECK(at != std::string::npos);
  record.replace(at, seq_field.size(), "20:18446744073709551616");
  CHECK_FALSE(decode_uplink_record(record).is_ok());
  std::string largest = encode_uplink_record(uplink);
  largest.replace(largest.find(seq_field), seq_field.size(), "20:18446744073709551615");
  CHECK_TRUE(decode_uplink_record(largest).is_ok());
}

// Fuzz finding: a 10-digit length such as 4294967301 is 5 once a 32-bit size_t wraps it.
TEST(UplinkRecord, RefusesLengthsBeyondTheRecordAndBeyond32Bits) {
  std::uint64_t value = 0;
  CHECK_FALSE(parse_decimal("4294967301", 0xFFFFFFFFu, value));
  CHECK_TRUE(parse_decimal("4294967295", 0xFFFFFFFFu, value));
  CHECK_TRUE(value == 4294967295u);
  CHECK_FALSE(parse_decimal("99999999999999999999", UINT64_MAX, value));
  CHECK_FALSE(parse_decimal("5", 4, value));
  CHECK_FALSE(parse_decimal("", 4, value));
  CHECK_FALSE(decode_uplink_record("4:dlq14294967301:hello").is_ok());
}
