// dock-sim's 4G/eSIM and RTK services (docs/protocol.md#services) with their dongle_infos / rtcm_info state
// (#dock-properties), and the thing-model validation dock-sim binds for its product.
#include <cmath>

#include "sim_test_groups.hpp"

using namespace simtest;
using namespace std::chrono_literals;

namespace {

// A dock state message whose `key` satisfies `pred`.
Seen dock_state_with(TestCloud& cloud, const char* key, const std::function<bool(const rapidjson::Value&)>& pred) {
  return cloud.wait_for([&](const Seen& seen) {
    const rapidjson::Value* value = data_at(seen, key);
    return seen.kind == docklink::TopicKind::kState && seen.sn == kSn && value != nullptr && pred(*value);
  });
}

// The dongle_infos entry with `imei`, or nullptr.
const rapidjson::Value* dongle_in(const rapidjson::Value& infos, const std::string& imei) {
  if (!infos.IsArray()) return nullptr;
  for (const auto& entry : infos.GetArray()) {
    if (entry.IsObject() && entry.HasMember("imei") && entry["imei"].IsString() && entry["imei"].GetString() == imei) {
      return &entry;
    }
  }
  return nullptr;
}

// The telecom_operator of the enabled eSIM profile of a dongle_infos entry; 0 when none is enabled.
int enabled_operator(const rapidjson::Value& dongle) {
  int enabled = 0, count = 0;
  for (const auto& profile : dongle["esim_infos"].GetArray()) {
    if (profile["enabled"].GetBool()) {
      enabled = profile["telecom_operator"].GetInt();
      ++count;
    }
  }
  return count == 1 ? enabled : 0;
}

std::string esim_data(const std::string& imei, const char* device_type, const std::string& extra = "") {
  return R"({"imei":")" + imei + R"(","device_type":")" + device_type + "\"" + extra + "}";
}

}  // namespace

// A Dock 2: both dongles start with an inactive eSIM on the physical SIM slot.
TEST_GROUP_BASE(SimNetworkEsim, SimSessionGroup) {
  SessionArgs args{this, {"--speed", "25", "--osd-period-ms", "100"}};
  std::string dock_imei, drone_imei;
  void setup() override {
    SimSessionGroup::setup();
    Seen initial = dock_state_with(session->cloud(), "dongle_infos",
                                   [](const rapidjson::Value& v) { return v.IsArray() && v.Size() == 2; });
    CHECK_TRUE(initial.json != nullptr);
    const rapidjson::Value& infos = *data_at(initial, "dongle_infos");
    dock_imei = infos[0]["imei"].GetString();
    drone_imei = infos[1]["imei"].GetString();
  }
  // Runs an eSIM job to its end and returns its terminal event (checked: bid, rising percents, ok).
  Seen run_job(const char* method, const std::string& data, const std::string& bid) {
    Seen reply = session->reply_to(session->call(method, data, bid));
    CHECK_TRUE(reply.json != nullptr);
    LONGS_EQUAL(0, reply.result());
    STRCMP_EQUAL("in_progress", status_of(reply).c_str());
    Seen done = session->cloud().wait_for(
        [&](const Seen& seen) { return is_event(seen, method) && seen.str("bid") == bid && status_of(seen) == "ok"; });
    CHECK_TRUE(done.json != nullptr);
    LONGS_EQUAL(100, int_in(done, "output.progress.percent"));
    std::vector<Seen> events =
        session->cloud().all([&](const Seen& seen) { return is_event(seen, method) && seen.str("bid") == bid; });
    CHECK_TRUE(events.size() >= 3);
    int last_percent = -1;
    for (const Seen& seen : events) {
      CHECK_TRUE(int_in(seen, "output.progress.percent") > last_percent);
      last_percent = int_in(seen, "output.progress.percent");
    }
    return done;
  }
};

TEST(SimNetworkEsim, InitialStateListsBothEsimDonglesAndTheRtkSource) {
  Seen dongles = dock_state_with(session->cloud(), "dongle_infos",
                                 [](const rapidjson::Value& v) { return v.IsArray() && v.Size() == 2; });
  for (const auto& entry : data_at(dongles, "dongle_infos")->GetArray()) {
    LONGS_EQUAL(10, int_at(entry, "dongle_type"));
    LONGS_EQUAL(1, int_at(entry, "esim_activate_state"));
    LONGS_EQUAL(1, int_at(entry, "sim_slot"));
    LONGS_EQUAL(3, entry["esim_infos"].Size());
  }
  CHECK_TRUE(dock_imei != drone_imei);
  // The aircraft reports its own dongle.
  Seen aircraft = session->cloud().wait_for([&](const Seen& seen) {
    const rapidjson::Value* infos = data_at(seen, "dongle_infos");
    return seen.kind == docklink::TopicKind::kState && seen.sn == kAircraft && infos != nullptr &&
           dongle_in(*infos, drone_imei) != nullptr;
  });
  CHECK_TRUE(aircraft.json != nullptr);
  Seen rtcm = dock_state_with(session->cloud(), "rtcm_info", [](const rapidjson::Value& v) { return v.IsObject(); });
  CHECK_TRUE(rtcm.json != nullptr);
  LONGS_EQUAL(1, int_in(rtcm, "rtcm_info.rtcm_device_type"));
  LONGS_EQUAL(1, int_in(rtcm, "rtcm_info.source_type"));  // self-converged
}

TEST(SimNetworkEsim, ActivationReportsProgressThenShowsTheEsimActive) {
  run_job("esim_activate", esim_data(dock_imei, "dock"), "esim-activate-bid");
  Seen active = dock_state_with(session->cloud(), "dongle_infos", [&](const rapidjson::Value& v) {
    const rapidjson::Value* dongle = dongle_in(v, dock_imei);
    return dongle != nullptr && int_at(*dongle, "esim_activate_state") == 2;
  });
  CHECK_TRUE(active.json != nullptr);
  const rapidjson::Value& infos = *data_at(active, "dongle_infos");
  LONGS_EQUAL(1, enabled_operator(*dongle_in(infos, dock_imei)));
  LONGS_EQUAL(1, int_at(*dongle_in(infos, drone_imei), "esim_activate_state"));  // the other dongle is untouched
}

TEST(SimNetworkEsim, SlotAndOperatorSwitchesNeedAnActiveEsim) {
  const std::string to_esim = esim_data(drone_imei, "drone", R"(,"sim_slot":2)");
  const std::string to_unicom = esim_data(drone_imei, "drone", R"(,"esim_operator":2)");
  LONGS_EQUAL(326104, session->result_of("sim_slot_switch", to_esim));
  LONGS_EQUAL(326104, session->result_of("esim_operator_switch", to_unicom));

  run_job("esim_activate", esim_data(drone_imei, "drone"), "activate-drone");
  LONGS_EQUAL(0, session->result_of("sim_slot_switch", to_esim));
  Seen on_esim = dock_state_with(session->cloud(), "dongle_infos", [&](const rapidjson::Value& v) {
    const rapidjson::Value* dongle = dongle_in(v, drone_imei);
    return dongle != nullptr && int_at(*dongle, "sim_slot") == 2;
  });
  CHECK_TRUE(on_esim.json != nullptr);

  run_job("esim_operator_switch", to_unicom, "switch-operator");
  Seen switched = dock_state_with(session->cloud(), "dongle_infos", [&](const rapidjson::Value& v) {
    const rapidjson::Value* dongle = dongle_in(v, drone_imei);
    return dongle != nullptr && enabled_operator(*dongle) == 2;
  });
  CHECK_TRUE(switched.json != nullptr);
  LONGS_EQUAL(2, int_at(*dongle_in(*data_at(switched, "dongle_infos"), drone_imei), "sim_slot"));

  LONGS_EQUAL(0, session->result_of("sim_slot_switch", esim_data(drone_imei, "drone", R"(,"sim_slot":1)")));
  CHECK_TRUE(dock_state_with(session->cloud(), "dongle_infos", [&](const rapidjson::Value& v) {
               const rapidjson::Value* dongle = dongle_in(v, drone_imei);
               return dongle != nullptr && int_at(*dongle, "sim_slot") == 1;
             }).json != nullptr);
}

TEST(SimNetworkEsim, UnknownDongleAndBusyEsimGetModule326Codes) {
  LONGS_EQUAL(326002, session->result_of("esim_activate", esim_data("860000000009999", "dock")));
  // The dock's dongle is not in the aircraft.
  LONGS_EQUAL(326002, session->result_of("esim_activate", esim_data(dock_imei, "drone")));
  LONGS_EQUAL(326002, session->result_of("sim_slot_switch", esim_data("860000000009999", "dock", R"(,"sim_slot":1)")));
  // A second job on the same dongle while the first runs.
  LONGS_EQUAL(0, session->result_of("esim_activate", esim_data(dock_imei, "dock")));
  LONGS_EQUAL(326103, session->result_of("esim_activate", esim_data(dock_imei, "dock")));
}

TEST(SimNetworkEsim, ParametersOutsideTheThingModelAreAnswered325001ByTheValidator) {
  // sim_slot 1.0 would read as slot 1 in the simulator's handler; the model's integer enum refuses it first.
  LONGS_EQUAL(325001, session->result_of("sim_slot_switch", esim_data(dock_imei, "dock", R"(,"sim_slot":1.0)")));
  LONGS_EQUAL(325001, session->result_of("esim_activate", R"({"imei":860000000000001,"device_type":"dock"})"));
  LONGS_EQUAL(325001, session->result_of("esim_activate", esim_data(dock_imei, "relay")));
  // The Java model's name for the operator (docs/protocol.md#quirk-esim-operator) is not the documented one: the
  // required esim_operator is missing.
  LONGS_EQUAL(325001,
              session->result_of("esim_operator_switch", esim_data(dock_imei, "dock", R"(,"telecom_operator":2)")));
  // rtk_calibration is Dock 3 only: the Dock 2 model does not know it.
  LONGS_EQUAL(325001, session->result_of("rtk_calibration", R"({"devices":[]})"));
  // The same well-typed call passes.
  LONGS_EQUAL(0, session->result_of("sim_slot_switch", esim_data(dock_imei, "dock", R"(,"sim_slot":1)")));
}

TEST_GROUP_BASE(SimNetworkDock1, SimTestGroup){};

TEST(SimNetworkDock1, HasNoEsimServicesAndNoDongleState) {
  SimSession session({"--model", "dock1", "--speed", "100"});
  CHECK_TRUE_TEXT(session.ready(), session.not_ready().c_str());
  const std::string data = R"({"imei":"860000000000001","device_type":"dock"})";
  LONGS_EQUAL(325001, session.result_of("esim_activate", data));
  LONGS_EQUAL(325001,
              session.result_of("esim_operator_switch", R"({"imei":"1","device_type":"dock","esim_operator":1})"));
  LONGS_EQUAL(325001, session.result_of("sim_slot_switch", R"({"imei":"1","device_type":"dock","sim_slot":1})"));
  // The aircraft's firmware state is the last group of the initial state; none before it was dongle_infos.
  Seen last = session.cloud().wait_for([](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kState && seen.sn == kAircraft && data_at(seen, "firmware_version");
  });
  CHECK_TRUE(last.json != nullptr);
  CHECK_TRUE(session.cloud().all([](const Seen& seen) { return data_at(seen, "dongle_infos") != nullptr; }).empty());
}

// A Dock 3: one-click RTK calibration with a manually entered position.
TEST_GROUP_BASE(SimNetworkRtk, SimSessionGroup) {
  SessionArgs args{this, {"--model", "dock3", "--speed", "20", "--osd-period-ms", "100"}};
  static std::string calibration(const std::string& sn, const char* module, const char* height = "61.25") {
    return R"({"devices":[{"sn":")" + sn + R"(","type":1,"module":")" + module +
           R"(","data":{"latitude":22.6011,"longitude":113.9522,"height":)" + height + "}}]}";
  }
};

TEST(SimNetworkRtk, CalibrationReportsDevicesAndMakesTheSourceManual) {
  Seen initial = dock_state_with(session->cloud(), "rtcm_info", [](const rapidjson::Value& v) { return v.IsObject(); });
  LONGS_EQUAL(1, int_in(initial, "rtcm_info.source_type"));
  CHECK_TRUE(dock_state_with(session->cloud(), "dongle_infos", [](const rapidjson::Value& v) {
               return v.IsArray() && v.Size() == 2;
             }).json != nullptr);

  const std::string bid = "rtk-bid-1";
  Seen reply = session->reply_to(session->call("rtk_calibration", calibration(kSn, "3"), bid));
  CHECK_TRUE(reply.json != nullptr);
  LONGS_EQUAL(0, reply.result());
  STRCMP_EQUAL("in_progress", status_of(reply).c_str());

  std::vector<Seen> events = session->cloud().wait_count(
      [&](const Seen& seen) { return is_event(seen, "rtk_calibration") && seen.str("bid") == bid; }, 2, 5s);
  LONGS_EQUAL(2, events.size());
  STRCMP_EQUAL("in_progress", status_of(events[0]).c_str());
  LONGS_EQUAL(0, int_in(events[0], "output.progress.percent"));
  STRCMP_EQUAL("ok", status_of(events[1]).c_str());
  LONGS_EQUAL(100, int_in(events[1], "output.progress.percent"));
  for (const Seen& event : events) {
    LONGS_EQUAL(0, event.result());
    LONGS_EQUAL(1, int_in(event, "output.progress.current_step"));
    LONGS_EQUAL(1, int_in(event, "output.ext.version"));
    const rapidjson::Value* devices = data_at(event, "output.ext.devices");
    CHECK_TRUE(devices != nullptr && devices->IsArray() && devices->Size() == 1);
    const rapidjson::Value& device = (*devices)[0];
    STRCMP_EQUAL(kSn, device["sn"].GetString());
    LONGS_EQUAL(1, int_at(device, "type"));
    STRCMP_EQUAL("3", device["module"].GetString());
    LONGS_EQUAL(0, int_at(device, "result"));
    STRCMP_EQUAL(status_of(event).c_str(), device["status"].GetString());
  }

  Seen manual = dock_state_with(session->cloud(), "rtcm_info.source_type",
                                [](const rapidjson::Value& v) { return v.IsInt() && v.GetInt() == 2; });
  CHECK_TRUE(manual.json != nullptr);
  Seen moved = session->cloud().wait_for([](const Seen& seen) {
    const rapidjson::Value* latitude = data_at(seen, "latitude");
    const rapidjson::Value* height = data_at(seen, "height");
    return seen.kind == docklink::TopicKind::kOsd && seen.sn == kSn && latitude != nullptr && latitude->IsNumber() &&
           std::fabs(latitude->GetDouble() - 22.6011) < 1e-6 && height != nullptr && height->IsNumber() &&
           std::fabs(height->GetDouble() - 61.25) < 1e-3;
  });
  CHECK_TRUE(moved.json != nullptr);
}

TEST(SimNetworkRtk, OnlyThisDockCanBeCalibratedAndTypesAreChecked) {
  LONGS_EQUAL(325001, session->result_of("rtk_calibration", calibration("OTHER-SN", "3")));
  LONGS_EQUAL(325001, session->result_of("rtk_calibration", calibration(kSn, "6")));  // no relay simulated
  LONGS_EQUAL(325001, session->result_of("rtk_calibration", calibration(kSn, "4")));  // not a module of the model
  // The handler would read a text height as 0 m; the model's double refuses it first.
  LONGS_EQUAL(325001, session->result_of("rtk_calibration", calibration(kSn, "3", R"("61.25")")));
  LONGS_EQUAL(0, session->result_of("rtk_calibration", calibration(kSn, "3")));
  LONGS_EQUAL(514116, session->result_of("rtk_calibration", calibration(kSn, "3")));  // one at a time
}
