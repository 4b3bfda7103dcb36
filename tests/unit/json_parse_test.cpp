#include <string>

#include "json_parse.hpp"

#include <CppUTest/TestHarness.h>

using docklink::detail::JsonDocument;
using docklink::detail::JsonParseOptions;
using docklink::detail::JsonParseOutcome;
using docklink::detail::parse_json;
using docklink::detail::parse_json_in_place;
using docklink::detail::RecoveredIds;

TEST_GROUP(JsonParse){};

TEST(JsonParse, CopiedStringsOutliveTheText) {
  JsonDocument document;
  {
    const std::string text = R"({"name":"dock\u0041","list":[1,"two"]})";
    CHECK_FALSE(parse_json(text, document).IsError());
  }
  STRCMP_EQUAL("dockA", document["name"].GetString());
  STRCMP_EQUAL("two", document["list"][1].GetString());
}

TEST(JsonParse, AcceptsAnyTopLevelValueWithoutLimits) {
  JsonDocument document;
  CHECK_FALSE(parse_json("42", document).IsError());
  LONGS_EQUAL(42, document.GetInt());
  CHECK_FALSE(parse_json("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", document)
                  .IsError());
}

TEST(JsonParse, ReportsErrorsAsRapidJsonDoes) {
  JsonDocument document;
  const rapidjson::ParseResult result = parse_json(R"({"a":1,})", document);
  CHECK(result.IsError());
  LONGS_EQUAL(rapidjson::kParseErrorObjectMissName, result.Code());
  LONGS_EQUAL(7, result.Offset());
}

TEST(JsonParse, InPlaceStopsAtTheDepthLimitAndOnNonObjects) {
  JsonDocument document;
  JsonParseOptions options;
  options.max_depth = 2;
  options.object_only = true;
  std::string deep = R"({"a":{"b":{"c":1}}})";
  JsonParseOutcome outcome = parse_json_in_place(deep.data(), document, options);
  CHECK(outcome.too_deep);
  CHECK(outcome.result.IsError());
  std::string array = "[1]";
  outcome = parse_json_in_place(array.data(), document, options);
  CHECK(outcome.not_object);
  CHECK_FALSE(outcome.too_deep);
}

TEST(JsonParse, InPlaceRecoversTopLevelIdsAndLeavesStringsInTheText) {
  JsonDocument document;
  RecoveredIds ids;
  JsonParseOptions options;
  options.copy_strings = false;
  options.recovered = &ids;
  std::string text = R"({"tid":"t-1","data":{"tid":"nested"},"method":"m"})";
  const JsonParseOutcome outcome = parse_json_in_place(text.data(), document, options);
  CHECK_FALSE(outcome.result.IsError());
  LONGS_EQUAL(text.size(), outcome.end);
  CHECK(ids.tid == "t-1");
  CHECK(ids.method == "m");
  CHECK(document["tid"].GetString() >= text.data() && document["tid"].GetString() < text.data() + text.size());
}
