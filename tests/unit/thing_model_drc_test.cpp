// The DRC methods of the protocol (docs/protocol.md#drc-messages) in the embedded thing models: each product has
// exactly the methods the facts give it, with the shapes the SDK validates drc/down against.
#include <set>
#include <string>

#include <rapidjson/document.h>

#include "docklink/thing/thing_model.hpp"
#include "docklink/thing/validation.hpp"

#include <CppUTest/TestHarness.h>

using docklink::thing::DrcMethodDef;
using docklink::thing::ThingModel;
using docklink::thing::ValueType;

namespace {

// docs/protocol.md#drc-messages, "docks" column: the 11 methods of issue 14, by direction and by the docks that have
// them.
struct DrcFact {
  const char* method;
  bool down;        // cloud -> dock on drc/down (else a dock push on drc/up)
  bool on_dock1;    // every DRC method is on Dock 2 and Dock 3
  bool has_result;  // its drc/up reply carries data.result
};

constexpr DrcFact kFacts[] = {
    {"heart_beat", true, true, false},
    {"stick_control", true, false, false},
    {"drone_control", true, true, true},
    {"drone_emergency_stop", true, true, true},
    {"drc_emergency_landing", true, false, true},
    {"drc_force_landing", true, false, true},
    {"drc_initial_state_subscribe", true, false, true},
    {"osd_info_push", false, true, false},
    {"hsi_info_push", false, true, false},
    {"delay_info_push", false, true, false},
    {"drc_drone_state_push", false, false, false},
};

ThingModel load(const char* key) {
  auto model = docklink::thing::load_embedded(key);
  CHECK_TEXT(model.is_ok(), model.status().to_string().c_str());
  return std::move(model).value();
}

}  // namespace

TEST_GROUP(ThingModelDrc){};

TEST(ThingModelDrc, EveryDockHasExactlyTheDrcMethodsOfTheFacts) {
  for (const char* key : {"3-1-0", "3-2-0", "3-3-0"}) {
    const ThingModel model = load(key);
    const bool dock1 = std::string(key) == "3-1-0";
    std::size_t expected_down = 0;
    std::size_t expected_up = 0;
    for (const DrcFact& fact : kFacts) {
      const bool supported = fact.on_dock1 || !dock1;
      const DrcMethodDef* def = fact.down ? model.drc_down(fact.method) : model.drc_up(fact.method);
      const std::string what = std::string(key) + " " + fact.method;
      CHECK_TEXT((def != nullptr) == supported, what.c_str());
      // A method lives in one direction only.
      CHECK_TEXT((fact.down ? model.drc_up(fact.method) : model.drc_down(fact.method)) == nullptr, what.c_str());
      if (def == nullptr) continue;
      (fact.down ? expected_down : expected_up) += 1;
      CHECK_EQUAL_TEXT(fact.has_result, def->reply_has_result, what.c_str());
    }
    LONGS_EQUAL_TEXT(expected_down, model.drc_down_methods().size(), key);
    LONGS_EQUAL_TEXT(expected_up, model.drc_up_methods().size(), key);
    // docs/protocol.md#drc-heartbeat: 5 min on Dock 1, 1 min on Dock 2 and 3.
    LONGS_EQUAL_TEXT(dock1 ? 300 : 60, model.drc_heartbeat_timeout_s(), key);
  }
}

TEST(ThingModelDrc, AircraftHaveNoDrcMethods) {
  for (const char* key : {"0-67-0", "0-67-1", "0-91-0", "0-91-1", "0-100-0", "0-100-1"}) {
    const ThingModel model = load(key);
    CHECK_TEXT(model.drc_down_methods().empty() && model.drc_up_methods().empty(), key);
    LONGS_EQUAL_TEXT(0, model.drc_heartbeat_timeout_s(), key);
  }
}

TEST(ThingModelDrc, StickControlHasItsFiveChannelsInTheirRangeAndNeedsSeq) {
  const ThingModel model = load("3-2-0");
  const DrcMethodDef* stick = model.drc_down("stick_control");
  CHECK(stick != nullptr);
  CHECK(stick->seq_required);
  CHECK(!stick->has_reply);  // no reply, ever (docs/protocol.md#drc-messages)
  const std::set<std::string> required(stick->data.required.begin(), stick->data.required.end());
  CHECK((required == std::set<std::string>{"roll", "pitch", "throttle", "yaw"}));
  for (const char* channel : {"roll", "pitch", "throttle", "yaw", "gimbal_pitch"}) {
    const auto* field = stick->data.find_field(channel);
    CHECK_TEXT(field != nullptr, channel);
    CHECK_TEXT(field->type == ValueType::kInt, channel);
    CHECK_TEXT(field->has_min && field->min == 364 && field->has_max && field->max == 1684, channel);
  }
}

TEST(ThingModelDrc, DroneControlCarriesItsSeqInsideDataWithTheDocumentedSpeeds) {
  const ThingModel model = load("3-1-0");
  const DrcMethodDef* control = model.drc_down("drone_control");
  CHECK(control != nullptr);
  CHECK(!control->seq_required);  // its seq is inside data (docs/protocol.md#drc-seq)
  const auto* h = control->data.find_field("h");
  CHECK(h != nullptr && h->min == -4 && h->max == 5);
  const auto* w = control->data.find_field("w");
  CHECK(w != nullptr && w->min == -90 && w->max == 90);
  CHECK(control->data.find_field("seq") != nullptr);
}

TEST(ThingModelDrc, UplinkPushesAndRepliesAreCheckedAgainstTheModel) {
  const ThingModel model = load("3-2-0");
  auto check = [&](const char* method, const char* data) {
    rapidjson::Document json;
    json.Parse(data);
    return docklink::thing::validate_drc_up(model, method, json);
  };
  CHECK(check("osd_info_push", R"({"latitude":22.5,"longitude":113.9,"attitude_head":-179.5})").ok());
  CHECK(!check("osd_info_push", R"({"latitude":91})").ok());
  CHECK(check("hsi_info_push", R"({"around_distances":[60000,1200],"up_enable":true,"down_work":0})").ok());
  CHECK(!check("hsi_info_push", R"({"around_distance":[-1]})").ok());
  CHECK(check("heart_beat", R"({"timestamp":1700000000000})").ok());  // the reply to a command
  CHECK(!check("heart_beat", R"({"timestamp":"now"})").ok());
  CHECK(!check("drone_control", R"({"output":{"seq":-1}})").ok());  // its reply needs result
  CHECK(!check("stick_control", "{}").ok());                        // a command without a reply
  const auto unknown = check("no_such_push", "{}");
  LONGS_EQUAL(docklink::result_code::kInvalidParameter, unknown.code);
  CHECK(unknown.message.find("no_such_push") != std::string::npos);
}
