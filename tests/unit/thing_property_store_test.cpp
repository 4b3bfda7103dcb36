// PropertyStore on the real models: setters, OSD grouping (Dock 2), state diffing.
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/thing/property_store.hpp"
#include "docklink/thing/thing_model.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::thing::load_embedded;
using docklink::thing::PropertyStore;
using docklink::thing::StateGroupUpdate;
using docklink::thing::ThingModel;

namespace {

std::shared_ptr<const ThingModel> model(const char* key) {
  return std::make_shared<const ThingModel>(load_embedded(key).value());
}

rapidjson::Document parse(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.c_str());
  return document;
}

}  // namespace

TEST_GROUP(ThingPropertyStore) {
  PropertyStore dock{model("3-2-0")};

  void fill_dock() {
    CHECK(dock.set_int("job_number", 7).is_ok());                                                // OSD group 0
    CHECK(dock.set_int("working_voltage", 24000).is_ok());                                       // OSD group 0
    CHECK(dock.set_int("wireless_link.sdr_quality", 5).is_ok());                                 // OSD group 1
    CHECK(dock.set_int("mode_code", 0).is_ok());                                                 // OSD group 2
    CHECK(dock.set_double("latitude", 22.5).is_ok());                                            // OSD group 2
    CHECK(dock.set_json("drone_charge_state", R"({"state":1,"capacity_percent":80})").is_ok());  // OSD group 2
    CHECK(dock.set_text("firmware_version", "10.01.0205").is_ok());                              // state: firmware
    CHECK(dock.set_int("firmware_upgrade_status", 0).is_ok());                                   // state: firmware
    CHECK(dock.set_json("live_status", R"([{"video_id":"a/b/c","status":1}])").is_ok());         // state: live_status
  }
};

TEST(ThingPropertyStore, SettersValidateAgainstTheModel) {
  CHECK(dock.set_int("no_such_property", 1).code() == StatusCode::kNotFound);
  CHECK(dock.set_int("wireless_link.no_such_field", 1).code() == StatusCode::kNotFound);
  CHECK(dock.set_int("cover_state", 9).code() == StatusCode::kInvalidArgument);      // not in enum
  CHECK(dock.set_double("job_number", 1.5).code() == StatusCode::kInvalidArgument);  // ints are integral
  CHECK(dock.set_text("mode_code", "idle").code() == StatusCode::kInvalidArgument);  // wrong type
  CHECK(dock.set_json("storage", "{bad").code() == StatusCode::kInvalidArgument);
  CHECK(dock.set_bool("air_transfer_enable", true).is_ok());
  CHECK(dock.set_int("air_transfer_enable", 0).is_ok());  // 0/1 for bool (docs/protocol.md#quirk-booleans)
  CHECK(dock.set_int("air_transfer_enable", 2).code() == StatusCode::kInvalidArgument);
}

// docs/protocol.md#quirk-booleans: a boolean the model marks "wire": "int" is kept, and so sent, as 0/1 however it
// was given (set_bool, a JSON true/false in set_json or a cloud's property/set); the others keep what they were given.
TEST(ThingPropertyStore, BooleansMarkedIntAreKeptAsZeroOrOne) {
  CHECK(dock.set_bool("sub_device.device_online_status", true).is_ok());
  STRCMP_EQUAL("1", dock.get_json("sub_device.device_online_status").value().c_str());
  CHECK(dock.set_json("sub_device", R"({"device_paired":false,"device_sn":"UAV-1"})").is_ok());
  STRCMP_EQUAL(R"({"device_paired":0,"device_sn":"UAV-1"})", dock.get_json("sub_device").value().c_str());
  CHECK(dock.set_json("position_state", R"({"is_calibration":true,"is_fixed":2})").is_ok());
  STRCMP_EQUAL(R"({"is_calibration":1,"is_fixed":2})", dock.get_json("position_state").value().c_str());
  CHECK(dock.apply(parse(R"({"alternate_land_point":{"is_configured":true}})")).is_ok());
  STRCMP_EQUAL("1", dock.get_json("alternate_land_point.is_configured").value().c_str());
  CHECK(dock.set_int("backup_battery.switch", 0).is_ok());
  STRCMP_EQUAL("0", dock.get_json("backup_battery.switch").value().c_str());
  CHECK(dock.set_bool("air_transfer_enable", false).is_ok());
  STRCMP_EQUAL("false", dock.get_json("air_transfer_enable").value().c_str());
}

TEST(ThingPropertyStore, NestedSetterCreatesParents) {
  CHECK(dock.set_int("drone_charge_state.capacity_percent", 55).is_ok());
  STRCMP_EQUAL(R"({"capacity_percent":55})", dock.get_json("drone_charge_state").value().c_str());
  CHECK(dock.set_int("drone_charge_state.state", 1).is_ok());
  STRCMP_EQUAL("1", dock.get_json("drone_charge_state.state").value().c_str());
  CHECK_FALSE(dock.has("cover_state"));
}

TEST(ThingPropertyStore, TextValuesAreOwnedByTheStore) {
  {
    std::string temporary = "10.01.0300";
    CHECK(dock.set_text("firmware_version", temporary).is_ok());
    temporary.assign(temporary.size(), 'x');
  }
  STRCMP_EQUAL("\"10.01.0300\"", dock.get_json("firmware_version").value().c_str());
}

TEST(ThingPropertyStore, OsdSplitsIntoTheDockGroups) {
  fill_dock();
  std::string json;
  CHECK_EQUAL(2, dock.compose_osd(0, json).value());
  STRCMP_EQUAL(R"({"job_number":7,"working_voltage":24000})", json.c_str());
  CHECK_EQUAL(1, dock.compose_osd(1, json).value());
  STRCMP_EQUAL(R"({"wireless_link":{"sdr_quality":5}})", json.c_str());
  CHECK_EQUAL(3, dock.compose_osd(2, json).value());
  const rapidjson::Document group2 = parse(json);
  CHECK(group2.HasMember("mode_code") && group2.HasMember("latitude") && group2.HasMember("drone_charge_state"));
  CHECK_FALSE(group2.HasMember("firmware_version"));  // state, never in OSD
  CHECK_EQUAL(6, dock.compose_osd(PropertyStore::kAllOsdGroups, json).value());
  CHECK(dock.compose_osd(3, json).status().code() == StatusCode::kInvalidArgument);
}

TEST(ThingPropertyStore, AircraftHasOneOsdGroup) {
  PropertyStore aircraft{model("0-91-0")};
  CHECK(aircraft.set_int("height_limit", 120).is_ok());
  CHECK(aircraft.set_double("attitude_head", 41.7).is_ok());
  CHECK(aircraft.set_json("80-0-0", R"({"payload_index":"80-0-0","gimbal_pitch":-30.5})").is_ok());
  std::string json;
  CHECK_EQUAL(3, aircraft.compose_osd(0, json).value());
  CHECK(aircraft.compose_osd(1, json).status().code() == StatusCode::kInvalidArgument);
}

TEST(ThingPropertyStore, StateGoesOutOnlyForChangedGroups) {
  fill_dock();
  std::vector<StateGroupUpdate> first = dock.take_changed_state_groups();
  CHECK_EQUAL(2u, first.size());  // firmware and live_status; OSD values never make state
  STRCMP_EQUAL("firmware", first[0].group.c_str());
  STRCMP_EQUAL(R"({"firmware_upgrade_status":0,"firmware_version":"10.01.0205"})", first[0].json.c_str());
  STRCMP_EQUAL("live_status", first[1].group.c_str());
  CHECK(dock.take_changed_state_groups().empty());

  // Same value again: nothing to send.
  CHECK(dock.set_text("firmware_version", "10.01.0205").is_ok());
  CHECK(dock.take_changed_state_groups().empty());

  // One changed value: only its group, with the whole group's values.
  CHECK(dock.set_int("firmware_upgrade_status", 1).is_ok());
  CHECK(dock.set_int("job_number", 8).is_ok());  // OSD: no state
  std::vector<StateGroupUpdate> second = dock.take_changed_state_groups();
  CHECK_EQUAL(1u, second.size());
  STRCMP_EQUAL("firmware", second[0].group.c_str());
  STRCMP_EQUAL(R"({"firmware_upgrade_status":1,"firmware_version":"10.01.0205"})", second[0].json.c_str());

  dock.mark_all_state_groups_changed();
  CHECK_EQUAL(2u, dock.take_changed_state_groups().size());
}

TEST(ThingPropertyStore, AMarkedStateGroupGoesOutAgainWithoutAChange) {
  fill_dock();
  CHECK_EQUAL(2u, dock.take_changed_state_groups().size());
  CHECK(dock.set_text("firmware_version", "10.01.0205").is_ok());  // the same value: nothing changed
  CHECK(dock.mark_state_group_changed("firmware_version").is_ok());
  std::vector<StateGroupUpdate> updates = dock.take_changed_state_groups();
  CHECK_EQUAL(1u, updates.size());
  STRCMP_EQUAL("firmware", updates[0].group.c_str());
  STRCMP_EQUAL(R"({"firmware_upgrade_status":0,"firmware_version":"10.01.0205"})", updates[0].json.c_str());
  CHECK(dock.take_changed_state_groups().empty());

  CHECK(dock.mark_state_group_changed("mode_code").code() == StatusCode::kInvalidArgument);  // OSD
  CHECK(dock.mark_state_group_changed("silent_mode").code() == StatusCode::kNotFound);       // no value yet
  CHECK(dock.mark_state_group_changed("no_such_property").code() == StatusCode::kNotFound);
  CHECK(dock.take_changed_state_groups().empty());
}

TEST(ThingPropertyStore, ApplyIsAllOrNothing) {
  PropertyStore aircraft{model("0-91-1")};
  CHECK(aircraft.apply(parse(R"({"height_limit":200,"distance_limit_status":{"state":1}})")).is_ok());
  STRCMP_EQUAL(R"({"state":1})", aircraft.get_json("distance_limit_status").value().c_str());
  CHECK(aircraft.apply(parse(R"({"height_limit":300,"rth_altitude":9999})")).code() == StatusCode::kInvalidArgument);
  STRCMP_EQUAL("200", aircraft.get_json("height_limit").value().c_str());  // unchanged
  CHECK(aircraft.apply(parse(R"({"commander_flight_mode":1})")).is_ok());
  const auto updates = aircraft.take_changed_state_groups();
  CHECK_EQUAL(1u, updates.size());
  STRCMP_EQUAL("commander_flight_mode", updates[0].group.c_str());
}
