// Envelope codec (docs/protocol.md#envelope): tolerant decoding of what real clouds send, strict rejection of what
// could hurt, exact encoding.
#include <cmath>
#include <string>
#include <string_view>
#include <utility>

#include <rapidjson/document.h>

#include "docklink/config_defaults.hpp"
#include "docklink/envelope.hpp"

#include <CppUTest/TestHarness.h>

using docklink::decode_envelope;
using docklink::EnvelopeLimits;
using docklink::InboundEnvelope;
using docklink::OutboundEnvelope;
using docklink::Status;
using docklink::StatusCode;

namespace {

Status decode(std::string_view payload, InboundEnvelope& out, EnvelopeLimits limits = EnvelopeLimits()) {
  return decode_envelope(payload, limits, out);
}

void check_malformed(const Status& status, const char* expected_message) {
  CHECK_FALSE(status.is_ok());
  CHECK(status.code() == StatusCode::kMalformed);
  STRCMP_EQUAL(expected_message, status.message().c_str());
}

void check_malformed_containing(const Status& status, const char* message_part) {
  CHECK_FALSE(status.is_ok());
  CHECK(status.code() == StatusCode::kMalformed);
  STRCMP_CONTAINS(message_part, status.message().c_str());
}

void check_empty_object(const rapidjson::Value& data) {
  CHECK(data.IsObject());
  LONGS_EQUAL(0, data.MemberCount());
}

std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

}  // namespace

TEST_GROUP(EnvelopeDecode){};

TEST(EnvelopeDecode, CanonicalServiceCall) {
  InboundEnvelope envelope;
  Status status =
      decode(R"({"tid":"6a7bfe89-c386-4043-b600-b518e10096cc","bid":"42a19f36-5117-4520-bd13-fd61d818d52e",)"
             R"("timestamp":1654070968655,"method":"flighttask_execute","gateway":"DOCK1","data":{"flight_id":"f1"}})",
             envelope);
  CHECK_TEXT(status.is_ok(), status.message().c_str());
  CHECK(envelope.tid() == "6a7bfe89-c386-4043-b600-b518e10096cc");
  CHECK(envelope.bid() == "42a19f36-5117-4520-bd13-fd61d818d52e");
  CHECK(envelope.method() == "flighttask_execute");
  CHECK(envelope.gateway() == "DOCK1");
  CHECK(envelope.timestamp() == 1654070968655LL);
  CHECK_FALSE(envelope.need_reply());
  CHECK_FALSE(envelope.has_seq());
  CHECK(envelope.data().IsObject());
  STRCMP_EQUAL("f1", envelope.data()["flight_id"].GetString());
}

TEST(EnvelopeDecode, DefaultEnvelopeIsEmpty) {
  InboundEnvelope envelope;
  CHECK(envelope.tid().empty());
  CHECK(envelope.method().empty());
  LONGS_EQUAL(0, envelope.timestamp());
  check_empty_object(envelope.data());
}

TEST(EnvelopeDecode, ParameterlessDataFormsAllReadAsEmptyObject) {
  const char* payloads[] = {
      R"({"tid":"t","bid":"b","timestamp":1,"method":"cover_open","data":{}})",
      R"({"tid":"t","bid":"b","timestamp":1,"method":"cover_open","data":""})",
      R"({"tid":"t","bid":"b","timestamp":1,"method":"cover_open","data":null})",
      R"({"tid":"t","bid":"b","timestamp":1,"method":"cover_open"})",
  };
  for (const char* payload : payloads) {
    InboundEnvelope envelope;
    Status status = decode(payload, envelope);
    CHECK_TEXT(status.is_ok(), payload);
    CHECK(envelope.method() == "cover_open");
    check_empty_object(envelope.data());
  }
}

TEST(EnvelopeDecode, ArrayDataIsKept) {
  InboundEnvelope envelope;
  CHECK(decode(R"({"method":"airsense_warning","data":[{"icao":"A1"},{"icao":"B2"}]})", envelope).is_ok());
  CHECK(envelope.data().IsArray());
  LONGS_EQUAL(2, envelope.data().Size());
  STRCMP_EQUAL("B2", envelope.data()[1]["icao"].GetString());
}

TEST(EnvelopeDecode, UnknownFieldsAndTimestampTypoAreIgnored) {
  InboundEnvelope envelope;
  Status status = decode(
      R"({"tid":"t1","bid":"b1","timestamp:":1654070968655,"method":"cover_open","extra":{"deep":[1,2,{"x":null}]},)"
      R"("need_reply":1,"data":{"k":1},"another":"x"})",
      envelope);
  CHECK_TEXT(status.is_ok(), status.message().c_str());
  LONGS_EQUAL(0, envelope.timestamp());  // only the typo key was present
  CHECK(envelope.need_reply());
  CHECK(envelope.tid() == "t1");
  LONGS_EQUAL(1, envelope.data()["k"].GetInt());
}

TEST(EnvelopeDecode, NeedReplyAsIntegerOrBoolean) {
  InboundEnvelope envelope;
  CHECK(decode(R"({"need_reply":1})", envelope).is_ok());
  CHECK(envelope.need_reply());
  CHECK(decode(R"({"need_reply":0})", envelope).is_ok());
  CHECK_FALSE(envelope.need_reply());
  CHECK(decode(R"({"need_reply":true})", envelope).is_ok());
  CHECK(envelope.need_reply());
  CHECK(decode(R"({"need_reply":false})", envelope).is_ok());
  CHECK_FALSE(envelope.need_reply());
  CHECK(decode(R"({})", envelope).is_ok());
  CHECK_FALSE(envelope.need_reply());
}

TEST(EnvelopeDecode, DrcSeqAtTopLevel) {
  InboundEnvelope envelope;
  CHECK(decode(R"({"seq":42,"method":"stick_control","data":{"roll":1024}})", envelope).is_ok());
  CHECK(envelope.has_seq());
  CHECK(envelope.seq() == 42);
  CHECK(envelope.tid().empty());
  CHECK(decode(R"({"method":"heart_beat","data":{"timestamp":5}})", envelope).is_ok());
  CHECK_FALSE(envelope.has_seq());
  CHECK(envelope.seq() == 0);
}

TEST(EnvelopeDecode, NullFieldsCountAsAbsent) {
  InboundEnvelope envelope;
  Status status = decode(
      R"({"tid":"t","bid":null,"timestamp":null,"method":null,"gateway":null,"need_reply":null,"seq":null})", envelope);
  CHECK_TEXT(status.is_ok(), status.message().c_str());
  CHECK(envelope.tid() == "t");
  CHECK(envelope.bid().empty());
  CHECK(envelope.method().empty());
  LONGS_EQUAL(0, envelope.timestamp());
  CHECK_FALSE(envelope.has_seq());
}

TEST(EnvelopeDecode, EscapedStringsAreUnescaped) {
  InboundEnvelope envelope;
  CHECK(decode(R"({"tid":"a\"b\\c\u0041\n","method":"\u00e9t\u00e9"})", envelope).is_ok());
  CHECK(envelope.tid() == "a\"b\\cA\n");
  CHECK(envelope.method() == "\xc3\xa9t\xc3\xa9");
}

TEST(EnvelopeDecode, ReusedEnvelopeForgetsThePreviousMessage) {
  InboundEnvelope envelope;
  CHECK(decode(R"({"tid":"first","method":"m1","need_reply":1,"seq":3,"gateway":"G","timestamp":9,"data":{"a":1}})",
               envelope)
            .is_ok());
  CHECK(decode(R"({"bid":"second","data":[true]})", envelope).is_ok());
  CHECK(envelope.tid().empty());
  CHECK(envelope.bid() == "second");
  CHECK(envelope.method().empty());
  CHECK(envelope.gateway().empty());
  CHECK_FALSE(envelope.need_reply());
  CHECK_FALSE(envelope.has_seq());
  LONGS_EQUAL(0, envelope.timestamp());
  CHECK(envelope.data().IsArray());
  // A large message and then a small one again through the same buffers.
  std::string big = R"({"tid":"big","data":{"list":[)";
  for (int i = 0; i < 20000; ++i) big += (i == 0 ? "" : ",") + std::to_string(i);
  big += "]}}";
  CHECK(decode(big, envelope).is_ok());
  LONGS_EQUAL(20000, envelope.data()["list"].Size());
  LONGS_EQUAL(19999, envelope.data()["list"][19999].GetInt());
  CHECK(decode(R"({"tid":"small","data":{"x":"y"}})", envelope).is_ok());
  CHECK(envelope.tid() == "small");
  STRCMP_EQUAL("y", envelope.data()["x"].GetString());
}

TEST(EnvelopeDecode, MovedEnvelopeKeepsItsData) {
  InboundEnvelope source;
  CHECK(decode(R"({"tid":"t","method":"m","data":{"v":7}})", source).is_ok());
  InboundEnvelope moved(std::move(source));
  CHECK(moved.tid() == "t");
  LONGS_EQUAL(7, moved.data()["v"].GetInt());
  CHECK(source.tid().empty());  // NOLINT(bugprone-use-after-move): moved-from state is defined
  check_empty_object(source.data());
  InboundEnvelope assigned;
  assigned = std::move(moved);
  CHECK(assigned.method() == "m");
  LONGS_EQUAL(7, assigned.data()["v"].GetInt());
}

TEST(EnvelopeDecode, OversizePayloadIsRejectedBeforeParsing) {
  InboundEnvelope envelope;
  EnvelopeLimits limits;
  limits.max_payload_bytes = 32;
  std::string payload = R"({"tid":"t","data":{"pad":"0123456789"}})";
  check_malformed(decode(payload, envelope, limits),
                  ("payload of " + std::to_string(payload.size()) + " bytes exceeds limit 32").c_str());
  CHECK(envelope.tid().empty());
  check_malformed(decode(std::string(docklink::defaults::kMaxInboundPayloadBytes + 1, ' '), envelope),
                  "payload of 262145 bytes exceeds limit 262144");
}

TEST(EnvelopeDecode, NestingUpToTheLimitIsAccepted) {
  InboundEnvelope envelope;
  // The envelope object is level 1, so data can hold limit - 1 levels.
  std::string payload = R"({"tid":"t","data":)" + nested_arrays(docklink::defaults::kMaxJsonDepth - 1) + "}";
  Status status = decode(payload, envelope);
  CHECK_TEXT(status.is_ok(), status.message().c_str());
  CHECK(envelope.data().IsArray());
  payload = R"({"tid":"t","data":)" + nested_arrays(docklink::defaults::kMaxJsonDepth) + "}";
  check_malformed(decode(payload, envelope), "JSON nesting exceeds depth limit 32");
}

TEST(EnvelopeDecode, HundredNestedArraysAreRejected) {
  InboundEnvelope envelope;
  check_malformed(decode(R"({"tid":"t1","method":"cover_open","data":)" + nested_arrays(100) + "}", envelope),
                  "JSON nesting exceeds depth limit 32");
  CHECK(envelope.tid() == "t1");
  CHECK(envelope.method() == "cover_open");
  check_empty_object(envelope.data());
}

TEST(EnvelopeDecode, NestingAttackDoesNotExhaustTheStack) {
  InboundEnvelope envelope;
  // 200 KB of unterminated nesting, within the default size limit.
  std::string attack = R"({"tid":"t2","data":)" + std::string(200 * 1024, '[');
  check_malformed(decode(attack, envelope), "JSON nesting exceeds depth limit 32");
  CHECK(envelope.tid() == "t2");
  // 1 MB of nested objects with a generous size limit and a large depth limit: still bounded.
  EnvelopeLimits limits;
  limits.max_payload_bytes = 2u * 1024u * 1024u;
  limits.max_depth = 1000;
  std::string objects = "{";
  while (objects.size() < 1024u * 1024u) objects += R"("a":{)";
  check_malformed(decode(objects, envelope, limits), "JSON nesting exceeds depth limit 1000");
}

TEST(EnvelopeDecode, WrongFieldTypesNameTheField) {
  InboundEnvelope envelope;
  check_malformed(decode(R"({"tid":12,"data":{}})", envelope), "field 'tid' must be a string, got number");
  check_malformed(decode(R"({"bid":[],"data":{}})", envelope), "field 'bid' must be a string, got array");
  check_malformed(decode(R"({"method":{},"data":{}})", envelope), "field 'method' must be a string, got object");
  check_malformed(decode(R"({"gateway":true})", envelope), "field 'gateway' must be a string, got boolean");
  check_malformed(decode(R"({"timestamp":"1654070968655"})", envelope),
                  "field 'timestamp' must be an integer, got string");
  check_malformed(decode(R"({"timestamp":1.5})", envelope), "field 'timestamp' must be an integer, got number");
  check_malformed(decode(R"({"timestamp":18446744073709551615})", envelope),
                  "field 'timestamp' must be an integer, got number");
  check_malformed(decode(R"({"need_reply":"1"})", envelope),
                  "field 'need_reply' must be 0, 1 or a boolean, got string");
  check_malformed(decode(R"({"seq":"7"})", envelope), "field 'seq' must be an integer, got string");
  check_malformed(decode(R"({"data":5})", envelope), "field 'data' must be an object or array, got number");
  check_malformed(decode(R"({"data":false})", envelope), "field 'data' must be an object or array, got boolean");
  check_malformed(decode(R"({"data":"x"})", envelope), "field 'data' must be an object or array, got string");
  check_empty_object(envelope.data());
}

TEST(EnvelopeDecode, WrongTypeStillRecoversTheOtherFields) {
  InboundEnvelope envelope;
  check_malformed(decode(R"({"tid":"t3","bid":"b3","timestamp":"soon","method":"cover_close","data":7})", envelope),
                  "field 'timestamp' must be an integer, got string");  // the first error is reported
  CHECK(envelope.tid() == "t3");
  CHECK(envelope.bid() == "b3");
  CHECK(envelope.method() == "cover_close");
  check_empty_object(envelope.data());
}

TEST(EnvelopeDecode, InvalidJsonIsRejected) {
  InboundEnvelope envelope;
  check_malformed(decode(R"({"tid":"t","data":{})", envelope),
                  "invalid JSON at offset 20: Missing a comma or '}' after an object member.");
  check_malformed_containing(decode(R"({"tid":"t"} trailing)", envelope), "The document root must not be followed");
  check_malformed_containing(decode(R"({"tid":"t"}{})", envelope), "invalid JSON at offset 11");
  check_malformed(decode("", envelope), "invalid JSON at offset 0: The document is empty.");
  check_malformed_containing(decode(R"({'tid':'t'})", envelope), "invalid JSON at offset 1");
  check_malformed(decode("{\"tid\":\"\xff\"}", envelope), "invalid UTF-8 at offset 8");
  check_malformed(decode(std::string(R"({"tid":"t"})"
                                     "\0"
                                     "garbage",
                                     19),
                         envelope),
                  "invalid JSON at offset 11: unexpected NUL byte");
}

TEST(EnvelopeDecode, Utf8IsValidated) {
  InboundEnvelope envelope;
  // Well-formed 2, 3 and 4 byte sequences pass, also past the 8-byte fast path.
  Status status =
      decode("{\"method\":\"cover_open\",\"data\":{\"name\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x9a\x81\"}}", envelope);
  CHECK_TEXT(status.is_ok(), status.message().c_str());
  STRCMP_EQUAL("\xc3\xa9\xe2\x82\xac\xf0\x9f\x9a\x81", envelope.data()["name"].GetString());
  const char* bad_sequences[] = {
      "\xc0\xaf",          // overlong '/'
      "\xe0\x80\xaf",      // overlong
      "\xed\xa0\x80",      // surrogate
      "\xf4\x90\x80\x80",  // above U+10FFFF
      "\xf8\x88\x80\x80",  // 5-byte form
      "\xc3",              // truncated
      "\x80",              // stray continuation
  };
  for (const char* bad : bad_sequences) {
    std::string payload = std::string(R"({"tid":"t5","method":"m","data":{"name":"abc)") + bad + "\"}}";
    check_malformed(decode(payload, envelope), "invalid UTF-8 at offset 44");
    CHECK(envelope.tid() == "t5");  // ids are still recovered
  }
  check_malformed(decode("{\"tid\":\"bad\xff\",\"method\":\"m\"}", envelope), "invalid UTF-8 at offset 11");
  CHECK(envelope.tid().empty());  // not echoable, so not recovered
  CHECK(envelope.method() == "m");
}

TEST(EnvelopeDecode, LoneSurrogateEscapesAreRejected) {
  InboundEnvelope envelope;
  check_malformed(decode(R"({"tid":"a\udc00","method":"m"})", envelope),
                  "invalid JSON: a \\u escape encodes a lone UTF-16 surrogate");
  CHECK(envelope.tid().empty());  // an id that cannot be echoed as valid UTF-8 is not recovered
  CHECK(envelope.method() == "m");
  check_malformed(decode(R"({"data":{"\udfff":1}})", envelope),
                  "invalid JSON: a \\u escape encodes a lone UTF-16 surrogate");
  check_malformed_containing(decode(R"({"tid":"\ud800x"})", envelope), "surrogate");  // caught by RapidJSON
  // A proper pair is fine.
  Status status = decode(R"({"tid":"\ud83d\ude81"})", envelope);
  CHECK_TEXT(status.is_ok(), status.message().c_str());
  CHECK(envelope.tid() == "\xf0\x9f\x9a\x81");
}

TEST(EnvelopeDecode, TopLevelMustBeAnObject) {
  InboundEnvelope envelope;
  check_malformed(decode("[]", envelope), "payload is not a JSON object");
  check_malformed(decode(R"("tid")", envelope), "payload is not a JSON object");
  check_malformed(decode("42", envelope), "payload is not a JSON object");
  check_malformed(decode("null", envelope), "payload is not a JSON object");
  check_malformed(decode(nested_arrays(100000), envelope), "payload is not a JSON object");
}

TEST(EnvelopeDecode, TruncatedMessageStillRecoversIds) {
  InboundEnvelope envelope;
  check_malformed_containing(
      decode(R"({"tid":"t4","bid":"b4","method":"cover_open","gateway":"G1","data":{"a":)", envelope), "invalid JSON");
  CHECK(envelope.tid() == "t4");
  CHECK(envelope.bid() == "b4");
  CHECK(envelope.method() == "cover_open");
  CHECK(envelope.gateway() == "G1");
  check_empty_object(envelope.data());
  // Nested keys named like ids are not taken for the envelope's.
  check_malformed_containing(decode(R"({"data":{"tid":"inner","method":"inner"},"x":)", envelope), "invalid JSON");
  CHECK(envelope.tid().empty());
  CHECK(envelope.method().empty());
}

TEST(EnvelopeDecode, IdsAndMethodUpToTheirLimitsAreKept) {
  InboundEnvelope envelope;
  const std::string tid(docklink::defaults::kMaxIdLength, 't');
  const std::string method(docklink::defaults::kMaxMethodLength, 'm');
  CHECK_TRUE(
      decode(R"({"tid":")" + tid + R"(","bid":")" + tid + R"(","method":")" + method + R"(","data":{}})", envelope)
          .is_ok());
  LONGS_EQUAL(tid.size(), envelope.tid().size());
  LONGS_EQUAL(method.size(), envelope.method().size());
}

TEST(EnvelopeDecode, OverLongIdsAreRefusedAndNotRecovered) {
  InboundEnvelope envelope;
  const std::string long_id(docklink::defaults::kMaxIdLength + 1, 'x');
  check_malformed_containing(decode(R"({"tid":")" + long_id + R"(","bid":"b","method":"m","data":{}})", envelope),
                             "'tid' is longer than");
  CHECK_TRUE(envelope.tid().empty());
  STRCMP_EQUAL("b", std::string(envelope.bid()).c_str());
  check_malformed_containing(decode(R"({"tid":"t","bid":")" + long_id + R"(","method":"m","data":{}})", envelope),
                             "'bid' is longer than");
  CHECK_TRUE(envelope.bid().empty());
  STRCMP_EQUAL("t", std::string(envelope.tid()).c_str());
  const std::string long_method(docklink::defaults::kMaxMethodLength + 1, 'm');
  check_malformed_containing(decode(R"({"tid":"t","bid":"b","method":")" + long_method + R"("})", envelope),
                             "'method' is longer than");
  CHECK_TRUE(envelope.method().empty());
  CHECK_FALSE(envelope.has_method());
  // Also when the JSON is broken and the ids come from the recovery.
  CHECK_FALSE(decode(R"({"tid":")" + long_id + R"(","bid":"b","data":{)", envelope).is_ok());
  CHECK_TRUE(envelope.tid().empty());
}

TEST(EnvelopeDecode, PresenceOfBidAndMethodIsKnown) {
  InboundEnvelope envelope;
  CHECK_TRUE(decode(R"({"tid":"t","method":"","data":{}})", envelope).is_ok());
  CHECK_FALSE(envelope.has_bid());
  CHECK_TRUE(envelope.has_method());
  CHECK_TRUE(decode(R"({"tid":"t","bid":"","method":null})", envelope).is_ok());
  CHECK_TRUE(envelope.has_bid());
  CHECK_FALSE(envelope.has_method());
}

TEST_GROUP(EnvelopeEncode){};

TEST(EnvelopeEncode, AllFieldsInOrder) {
  OutboundEnvelope envelope;
  envelope.tid = "t";
  envelope.bid = "b";
  envelope.timestamp = 1654070968700;
  envelope.method = "cover_open";
  envelope.gateway = "DOCK1";
  envelope.need_reply = 1;
  envelope.has_seq = true;
  envelope.seq = 12;
  envelope.data_json = R"({"result":0})";
  std::string out;
  docklink::encode_envelope(envelope, out);
  STRCMP_EQUAL(
      R"({"tid":"t","bid":"b","timestamp":1654070968700,"method":"cover_open","gateway":"DOCK1","need_reply":1,)"
      R"("seq":12,"data":{"result":0}})",
      out.c_str());
}

TEST(EnvelopeEncode, OptionalFieldsAreOmitted) {
  OutboundEnvelope envelope;
  envelope.tid = "t";
  envelope.bid = "b";
  envelope.timestamp = 5;
  std::string out;
  docklink::encode_envelope(envelope, out);
  STRCMP_EQUAL(R"({"tid":"t","bid":"b","timestamp":5,"data":{}})", out.c_str());

  envelope.need_reply = 0;
  envelope.seq = 99;  // ignored without has_seq
  docklink::encode_envelope(envelope, out);
  STRCMP_EQUAL(R"({"tid":"t","bid":"b","timestamp":5,"need_reply":0,"data":{}})", out.c_str());

  envelope.need_reply = 7;  // any positive value means "reply"
  envelope.has_seq = true;
  envelope.seq = -3;
  envelope.timestamp = -1;
  envelope.data_json = "[1,2]";
  docklink::encode_envelope(envelope, out);
  STRCMP_EQUAL(R"({"tid":"t","bid":"b","timestamp":-1,"need_reply":1,"seq":-3,"data":[1,2]})", out.c_str());
}

TEST(EnvelopeEncode, StringsAreEscaped) {
  OutboundEnvelope envelope;
  envelope.tid = "q\"b\\s/";
  envelope.bid = std::string_view("\x01\x1f\b\f\n\r\t\0", 8);
  envelope.method = "m\"x";
  envelope.gateway = "\xc3\xa9";  // UTF-8 passes through
  std::string out;
  docklink::encode_envelope(envelope, out);
  STRCMP_EQUAL(R"({"tid":"q\"b\\s/","bid":"\u0001\u001f\b\f\n\r\t\u0000","timestamp":0,"method":"m\"x",)"
               "\"gateway\":\"\xc3\xa9\",\"data\":{}}",
               out.c_str());
  rapidjson::Document check;
  check.Parse(out.data(), out.size());
  CHECK_FALSE(check.HasParseError());
  CHECK(std::string_view(check["bid"].GetString(), check["bid"].GetStringLength()) == envelope.bid);
  STRCMP_EQUAL("q\"b\\s/", check["tid"].GetString());
}

TEST(EnvelopeEncode, OverwritesAndReusesCapacity) {
  std::string out(200, 'x');
  std::size_t capacity = out.capacity();
  OutboundEnvelope envelope;
  envelope.tid = "t";
  docklink::encode_envelope(envelope, out);
  STRCMP_EQUAL(R"({"tid":"t","bid":"","timestamp":0,"data":{}})", out.c_str());
  LONGS_EQUAL(capacity, out.capacity());
}

TEST(EnvelopeEncode, RoundTripsThroughDecode) {
  OutboundEnvelope outbound;
  outbound.tid = "tid-\"1\"";
  outbound.bid = "bid-1";
  outbound.timestamp = 1670422793916;
  outbound.method = "cover_open";
  outbound.gateway = "DOCK1";
  outbound.need_reply = 1;
  outbound.has_seq = true;
  outbound.seq = 77;
  outbound.data_json = R"({"result":0,"output":{"status":"in_progress"}})";
  std::string text;
  docklink::encode_envelope(outbound, text);
  InboundEnvelope inbound;
  Status status = decode(text, inbound);
  CHECK_TEXT(status.is_ok(), status.message().c_str());
  CHECK(inbound.tid() == outbound.tid);
  CHECK(inbound.bid() == outbound.bid);
  CHECK(inbound.timestamp() == outbound.timestamp);
  CHECK(inbound.method() == outbound.method);
  CHECK(inbound.gateway() == outbound.gateway);
  CHECK(inbound.need_reply());
  CHECK(inbound.seq() == 77);
  STRCMP_EQUAL("in_progress", inbound.data()["output"]["status"].GetString());
}

TEST(EnvelopeEncode, ResultData) {
  std::string out = "old";
  docklink::encode_result_data(0, {}, out);
  STRCMP_EQUAL(R"({"result":0})", out.c_str());
  docklink::encode_result_data(325001, R"({"status":"in_progress"})", out);
  STRCMP_EQUAL(R"({"result":325001,"output":{"status":"in_progress"}})", out.c_str());
  docklink::encode_result_data(-1, R"("bad parameter")", out);
  STRCMP_EQUAL(R"({"result":-1,"output":"bad parameter"})", out.c_str());
  docklink::encode_result_data(-2147483647 - 1, {}, out);
  STRCMP_EQUAL(R"({"result":-2147483648})", out.c_str());
}

TEST(EnvelopeEncode, ResultDataWithFlatMembers) {
  std::string out;
  docklink::encode_result_data(0, {}, R"( {"files":[{"module":"3"}]} )", out);
  STRCMP_EQUAL(R"({"result":0,"files":[{"module":"3"}]})", out.c_str());
  docklink::encode_result_data(0, R"({"a":1})", R"({"b":2,"c":3})", out);
  STRCMP_EQUAL(R"({"result":0,"output":{"a":1},"b":2,"c":3})", out.c_str());
  docklink::encode_result_data(0, {}, "{ }", out);  // an empty object adds nothing
  STRCMP_EQUAL(R"({"result":0})", out.c_str());
  docklink::encode_result_data(0, {}, R"(["not","an","object"])", out);  // ignored
  STRCMP_EQUAL(R"({"result":0})", out.c_str());
}

TEST(EnvelopeDecode, TooBigNumbersReadAsInfinityForTheCheckersToRefuse) {
  InboundEnvelope envelope;
  CHECK_TRUE(decode(R"({"tid":"t","data":{"v":1e309,"w":-1E400,"x":[2e308]}})", envelope).is_ok());
  const rapidjson::Value& data = envelope.data();
  CHECK(data["v"].IsDouble() && data["v"].GetDouble() > 0 && std::isinf(data["v"].GetDouble()));
  CHECK(data["w"].IsDouble() && data["w"].GetDouble() < 0 && std::isinf(data["w"].GetDouble()));
  STRCMP_EQUAL("t", std::string(envelope.tid()).c_str());
  // Each costs a parse, so only a few are read this way; beyond them the message is malformed.
  std::string many = R"({"tid":"t","data":[)";
  for (int i = 0; i < 9; ++i) many += i == 0 ? "1e309" : ",1e309";
  many += "]}";
  check_malformed_containing(decode(many, envelope), "Number too big");
  STRCMP_EQUAL("t", std::string(envelope.tid()).c_str());
}
