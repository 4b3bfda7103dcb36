// Validation of service calls and property sets against the real embedded models.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/result_codes.hpp"
#include "docklink/thing/model_validator.hpp"
#include "docklink/thing/thing_model.hpp"
#include "docklink/thing/validation.hpp"

#include <CppUTest/TestHarness.h>

using docklink::result_code::kInvalidParameter;
using docklink::thing::kPropertyReadOnly;
using docklink::thing::load_embedded;
using docklink::thing::PropertySetResults;
using docklink::thing::ThingModel;
using docklink::thing::validate_property_set;
using docklink::thing::validate_service;
using docklink::thing::ValidationResult;

namespace {

rapidjson::Document parse(const char* json) {
  rapidjson::Document document;
  document.Parse(json);
  return document;
}

ValidationResult service(const ThingModel& model, const char* method, const char* data) {
  return validate_service(model, method, parse(data));
}

bool mentions(const ValidationResult& result, const char* text) {
  return result.message.find(text) != std::string::npos;
}

}  // namespace

TEST_GROUP(ThingServiceValidation) { ThingModel dock2 = load_embedded("3-2-0").value(); };

TEST(ThingServiceValidation, AcceptsValidCalls) {
  CHECK(service(dock2, "battery_maintenance_switch", R"({"action":1})").ok());
  CHECK(service(dock2, "flighttask_prepare",
                R"({"flight_id":"f1","task_type":0,"execute_time":1700000000000,
                    "file":{"url":"https://x/y.kmz","fingerprint":"abc"},"rth_altitude":100,"rth_mode":1})")
            .ok());
  CHECK(service(dock2, "camera_aim", R"({"payload_index":"80-0-0","camera_type":"wide","locked":true,"x":0.5,"y":1})")
            .ok());
}

TEST(ThingServiceValidation, ParameterlessServicesAcceptEmptyForms) {
  CHECK(service(dock2, "cover_open", "{}").ok());
  CHECK(service(dock2, "cover_open", R"("")").ok());
  CHECK(service(dock2, "cover_open", "null").ok());
  const ValidationResult number = service(dock2, "cover_open", "5");
  CHECK_EQUAL(kInvalidParameter, number.code);
}

TEST(ThingServiceValidation, UnknownMethod) {
  const ValidationResult result = service(dock2, "putter_open", "{}");  // Dock 1 only
  CHECK_EQUAL(kInvalidParameter, result.code);
  CHECK_TEXT(mentions(result, "unknown method 'putter_open'"), result.message.c_str());
}

TEST(ThingServiceValidation, MissingRequiredField) {
  const ValidationResult result = service(dock2, "live_stop_push", "{}");
  CHECK_EQUAL(kInvalidParameter, result.code);
  CHECK_TEXT(mentions(result, "missing required field 'data.video_id'"), result.message.c_str());
  CHECK_EQUAL(kInvalidParameter, service(dock2, "live_stop_push", R"("")").code);
}

TEST(ThingServiceValidation, WrongType) {
  const ValidationResult text = service(dock2, "flighttask_execute", R"({"flight_id":42})");
  CHECK_EQUAL(kInvalidParameter, text.code);
  CHECK_TEXT(mentions(text, "wrong type at 'data.flight_id': expected text, got integer"), text.message.c_str());
  // Ints must be integral.
  const ValidationResult fraction = service(dock2, "speaker_play_volume_set", R"({"psdk_index":0,"play_volume":5.5})");
  CHECK_TEXT(mentions(fraction, "expected int, got number"), fraction.message.c_str());
  // Floats accept ints.
  CHECK(service(dock2, "camera_screen_drag", R"({"payload_index":"80-0-0","pitch_speed":3,"yaw_speed":-2.5})").ok());
  // Nested: an element of an array.
  const ValidationResult nested = service(dock2, "flighttask_undo", R"({"flight_ids":["a",7]})");
  CHECK_TEXT(mentions(nested, "'data.flight_ids[1]'"), nested.message.c_str());
}

TEST(ThingServiceValidation, OutOfRange) {
  const ValidationResult result =
      service(dock2, "drc_mode_enter",
              R"({"mqtt_broker":{"address":"h:1","client_id":"c","username":"u","password":"p","expire_time":1},
                  "osd_frequency":31})");
  CHECK_EQUAL(kInvalidParameter, result.code);
  CHECK_TEXT(mentions(result, "out of range at 'data.osd_frequency': 31 is not in [1, 30]"), result.message.c_str());
  CHECK_FALSE(service(dock2, "camera_aim", R"({"payload_index":"80-0-0","camera_type":"wide","x":1.5,"y":0})").ok());
}

TEST(ThingServiceValidation, NotInEnum) {
  const ValidationResult number = service(dock2, "air_conditioner_mode_switch", R"({"action":9})");
  CHECK_TEXT(mentions(number, "not in enum at 'data.action': 9"), number.message.c_str());
  const ValidationResult text =
      service(dock2, "camera_aim", R"({"payload_index":"80-0-0","camera_type":"tele","x":0,"y":0})");
  CHECK_TEXT(mentions(text, "not in enum at 'data.camera_type': \"tele\""), text.message.c_str());
}

TEST(ThingServiceValidation, UnknownFieldOnlyInClosedSchemas) {
  const ValidationResult closed = service(dock2, "alarm_state_switch", R"({"action":1,"extra":true})");
  CHECK_EQUAL(kInvalidParameter, closed.code);
  CHECK_TEXT(mentions(closed, "unknown field 'data.extra'"), closed.message.c_str());
  // Open schemas ignore unknown fields (docs/protocol.md#tolerance), e.g. the demo's extra device_sn.
  CHECK(service(dock2, "live_stop_push", R"({"video_id":"a/b/c","device_sn":"X"})").ok());
}

TEST(ThingServiceValidation, BooleansAcceptTrueFalseAndZeroOne) {
  const char* base = R"({"payload_index":"80-0-0","enable":%s})";
  for (const char* value : {"true", "false", "0", "1"}) {
    char json[128];
    std::snprintf(json, sizeof json, base, value);
    CHECK_TEXT(service(dock2, "camera_screen_split", json).ok(), value);
  }
  for (const char* value : {"2", "\"true\"", "0.0"}) {
    char json[128];
    std::snprintf(json, sizeof json, base, value);
    CHECK_EQUAL_TEXT(kInvalidParameter, service(dock2, "camera_screen_split", json).code, value);
  }
}

TEST(ThingServiceValidation, InboundValidatorAdapter) {
  auto dock = std::make_shared<const ThingModel>(dock2);
  auto aircraft = std::make_shared<const ThingModel>(load_embedded("0-91-1").value());
  docklink::thing::ModelInboundValidator validator(dock, aircraft);
  std::string message;
  CHECK_EQUAL(0, validator.validate_service("cover_open", parse("{}"), message));
  CHECK_EQUAL(kInvalidParameter, validator.validate_service("nope", parse("{}"), message));
  CHECK_EQUAL(0, validator.validate_property("air_transfer_enable", parse("true"), message));       // dock
  CHECK_EQUAL(0, validator.validate_property("distance_limit_status.state", parse("1"), message));  // aircraft
  CHECK_EQUAL(kInvalidParameter, validator.validate_property("height_limit", parse("10"), message));
  CHECK_EQUAL(kPropertyReadOnly, validator.validate_property("mode_code", parse("1"), message));
  CHECK_EQUAL(kPropertyReadOnly,
              validator.validate_property("distance_limit_status.is_near_distance_limit", parse("1"), message));
  CHECK_EQUAL(kInvalidParameter, validator.validate_property("no_such_thing", parse("1"), message));
}

TEST_GROUP(ThingPropertySet) {
  ThingModel m3td = load_embedded("0-91-1").value();
  PropertySetResults results;
};

TEST(ThingPropertySet, TopLevelWrite) {
  CHECK(validate_property_set(m3td, parse(R"({"height_limit":120})"), results).ok());
  CHECK_EQUAL(1u, results.size());
  CHECK(results[0].path == std::vector<std::string>{"height_limit"});
  CHECK_EQUAL(0, results[0].code);
}

TEST(ThingPropertySet, NestedLeafResults) {
  const ValidationResult overall =
      validate_property_set(m3td, parse(R"({"distance_limit_status":{"state":1,"distance_limit":9000}})"), results);
  CHECK_EQUAL(kInvalidParameter, overall.code);
  CHECK_EQUAL(2u, results.size());
  CHECK((results[0].path == std::vector<std::string>{"distance_limit_status", "state"}));
  CHECK_EQUAL(0, results[0].code);
  CHECK((results[1].path == std::vector<std::string>{"distance_limit_status", "distance_limit"}));
  CHECK_EQUAL(kInvalidParameter, results[1].code);
  std::string reply;
  docklink::thing::compose_property_set_reply(results, reply);
  STRCMP_EQUAL(R"({"distance_limit_status":{"state":{"result":0},"distance_limit":{"result":325001}}})", reply.c_str());
}

TEST(ThingPropertySet, PayloadThermalSettingNestedUnderIndex) {
  CHECK(validate_property_set(m3td, parse(R"({"81-0-0":{"thermal_current_palette_style":1}})"), results).ok());
  CHECK_EQUAL(0, results.front().code);
  // Palette 4 does not exist; gimbal_pitch is read-only inside the same payload struct.
  validate_property_set(m3td, parse(R"({"81-0-0":{"thermal_current_palette_style":4,"gimbal_pitch":3}})"), results);
  CHECK_EQUAL(kInvalidParameter, results[0].code);
  CHECK_EQUAL(kPropertyReadOnly, results[1].code);
}

TEST(ThingPropertySet, ReadOnlyWriteRejectedWithDistinctCode) {
  const ValidationResult overall = validate_property_set(m3td, parse(R"({"mode_code":1})"), results);
  CHECK_EQUAL(kPropertyReadOnly, overall.code);
  CHECK(kPropertyReadOnly != 0 && kPropertyReadOnly != kInvalidParameter);
  CHECK_EQUAL(kPropertyReadOnly, results[0].code);
  // rth_mode is r in the current documentation (docs/protocol.md#quirk-java-settable).
  validate_property_set(m3td, parse(R"({"rth_mode":1})"), results);
  CHECK_EQUAL(kPropertyReadOnly, results[0].code);
}

TEST(ThingPropertySet, EachErrorClass) {
  validate_property_set(
      m3td,
      parse(
          R"({"nope":1,"height_limit":"high","rth_altitude":600,"night_lights_state":3,"obstacle_avoidance":{"sideways":1}})"),
      results);
  CHECK_EQUAL(5u, results.size());
  for (const auto& result : results) CHECK_EQUAL_TEXT(kInvalidParameter, result.code, result.message.c_str());
  CHECK(results[0].message.find("unknown property 'nope'") != std::string::npos);
  CHECK(results[1].message.find("wrong type") != std::string::npos);
  CHECK(results[2].message.find("out of range") != std::string::npos);
  CHECK(results[3].message.find("not in enum") != std::string::npos);
  CHECK(results[4].message.find("unknown field 'sideways'") != std::string::npos);
}

TEST(ThingPropertySet, BooleansAsZeroOne) {
  CHECK(validate_property_set(m3td, parse(R"({"camera_watermark_settings":{"global_enable":1,"gps_enable":false}})"),
                              results)
            .ok());
  CHECK_EQUAL(2u, results.size());
  CHECK_FALSE(validate_property_set(m3td, parse(R"({"camera_watermark_settings":{"global_enable":2}})"), results).ok());
}

TEST(ThingPropertySet, GatewaySeesDockAndAircraftProperties) {
  const ThingModel dock2 = load_embedded("3-2-0").value();
  const std::vector<const ThingModel*> both = {&dock2, &m3td};
  CHECK(validate_property_set(both, parse(R"({"silent_mode":1,"height_limit":200})"), results).ok());
  CHECK_EQUAL(2u, results.size());
  CHECK_FALSE(validate_property_set(dock2, parse(R"({"height_limit":200})"), results).ok());
}

TEST(ThingPropertySet, BodyMustBeNonEmptyObject) {
  CHECK_EQUAL(kInvalidParameter, validate_property_set(m3td, parse("[]"), results).code);
  CHECK_EQUAL(kInvalidParameter, validate_property_set(m3td, parse("{}"), results).code);
  CHECK(results.empty());
}

TEST(ThingPropertySet, RepeatedMemberNameFailsTheWholeSet) {
  const ValidationResult top =
      validate_property_set(m3td, parse(R"({"height_limit":120,"height_limit":130})"), results);
  CHECK_EQUAL(kInvalidParameter, top.code);
  CHECK(results.empty());
  const ValidationResult nested =
      validate_property_set(m3td, parse(R"({"distance_limit_status":{"state":1,"state":0}})"), results);
  CHECK_EQUAL(kInvalidParameter, nested.code);
  CHECK(results.empty());
}

TEST(ThingPropertySet, ReplyKeepsTheFirstResultOfAPathAndNeverRepeatsAKey) {
  PropertySetResults conflicting;
  conflicting.push_back({{"height_limit"}, 0, ""});
  conflicting.push_back({{"height_limit", "result"}, kInvalidParameter, ""});
  conflicting.push_back({{"height_limit"}, kInvalidParameter, ""});
  conflicting.push_back({{"a", "b"}, 0, ""});
  conflicting.push_back({{"a"}, kInvalidParameter, ""});
  std::string reply;
  CHECK_FALSE(docklink::thing::compose_property_set_reply(conflicting, reply));
  STRCMP_EQUAL(R"({"height_limit":{"result":0},"a":{"b":{"result":0}}})", reply.c_str());
}

TEST(ThingPropertySet, ReplyOfDottedNamesKeepsThemWhole) {
  validate_property_set(m3td, parse(R"({"height_limit":120,"height_limit.result":1})"), results);
  std::string reply;
  CHECK_TRUE(docklink::thing::compose_property_set_reply(results, reply));
  STRCMP_EQUAL(R"({"height_limit":{"result":0},"height_limit.result":{"result":325001}})", reply.c_str());
}

TEST_GROUP(ThingNumberValidation){};

TEST(ThingNumberValidation, NonFiniteNumberIsRejectedEvenWithoutRange) {
  docklink::thing::TypeSpec spec;
  spec.type = docklink::thing::ValueType::kDouble;
  rapidjson::Document infinite = parse(R"({"v":9e308})");  // RapidJSON reads this as +inf
  const ValidationResult result = docklink::thing::validate_value(spec, infinite["v"], "v");
  CHECK_EQUAL(kInvalidParameter, result.code);
  CHECK(mentions(result, "finite"));
  CHECK(docklink::thing::validate_value(spec, parse(R"({"v":1e308})")["v"], "v").ok());
}
