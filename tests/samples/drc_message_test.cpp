// dock-sim's drc/down parser: whole documents only, bounded in size and depth, method and seq recovered for
// the answer to a refused command.
#include "drc_message.hpp"
#include "json_read.hpp"

#include <string>

// Last: CppUTest redefines new.
#include <CppUTest/TestHarness.h>

using docklink::sim::drc_refusal_reply;
using docklink::sim::DrcMessage;
using docklink::sim::DrcParseLimits;
using docklink::sim::DrcRefusal;
using docklink::sim::parse_drc_message;

namespace {

DrcRefusal parse(const std::string& payload, const DrcParseLimits& limits = {}) {
  DrcMessage message;
  return parse_drc_message(payload, message, limits);
}

// An object nested `depth` levels deep (the top-level object is level 1).
std::string nested_objects(unsigned depth) {
  std::string text;
  for (unsigned i = 1; i < depth; ++i) text += R"({"a":)";
  text += "{}";
  text.append(depth - 1, '}');
  return text;
}

}  // namespace

TEST_GROUP(SimDrcMessage){};

TEST(SimDrcMessage, AcceptsAWholeCommand) {
  DrcMessage message;
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kNone),
              static_cast<int>(parse_drc_message(R"( {"method":"heart_beat","seq":3,"data":{"timestamp":5}} )"
                                                 "\n",
                                                 message)));
  STRCMP_EQUAL("heart_beat", message.method.c_str());
  LONGS_EQUAL(3, message.seq);
  LONGS_EQUAL(5, message.data()["timestamp"].GetInt());
}

TEST(SimDrcMessage, AMegabyteOfOpeningBracketsIsRefusedAsTooDeep) {
  std::string brackets(1024 * 1024, '[');
  DrcParseLimits big;
  big.max_bytes = 2 * brackets.size();  // past the size limit, the depth limit must hold on its own
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kTooDeep), static_cast<int>(parse(brackets, big)));
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kTooDeep), static_cast<int>(parse("{\"a\":" + brackets, big)));
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kTooLarge), static_cast<int>(parse(brackets)));
}

TEST(SimDrcMessage, DepthLimitIsExact) {
  unsigned limit = docklink::sim::limits::kDrcMaxJsonDepth;
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kNone), static_cast<int>(parse(nested_objects(limit))));
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kTooDeep), static_cast<int>(parse(nested_objects(limit + 1))));
}

TEST(SimDrcMessage, SizeLimitIsExact) {
  std::string padded = "{}";
  padded.resize(docklink::sim::limits::kDrcMaxPayloadBytes, ' ');
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kNone), static_cast<int>(parse(padded)));
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kTooLarge), static_cast<int>(parse(padded + " ")));
}

TEST(SimDrcMessage, ADocumentFollowedByNulAndGarbageIsRefused) {
  std::string payload = R"({"method":"drone_emergency_stop","data":{}})";
  payload += '\0';
  payload += "garbage";
  DrcMessage message;
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kMalformed), static_cast<int>(parse_drc_message(payload, message)));
  CHECK_TRUE(message.document.IsNull());
  CHECK_FALSE(message.data().HasMember("anything"));
  std::string nul_only = R"({"method":"heart_beat"})";
  nul_only += '\0';
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kMalformed), static_cast<int>(parse(nul_only)));
}

TEST(SimDrcMessage, AnythingAfterTheDocumentIsRefused) {
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kMalformed), static_cast<int>(parse(R"({"method":"heart_beat"} x)")));
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kMalformed), static_cast<int>(parse(R"({}{})")));
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kMalformed), static_cast<int>(parse("")));
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kMalformed), static_cast<int>(parse(R"({"method":"heart_beat")")));
}

TEST(SimDrcMessage, NonObjectsAndBadUtf8AreRefused) {
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kNotObject), static_cast<int>(parse("[1,2]")));
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kNotObject), static_cast<int>(parse("\"heart_beat\"")));
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kMalformed), static_cast<int>(parse("{\"method\":\"\xff\xfe\"}")));
}

TEST(SimDrcMessage, ALoneSurrogateEscapeIsRefusedLikeBadUtf8) {
  // Found by fuzz_drc: RapidJSON 1.1.0 turns a lone low-surrogate escape into bytes that are not UTF-8.
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kMalformed),
              static_cast<int>(parse(R"({"method":"heart_beat","data":{"x":"\uf83d\ude00"}})")));
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kMalformed), static_cast<int>(parse(R"({"\udc00":1})")));
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kNone), static_cast<int>(parse(R"({"x":"\ud83d\ude00 \u00e9"})")));
}

TEST(SimDrcMessage, ARefusedCommandKeepsMethodAndSeqForItsAnswer) {
  DrcMessage message;
  std::string payload = R"({"method":"drone_control","seq":9,"data":)" + std::string(100, '[');
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kTooDeep), static_cast<int>(parse_drc_message(payload, message)));
  STRCMP_EQUAL("drone_control", message.method.c_str());
  LONGS_EQUAL(9, message.seq);
  STRCMP_EQUAL(R"({"result":325001,"output":{"seq":-1}})", drc_refusal_reply("drone_control", 325001).c_str());
  STRCMP_EQUAL(R"({"result":325001})", drc_refusal_reply("drone_emergency_stop", 325001).c_str());
  CHECK_TRUE(drc_refusal_reply("stick_control", 325001).empty());
  CHECK_TRUE(drc_refusal_reply("heart_beat", 325001).empty());
}

TEST(SimDrcMessage, NestedMethodAndSeqAreNotTakenForTheTopLevelOnes) {
  DrcMessage message;
  std::string payload = R"({"data":{"method":"drone_control","seq":4},"x":)" + std::string(100, '[');
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kTooDeep), static_cast<int>(parse_drc_message(payload, message)));
  CHECK_TRUE(message.method.empty());
  LONGS_EQUAL(-1, message.seq);
}

TEST(SimDrcMessage, AZeroWithAHugeExponentIsAZero) {
  // Found by fuzz_drc: RapidJSON 1.1.0's full-precision path hit undefined behaviour on "0e66".
  DrcMessage message;
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kNone),
              static_cast<int>(parse_drc_message(R"({"method":"stick_control","seq":0e66})", message)));
  LONGS_EQUAL(0, message.seq);
}

TEST(SimDrcMessage, ASeqBeyondInt64IsNoSeq) {
  // Found by fuzz_drc: the shared reader cast 1.8e43 to int64 (undefined); out of range now reads as absent.
  DrcMessage message;
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kNone),
              static_cast<int>(parse_drc_message(R"({"method":"stick_control","seq":1.76842e43})", message)));
  LONGS_EQUAL(-1, message.seq);
  std::int64_t out = 0;
  rapidjson::Value huge(-1e300);
  CHECK_FALSE(docklink::samples::as_int(huge, out));
}

TEST(SimDrcMessage, ANumberRapidJsonWouldMakeInfiniteIsRefused) {
  // Found by fuzz_drc: RapidJSON 1.1.0 accepted this as infinity.
  LONGS_EQUAL(static_cast<int>(DrcRefusal::kMalformed),
              static_cast<int>(parse(R"({"method":"stick_control","data":{"pitch":7777777777777773882e299}})")));
}
