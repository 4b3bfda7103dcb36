// Decoding generated thing-model types: what is accepted, what is refused, and that every refusal names the
// field (with its path) that did not fit.
#include <string>
#include <type_traits>

#include "docklink/generated/dock2.hpp"
#include "docklink/generated/dock3.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink::generated;

namespace {

/// Decodes `json` into a T and returns the error text ("" when it decoded).
template <class T>
std::string decode_error(const char* json) {
  T value{};
  std::string error;
  if (from_json_string(json, value, &error)) return {};
  return error.empty() ? "(failed without a message)" : error;
}

}  // namespace

TEST_GROUP(CodegenDecode){};

TEST(CodegenDecode, FillsRequiredAndOptionalFieldsAndIgnoresUnknownOnes) {
  dock2::FlighttaskPrepare prepare;
  std::string error;
  CHECK_TRUE(from_json_string(R"({"flight_id":"f-1","task_type":2,"execute_time":1700000000000,
      "file":{"url":"https://x/y.kmz","fingerprint":"abc"},"ready_conditions":{"battery_capacity":90},
      "simulate_mission":{"is_enable":1,"latitude":22.5},"not_in_model":[1,2]})",
                              prepare, &error));
  STRCMP_EQUAL("", error.c_str());
  STRCMP_EQUAL("f-1", prepare.flight_id.c_str());
  CHECK(prepare.task_type == dock2::FlighttaskPrepareTaskType::kConditional);
  LONGS_EQUAL(1700000000000LL, prepare.execute_time.value_or(0));
  STRCMP_EQUAL("abc", prepare.file.fingerprint.c_str());
  LONGS_EQUAL(90, prepare.ready_conditions->battery_capacity.value_or(0));
  CHECK_TRUE(prepare.simulate_mission->is_enable == dock2::SimulateMissionIsEnable::kOn);
  DOUBLES_EQUAL(22.5, prepare.simulate_mission->latitude.value_or(0), 0);
  CHECK_FALSE(prepare.break_point.has_value());
  CHECK_FALSE(prepare.rth_mode.has_value());
}

TEST(CodegenDecode, MissingRequiredFieldIsNamed) {
  STRCMP_EQUAL(
      "task_type: missing required field",
      decode_error<dock2::FlighttaskPrepare>(R"({"flight_id":"f","file":{"url":"u","fingerprint":"f"}})").c_str());
  STRCMP_EQUAL("file.fingerprint: missing required field",
               decode_error<dock2::FlighttaskPrepare>(R"({"flight_id":"f","task_type":0,"file":{"url":"u"}})").c_str());
}

TEST(CodegenDecode, WrongTypeNamesTheFieldPathIncludingArrayIndexes) {
  STRCMP_EQUAL("flight_id: expected a string",
               decode_error<dock2::FlighttaskPrepare>(R"({"flight_id":7,"task_type":0,"file":{}})").c_str());
  STRCMP_EQUAL("ready_conditions.battery_capacity: expected an integer",
               decode_error<dock2::FlighttaskPrepare>(
                   R"({"flight_id":"f","task_type":0,"file":{"url":"u","fingerprint":"f"},
                       "ready_conditions":{"battery_capacity":90.5}})")
                   .c_str());
  STRCMP_EQUAL("list[1].in_the_sky: expected true/false or 0/1",
               decode_error<dock2::HmsEvent>(R"({"list":[{"in_the_sky":0},{"in_the_sky":"yes"}]})").c_str());
  STRCMP_EQUAL("expected an object", decode_error<dock2::HmsEvent>("[1]").c_str());
}

TEST(CodegenDecode, IntegerEnumsRejectValuesTheModelDoesNotList) {
  STRCMP_EQUAL("list[0].level: 9 is not a HmsEventListItemLevel value",
               decode_error<dock2::HmsEvent>(R"({"list":[{"level":9}]})").c_str());
  STRCMP_EQUAL("action: expected an integer", decode_error<dock2::AlarmStateSwitch>(R"({"action":"1"})").c_str());
  STRCMP_EQUAL("", decode_error<dock2::AlarmStateSwitch>(R"({"action":1})").c_str());
}

TEST(CodegenDecode, TextEnumsRejectUnknownSpellings) {
  STRCMP_EQUAL("video_type: \"thermal\" is not a LiveLensChangeVideoType value",
               decode_error<dock2::LiveLensChange>(R"({"video_id":"a/b/c","video_type":"thermal"})").c_str());
  STRCMP_EQUAL("video_type: expected a string",
               decode_error<dock2::LiveLensChange>(R"({"video_id":"a/b/c","video_type":2})").c_str());
  dock2::LiveLensChange change;
  CHECK_TRUE(from_json_string(R"({"video_id":"a/b/c","video_type":"wide"})", change, nullptr));
  CHECK_TRUE(change.video_type == dock2::LiveLensChangeVideoType::kWide);
}

TEST(CodegenDecode, BooleansAcceptTrueFalseAndZeroOne) {
  dock2::HmsEvent event;
  CHECK_TRUE(from_json_string(R"({"list":[{"in_the_sky":1,"imminent":false},{"in_the_sky":0,"imminent":true}]})", event,
                              nullptr));
  CHECK_TRUE(event.list->at(0).in_the_sky.value_or(false));
  CHECK_FALSE(event.list->at(0).imminent.value_or(true));
  CHECK_FALSE(event.list->at(1).in_the_sky.value_or(true));
  CHECK_TRUE(event.list->at(1).imminent.value_or(false));
  STRCMP_EQUAL("list[0].in_the_sky: expected true/false or 0/1",
               decode_error<dock2::HmsEvent>(R"({"list":[{"in_the_sky":2}]})").c_str());
}

TEST(CodegenDecode, ClosedParameterSetsRejectUnknownFields) {
  STRCMP_EQUAL("speed: unknown field", decode_error<dock2::AlarmStateSwitch>(R"({"action":1,"speed":2})").c_str());
}

TEST(CodegenDecode, NullOptionalFieldIsUnsetAndNullRequiredFieldIsAnError) {
  dock2::FlighttaskPrepare prepare;
  CHECK_TRUE(from_json_string(
      R"({"flight_id":"f","task_type":0,"file":{"url":"u","fingerprint":"f"},"break_point":null})", prepare, nullptr));
  CHECK_FALSE(prepare.break_point.has_value());
  STRCMP_EQUAL(
      "flight_id: expected a string",
      decode_error<dock2::FlighttaskPrepare>(R"({"flight_id":null,"task_type":0,"file":{"url":"u","fingerprint":"f"}})")
          .c_str());
}

TEST(CodegenDecode, DecodingResetsFieldsOfAReusedValue) {
  dock2::HmsEvent event;
  CHECK_TRUE(from_json_string(R"({"list":[]})", event, nullptr));
  CHECK_TRUE(event.list.has_value());
  CHECK_TRUE(from_json_string("{}", event, nullptr));
  CHECK_FALSE(event.list.has_value());
}

TEST(CodegenDecode, ProductsWithDifferentParametersGetDifferentTypes) {
  // Dock 3 requires only video_type for live_lens_change; Dock 2 requires video_id too.
  STRCMP_EQUAL("video_id: missing required field",
               decode_error<dock2::LiveLensChange>(R"({"video_type":"wide"})").c_str());
  STRCMP_EQUAL("", decode_error<dock3::LiveLensChange>(R"({"video_type":"wide"})").c_str());
}

TEST(CodegenDecode, InvalidJsonTextIsRefused) {
  STRCMP_EQUAL("not valid JSON", decode_error<dock2::HmsEvent>(R"({"list":)").c_str());
}

TEST(CodegenDecode, TextEnumsSpellTheirWireText) {
  dock3::LiveLensChange change;
  std::string error;
  CHECK_TRUE(from_json_string(R"({"video_id":"v","video_type":"zoom"})", change, &error));
  STRCMP_EQUAL("zoom", wire_text(change.video_type));
  STRCMP_EQUAL("ir", wire_text(shared::LiveLensChangeVideoType::kIr));
  STRCMP_EQUAL("drone", wire_text(shared::SimSlotSwitchDeviceType::kDrone));
}

TEST(CodegenDecode, ServicesNameEachProductsOwnParameterStructs) {
  // Code generic over products gets each product's variant of a service that differs between them.
  CHECK_TRUE((std::is_same_v<dock2::Services::TakeoffToPoint, shared::TakeoffToPointDock2>));
  CHECK_TRUE((std::is_same_v<dock3::Services::LiveStartPush, shared::LiveStartPushDock3>));
  CHECK_TRUE((std::is_same_v<dock2::Services::LiveStartPush, shared::LiveStartPush>));
  CHECK_TRUE((std::is_same_v<dock3::Services::CoverOpen, dock3::CoverOpen>));
}
