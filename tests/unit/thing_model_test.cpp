// Loading thing models: every embedded product model, the extends/merge rules, and parse errors.
#include <map>
#include <string>
#include <vector>

#include "docklink/thing/embedded.hpp"
#include "docklink/thing/thing_model.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::thing::load_embedded;
using docklink::thing::load_file;
using docklink::thing::ModelFileReader;
using docklink::thing::PushMode;
using docklink::thing::ThingModel;
using docklink::thing::ValueType;

namespace {

// The repository root, from this file's path (tests/unit/thing_model_test.cpp).
std::string repository_root() {
  std::string path = __FILE__;
  for (int i = 0; i < 3; ++i) path = path.substr(0, path.find_last_of('/'));
  return path;
}

ModelFileReader reader_for(const std::map<std::string, std::string>& files) {
  return [files](std::string_view path) -> docklink::Result<std::string> {
    const auto found = files.find(std::string(path));
    if (found == files.end()) return docklink::Status(StatusCode::kNotFound, "no " + std::string(path));
    return found->second;
  };
}

}  // namespace

TEST_GROUP(ThingModelLoad){};

TEST(ThingModelLoad, EveryProductModelIsEmbeddedAndLoads) {
  const std::vector<std::string> expected = {"0-100-0", "0-100-1", "0-67-0", "0-67-1", "0-91-0",
                                             "0-91-1",  "3-1-0",   "3-2-0",  "3-3-0"};
  const std::vector<std::string> keys = docklink::thing::embedded_model_keys();
  CHECK(keys == expected);
  for (const std::string& key : keys) {
    const auto model = load_embedded(key);
    CHECK_TEXT(model.is_ok(), model.status().to_string().c_str());
    STRCMP_EQUAL(key.c_str(), model.value().model_key().c_str());
    CHECK_FALSE(model.value().thing_version().empty());
    CHECK(model.value().properties().size() > 40);
    const bool dock = key[0] == '3';
    CHECK_EQUAL(dock, model.value().is_dock());
    CHECK_EQUAL(dock ? 3 : 1, model.value().osd_group_count());
    CHECK_EQUAL(dock, model.value().services().size() > 80);
  }
}

TEST(ThingModelLoad, UnknownKeyIsNotFound) {
  const auto model = load_embedded("3-9-0");
  CHECK(model.status().code() == StatusCode::kNotFound);
}

TEST(ThingModelLoad, PerDockAvailabilityFollowsTheReference) {
  const ThingModel dock1 = load_embedded("3-1-0").value();
  const ThingModel dock2 = load_embedded("3-2-0").value();
  const ThingModel dock3 = load_embedded("3-3-0").value();
  CHECK(dock1.service("putter_open") != nullptr);
  CHECK(dock2.service("putter_open") == nullptr);
  CHECK(dock1.service("esim_activate") == nullptr);
  CHECK(dock2.service("esim_activate") != nullptr);
  CHECK(dock3.service("rtk_calibration") != nullptr);
  CHECK(dock2.service("rtk_calibration") == nullptr);
  CHECK(dock1.property("putter_state") != nullptr);
  CHECK(dock3.property("self_converge_coordinate") != nullptr);
  CHECK(dock1.request("flighttask_progress_get") == nullptr);
  CHECK(dock3.request("flighttask_progress_get") != nullptr);
  CHECK(dock3.event("obstacle_avoidance_notify") != nullptr);
  CHECK(dock2.event("airsense_warning")->data.type == ValueType::kArray);
}

TEST(ThingModelLoad, MergeMembersExtendTheBase) {
  const ThingModel dock1 = load_embedded("3-1-0").value();
  const ThingModel dock2 = load_embedded("3-2-0").value();
  const ThingModel dock3 = load_embedded("3-3-0").value();
  // takeoff_to_point: base fields plus per-dock additions.
  CHECK(dock1.service("takeoff_to_point")->params.find_field("exit_wayline_when_rc_lost") != nullptr);
  CHECK(dock1.service("takeoff_to_point")->params.find_field("commander_flight_mode") == nullptr);
  CHECK(dock2.service("takeoff_to_point")->params.find_field("commander_flight_mode") != nullptr);
  CHECK(dock2.service("takeoff_to_point")->params.find_field("target_latitude") != nullptr);
  // Dock 3 adds mode_code 5 and firmware_upgrade_type 4 by merging enum values.
  CHECK_EQUAL(6u, dock3.property("mode_code")->type.int_values.size());
  CHECK_EQUAL(5u, dock2.property("mode_code")->type.int_values.size());
  const auto& devices = dock3.service("ota_create")->params.find_field("devices")->element.front();
  CHECK_EQUAL(3u, devices.find_field("firmware_upgrade_type")->int_values.size());
  CHECK(dock3.service("live_lens_change")->params.required == std::vector<std::string>{"video_type"});
}

TEST(ThingModelLoad, ThermalVariantsSwapThePayload) {
  const ThingModel m30 = load_embedded("0-67-0").value();
  const ThingModel m30t = load_embedded("0-67-1").value();
  CHECK(m30.property("52-0-0") != nullptr);
  CHECK(m30t.property("52-0-0") == nullptr);
  const auto* payload = m30t.property("53-0-0");
  CHECK(payload != nullptr);
  CHECK(payload->type.find_field("thermal_current_palette_style")->access == docklink::thing::Access::kReadWrite);
  CHECK(m30t.property("rc_lost_action") != nullptr);  // inherited from the M30 model
  STRCMP_EQUAL("Matrice 30T", m30t.product().c_str());
}

TEST(ThingModelLoad, PropertyMetadata) {
  const ThingModel dock2 = load_embedded("3-2-0").value();
  const auto* firmware = dock2.property("firmware_version");
  CHECK(firmware->push == PushMode::kState);
  STRCMP_EQUAL("firmware", firmware->state_group.c_str());
  CHECK_EQUAL(0, dock2.property("job_number")->osd_group);
  CHECK_EQUAL(1, dock2.property("wireless_link")->osd_group);
  CHECK_EQUAL(2, dock2.property("mode_code")->osd_group);
  const auto* cover_open = dock2.service("cover_open");
  CHECK(cover_open->is_job);
  STRCMP_EQUAL("cover_open", cover_open->progress_event.c_str());
  STRCMP_EQUAL("open_cover", cover_open->step_keys.back().c_str());
  STRCMP_EQUAL("flighttask_progress", dock2.service("flighttask_execute")->progress_event.c_str());
}

// "wire": "int" (docs/protocol.md#quirk-booleans) reaches the TypeSpec of the field, through refs too.
TEST(ThingModelLoad, BooleansSentAsIntegersAreMarked) {
  const ThingModel dock2 = load_embedded("3-2-0").value();
  const auto* sub_device = &dock2.property("sub_device")->type;
  CHECK_TRUE(sub_device->find_field("device_online_status")->int_wire);
  CHECK_TRUE(dock2.property("position_state")->type.find_field("is_calibration")->int_wire);
  const auto* hms_item = dock2.event("hms")->data.find_field("list")->element_type();
  CHECK_TRUE(hms_item->find_field("in_the_sky")->int_wire);
  CHECK_TRUE(hms_item->find_field("imminent")->int_wire);
  CHECK_FALSE(dock2.property("air_transfer_enable")->type.int_wire);
  CHECK_FALSE(
      ThingModel::parse(R"({"model_key":"1","kind":"dock","properties":{"a":{"type":"bool","wire":1,"push":"osd"}}})")
          .is_ok());
}

TEST(ThingModelLoad, LoadsFromFilesWithSearchDirectory) {
  const std::string dir = repository_root() + "/thing_models";
  const auto model = load_file(dir + "/3-3-0.json", dir);
  CHECK_TEXT(model.is_ok(), model.status().to_string().c_str());
  CHECK(model.value().service("rtk_calibration") != nullptr);
  CHECK(model.value().service("cover_open") != nullptr);  // from common/dock_base.json, two levels up
  CHECK(load_file(dir + "/nope.json", dir).status().code() == StatusCode::kNotFound);
}

TEST(ThingModelLoad, ResolverRules) {
  const std::map<std::string, std::string> files = {
      {"base.json", R"({"kind":"dock","model_key":"x","types":{"t":{"type":"int"}},
                      "properties":{"a":{"type":"int","push":"osd","min":0},"b":{"type":"text","push":"osd"}}})"},
      {"child.json", R"({"extends":"base.json","model_key":"1-2-3","remove":{"properties":["b"]},
                       "properties":{"a":{"merge":true,"max":5},"c":{"ref":"t","push":"osd"}}})"},
      {"bad_remove.json", R"({"extends":"base.json","remove":{"properties":["zzz"]}})"},
      {"bad_merge.json", R"({"extends":"base.json","properties":{"q":{"merge":true,"max":1}}})"},
      {"loop_a.json", R"({"extends":"loop_b.json"})"},
      {"loop_b.json", R"({"extends":"loop_a.json"})"}};
  const auto reader = reader_for(files);
  const auto resolved = docklink::thing::resolve_model_json("child.json", reader);
  CHECK_TEXT(resolved.is_ok(), resolved.status().to_string().c_str());
  const auto model = ThingModel::parse(resolved.value());
  CHECK_TEXT(model.is_ok(), model.status().to_string().c_str());
  STRCMP_EQUAL("1-2-3", model.value().model_key().c_str());
  const auto* a = model.value().property("a");
  CHECK(a->type.has_min && a->type.has_max);  // merged: min from the base, max from the child
  CHECK(model.value().property("b") == nullptr);
  CHECK(model.value().property("c")->type.type == ValueType::kInt);
  CHECK_FALSE(docklink::thing::resolve_model_json("bad_remove.json", reader).is_ok());
  CHECK_FALSE(docklink::thing::resolve_model_json("bad_merge.json", reader).is_ok());
  const auto loop = docklink::thing::resolve_model_json("loop_a.json", reader);
  CHECK_FALSE(loop.is_ok());
  CHECK(loop.status().message().find("cycle") != std::string::npos);
}

TEST(ThingModelLoad, ParseRejectsBrokenModels) {
  CHECK_FALSE(ThingModel::parse("{").is_ok());
  CHECK_FALSE(ThingModel::parse(R"({"extends":"x.json","model_key":"1","kind":"dock"})").is_ok());
  CHECK_FALSE(
      ThingModel::parse(R"({"model_key":"1","kind":"dock","properties":{"a":{"type":"blob","push":"osd"}}})").is_ok());
  CHECK_FALSE(
      ThingModel::parse(R"({"model_key":"1","kind":"dock","properties":{"a":{"ref":"none","push":"osd"}}})").is_ok());
  CHECK_FALSE(
      ThingModel::parse(R"({"model_key":"1","kind":"dock","properties":{"a":{"type":"int","push":"state"}}})").is_ok());
  CHECK_FALSE(ThingModel::parse(R"({"model_key":"1","kind":"dock","types":{"t":{"ref":"t"}},
                                   "properties":{"a":{"ref":"t","push":"osd"}}})")
                  .is_ok());
  CHECK(ThingModel::parse(R"({"model_key":"1","kind":"aircraft"})").is_ok());
}
