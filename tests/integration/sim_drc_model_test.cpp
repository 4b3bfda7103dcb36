// dock-sim's DRC traffic against the thing models: what the simulator pushes and answers on drc/up fits the
// model's drc_up and replies, and the commands the simulator tests send on drc/down fit its drc_down, so the
// sample and the models say the same about docs/protocol.md#drc-messages.
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/thing/thing_model.hpp"
#include "docklink/thing/validation.hpp"
#include "sim_test_groups.hpp"

using namespace simtest;
using namespace std::chrono_literals;

namespace {

docklink::thing::ThingModel model(const char* key) {
  auto loaded = docklink::thing::load_embedded(key);
  CHECK_TEXT(loaded.is_ok(), loaded.status().to_string().c_str());
  return std::move(loaded).value();
}

// Every command sent in the SimDrc tests, as the cloud sends it.
const char* const kCommands[] = {
    R"({"method":"heart_beat","seq":1111,"data":{"timestamp":1111}})",
    R"({"method":"heart_beat","data":{"ts":2222}})",
    R"({"method":"stick_control","seq":3,"data":{"roll":1024,"pitch":1684,"throttle":1024,"yaw":1024,"gimbal_pitch":1024}})",
    R"({"method":"drone_control","data":{"seq":3,"x":2,"y":0,"h":0,"w":0}})",
    R"({"method":"drone_emergency_stop","data":{}})",
};

}  // namespace

TEST_GROUP_BASE(SimDrcModel, SimSessionGroup) {
  SessionArgs args{this, {"--speed", "100", "--osd-period-ms", "100"}};  // Dock 2, dock-sim's default
};

TEST(SimDrcModel, TheSimulatorTestsCommandsFitTheDockModels) {
  for (const char* key : {"3-1-0", "3-2-0", "3-3-0"}) {
    const docklink::thing::ThingModel dock = model(key);
    for (const char* command : kCommands) {
      rapidjson::Document json;
      json.Parse(command);
      const std::string method = json["method"].GetString();
      if (dock.drc_down(method) == nullptr) {
        CHECK_TEXT(std::string(key) == "3-1-0" && method == "stick_control",
                   method.c_str());  // docs/protocol.md#drc-messages
        continue;
      }
      auto result = docklink::thing::validate_drc_down(dock, method, json.HasMember("seq"), json["data"]);
      CHECK_TEXT(result.ok(), (std::string(key) + " " + command + ": " + result.message).c_str());
    }
  }
}

TEST(SimDrcModel, EverythingTheSimulatorSendsOnDrcUpFitsItsModel) {
  const docklink::thing::ThingModel dock = model("3-2-0");
  DrcCloud drc(session->broker_uri(), kSn);
  CHECK_TRUE(drc.connected());
  const std::string address = session->broker_uri().substr(std::string("tcp://").size());
  LONGS_EQUAL(0, session->result_of("flight_authority_grab"));
  LONGS_EQUAL(0, session->result_of("drc_mode_enter", R"({"mqtt_broker":{"address":")" + address +
                                                          R"(","client_id":"SIMTEST-0001-drc","username":"",)"
                                                          R"("password":"","expire_time":0,"enable_tls":false},)"
                                                          R"("osd_frequency":10,"hsi_frequency":5})"));
  CHECK_TRUE(session->osd_shows(kSn, "drc_state", 2));
  drc.send(kCommands[0]);
  drc.send(kCommands[4]);
  drc.send(R"({"method":"drone_control","data":{"seq":5,"x":0,"y":0,"h":0,"w":0}})");
  drc.send(R"({"method":"drone_control","data":{"seq":4,"x":0,"y":0,"h":0,"w":0}})");  // stale: answered
  for (const char* method : {"heart_beat", "drone_emergency_stop", "drone_control", "hsi_info_push"}) {
    CHECK_TEXT(!drc.wait_count(method, 1).empty(), method);
  }
  std::vector<DrcSeen> seen = drc.wait_count("osd_info_push", 3);
  CHECK_TRUE(seen.size() >= 3);
  std::size_t checked = 0;
  for (const char* method : {"heart_beat", "drone_emergency_stop", "drone_control", "hsi_info_push", "osd_info_push"}) {
    for (const DrcSeen& message : drc.wait_count(method, 1)) {
      auto result = docklink::thing::validate_drc_up(dock, method, message.data());
      CHECK_TEXT(result.ok(), (std::string(method) + ": " + result.message).c_str());
      ++checked;
    }
  }
  CHECK_TRUE(checked >= 7);
}
