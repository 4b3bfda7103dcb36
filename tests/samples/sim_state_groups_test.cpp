// dock-sim's state groups written into a PropertyStore by descriptor (state_groups.cpp): every group fits the
// product's thing models, each product reports the groups its models have, each message carries its whole group in
// the docks' wire encoding (the same keys and values the hand-built messages had), a reported group goes out again
// with the same values, and a value the model refuses is counted and not sent.
#include <initializer_list>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "docklink/thing/property_store.hpp"
#include "docklink/thing/thing_model.hpp"
#include "product.hpp"
#include "product_properties.hpp"
#include "state_groups.hpp"
#include "store_writer.hpp"

// Last: CppUTest redefines new.
#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::sim::DockState;
using docklink::sim::StateGroup;
using docklink::sim::StoreWriter;

namespace {

const std::initializer_list<StateGroup> kDockGroups = {
    StateGroup::kDockFirmware,      StateGroup::kSilentMode,  StateGroup::kUserExperienceImprovement,
    StateGroup::kAirTransferEnable, StateGroup::kWpmzVersion, StateGroup::kLiveCapacity,
    StateGroup::kLiveStatus,        StateGroup::kRtcmInfo,    StateGroup::kDockDongleInfos};
const std::initializer_list<StateGroup> kAircraftGroups = {StateGroup::kAircraftFirmware,
                                                           StateGroup::kAircraftDongleInfos,
                                                           StateGroup::kCommanderFlightHeight,
                                                           StateGroup::kCommanderModeLostAction,
                                                           StateGroup::kCurrentCommanderFlightMode,
                                                           StateGroup::kCommanderFlightMode,
                                                           StateGroup::kRemainingPowerForReturnHome,
                                                           StateGroup::kCameraWatermarkSettings};

// A dock with one stream running and the two dongles of Dock 2/3.
DockState busy_dock() {
  DockState s;
  s.firmware_version = "10.01.0205";
  s.firmware_upgrade_status = 1;
  s.drone_firmware_version = "09.01.0100";
  s.live.push_back({"SN/165-0-7/normal-0", 2, "normal", 1});
  sim::Dongle dock_dongle;
  dock_dongle.device_type = "dock";
  dock_dongle.imei = "860000000000001";
  dock_dongle.eid = "E1";
  dock_dongle.esim.push_back({2, true, "I2"});
  dock_dongle.sim_iccid = "S1";
  sim::Dongle drone_dongle = dock_dongle;
  drone_dongle.device_type = "drone";
  drone_dongle.imei = "860000000000002";
  s.dongles = {dock_dongle, drone_dongle};
  return s;
}

// One device's store, and what reporting some of its groups sent: group name -> message data.
struct Report {
  std::unique_ptr<thing::PropertyStore> store;
  int failures = 0;
  std::string first_failure;
  std::map<std::string, std::string> sent;
};

Report report(const char* product_name, bool aircraft, std::initializer_list<StateGroup> groups, const DockState& s,
              Report previous = {}) {
  const sim::Product* product = sim::find_product(product_name);
  Report out = std::move(previous);
  if (!out.store) {
    out.store = std::make_unique<thing::PropertyStore>(std::make_shared<const thing::ThingModel>(
        thing::load_embedded(aircraft ? product->aircraft_model_key : product->dock_model_key).value()));
  }
  StoreWriter writer(*out.store, StoreWriter::StateWrites::kReport);
  for (StateGroup group : groups) {
    if (sim::is_aircraft_group(group) == aircraft) sim::write_state_group(writer, group, s, *product, "UAV-SN");
  }
  out.failures = writer.failures();
  out.first_failure = writer.first_failure();
  out.sent.clear();
  for (const thing::StateGroupUpdate& update : out.store->take_changed_state_groups()) {
    out.sent[update.group] = update.json;
  }
  return out;
}

std::set<std::string> names(const Report& r) {
  std::set<std::string> groups;
  for (const auto& entry : r.sent) groups.insert(entry.first);
  return groups;
}

}  // namespace

TEST_GROUP(SimStateGroups){};

TEST(SimStateGroups, EachProductReportsTheGroupsOfItsModels) {
  const std::set<std::string> common_dock = {"firmware", "silent_mode", "user_experience_improvement", "live_capacity",
                                             "live_status"};
  std::set<std::string> dock1 = common_dock, gen2 = common_dock;
  dock1.insert("wpmz_version");
  gen2.insert({"air_transfer_enable", "rtcm_info", "dongle_infos"});
  const std::set<std::string> m30 = {"firmware", "commander_flight_height", "commander_mode_lost_action",
                                     "current_commander_flight_mode"};
  std::set<std::string> m3d = m30;
  m3d.insert({"dongle_infos", "commander_flight_mode", "remaining_power_for_return_home", "camera_watermark_settings"});
  for (const char* name : {"dock1", "dock2", "dock3"}) {
    bool first = std::string(name) == "dock1";
    Report dock = report(name, false, kDockGroups, busy_dock());
    Report aircraft = report(name, true, kAircraftGroups, busy_dock());
    LONGS_EQUAL_TEXT(0, dock.failures, dock.first_failure.c_str());
    LONGS_EQUAL_TEXT(0, aircraft.failures, aircraft.first_failure.c_str());
    CHECK_TEXT(names(dock) == (first ? dock1 : gen2), name);
    CHECK_TEXT(names(aircraft) == (first ? m30 : m3d), name);
  }
}

TEST(SimStateGroups, EachMessageCarriesItsWholeGroupInTheDocksEncoding) {
  DockState s = busy_dock();
  s.commander_flight_height = 87.254;
  s.air_transfer_enable = true;
  s.watermark.global_enable = true;
  s.watermark.user_custom_string = "callsign";
  Report dock = report("dock2", false, kDockGroups, s);
  Report aircraft = report("dock2", true, kAircraftGroups, s);
  STRCMP_EQUAL(R"({"compatible_status":0,"firmware_upgrade_status":1,"firmware_version":"10.01.0205"})",
               dock.sent["firmware"].c_str());
  STRCMP_EQUAL(R"({"compatible_status":0,"firmware_upgrade_status":0,"firmware_version":"09.01.0100"})",
               aircraft.sent["firmware"].c_str());
  STRCMP_EQUAL(R"({"silent_mode":0})", dock.sent["silent_mode"].c_str());
  STRCMP_EQUAL(R"({"air_transfer_enable":true})", dock.sent["air_transfer_enable"].c_str());
  STRCMP_EQUAL(R"({"live_capacity":{"available_video_number":2,"coexist_video_number_max":1,"device_list":[)"
               R"({"sn":"UAV-SN","available_video_number":1,"coexist_video_number_max":1,"camera_list":[)"
               R"({"camera_index":"80-0-0","available_video_number":1,"coexist_video_number_max":1,"video_list":[)"
               R"({"video_index":"normal-0","video_type":"normal","switchable_video_types":["normal","wide","zoom"]})"
               R"(]}]}]}})",
               dock.sent["live_capacity"].c_str());
  STRCMP_EQUAL(R"({"live_status":[{"video_id":"SN/165-0-7/normal-0","video_type":"normal","video_quality":2,)"
               R"("status":1,"error_status":0,"camera_position":1}]})",
               dock.sent["live_status"].c_str());
  STRCMP_EQUAL(R"({"rtcm_info":{"mount_point":"","port":"","host":"","rtcm_device_type":1,"source_type":1}})",
               dock.sent["rtcm_info"].c_str());
  const std::string drone_dongle =
      R"({"imei":"860000000000002","dongle_type":10,"eid":"E1","esim_activate_state":1,"sim_card_state":1,)"
      R"("sim_slot":1,"esim_infos":[{"telecom_operator":2,"enabled":true,"iccid":"I2"}],)"
      R"("sim_info":{"telecom_operator":1,"sim_type":1,"iccid":"S1"}})";
  STRCMP_EQUAL(("{\"dongle_infos\":[" + drone_dongle + "]}").c_str(), aircraft.sent["dongle_infos"].c_str());
  CHECK_TRUE(dock.sent["dongle_infos"].find("860000000000001") != std::string::npos);  // the dock lists both
  CHECK_TRUE(dock.sent["dongle_infos"].find(drone_dongle) != std::string::npos);
  STRCMP_EQUAL(R"({"commander_flight_height":87.25})", aircraft.sent["commander_flight_height"].c_str());
  STRCMP_EQUAL(R"({"camera_watermark_settings":{"global_enable":1,"drone_type_enable":1,"drone_sn_enable":1,)"
               R"("datetime_enable":1,"gps_enable":1,"user_custom_string_enable":0,"user_custom_string":"callsign",)"
               R"("layout":3}})",
               aircraft.sent["camera_watermark_settings"].c_str());
  STRCMP_EQUAL(R"({"current_commander_flight_mode":1})", aircraft.sent["current_commander_flight_mode"].c_str());
}

TEST(SimStateGroups, WholeMetresGoOutAsIntegers) {
  DockState s;
  s.commander_flight_height = 120;
  Report aircraft = report("dock3", true, {StateGroup::kCommanderFlightHeight}, s);
  STRCMP_EQUAL(R"({"commander_flight_height":120})", aircraft.sent["commander_flight_height"].c_str());
}

TEST(SimStateGroups, AReportedGroupGoesOutAgainWithTheSameValues) {
  DockState s = busy_dock();
  Report dock = report("dock2", false, {StateGroup::kSilentMode, StateGroup::kDockFirmware}, s);
  LONGS_EQUAL(2, dock.sent.size());
  dock = report("dock2", false, {StateGroup::kSilentMode}, s, std::move(dock));
  LONGS_EQUAL(1, dock.sent.size());
  STRCMP_EQUAL(R"({"silent_mode":0})", dock.sent["silent_mode"].c_str());

  // Written the store's way (on change) nothing goes out for the same value.
  StoreWriter on_change(*dock.store);
  on_change.code<generated::dock2::Properties::SilentMode>(0);
  CHECK_TRUE(dock.store->take_changed_state_groups().empty());
}

TEST(SimStateGroups, AValueTheModelRefusesIsCountedAndNotSent) {
  DockState s;
  s.silent_mode = 7;  // 0 normal, 1 silent
  Report dock = report("dock2", false, {StateGroup::kSilentMode}, s);
  LONGS_EQUAL(1, dock.failures);
  CHECK_TRUE(dock.first_failure.find("silent_mode") != std::string::npos);
  CHECK_TRUE(dock.sent.empty());
  CHECK_FALSE(dock.store->has("silent_mode"));
}
