// dock-sim connect sequence: update_topo with dock and aircraft, the config request, organisation binding
// (docs/protocol.md#binding: airport_bind_status → airport_organization_get → airport_organization_bind) and the
// initial state groups.
#include "sim_test_groups.hpp"

using namespace simtest;
using namespace std::chrono_literals;

namespace {

std::function<bool(const Seen&)> request(const std::string& method) {
  return [method](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kRequests && seen.str("method") == method;
  };
}

// The state message of `sn` that carries `key` (json == nullptr on timeout).
Seen state_with(TestCloud& cloud, const std::string& sn, const char* key) {
  return cloud.wait_for([&](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kState && seen.sn == sn && data_at(seen, key) != nullptr;
  });
}

// Index of the first uplink matching `pred` among everything the cloud saw (-1 when none).
int arrival_of(TestCloud& cloud, const std::function<bool(const Seen&)>& pred) {
  std::vector<Seen> all = cloud.all([](const Seen&) { return true; });
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (pred(all[i])) return static_cast<int>(i);
  }
  return -1;
}

// How long to keep listening for a request that must not come: binding follows the config reply within
// milliseconds, so a second is plenty.
constexpr auto kAbsenceWindow = 1500ms;

}  // namespace

TEST_GROUP_BASE(SimConnect, SimSessionGroup) {
  SessionArgs args{this, {"--osd-period-ms", "200"}};
  TestCloud* cloud = nullptr;
  void setup() override {
    SimSessionGroup::setup();
    cloud = &session->cloud();
  }
};

TEST(SimConnect, UpdateTopoAnnouncesDockAndAircraft) {
  Seen topo = cloud->wait_for([](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kStatus && seen.sn == kSn && seen.str("method") == "update_topo";
  });
  CHECK_TRUE(topo.json != nullptr);
  STRCMP_EQUAL("3", string_in(topo, "domain").c_str());
  LONGS_EQUAL(2, int_in(topo, "type"));
  LONGS_EQUAL(0, int_in(topo, "sub_type"));
  STRCMP_EQUAL("1.2.0", string_in(topo, "thing_version").c_str());
  const rapidjson::Value* subs = data_at(topo, "sub_devices");
  CHECK_TRUE(subs != nullptr && subs->IsArray() && subs->Size() == 1);
  const rapidjson::Value& aircraft = (*subs)[0];
  STRCMP_EQUAL(kAircraft, aircraft["sn"].GetString());
  STRCMP_EQUAL("0", aircraft["domain"].GetString());
  LONGS_EQUAL(91, int_at(aircraft, "type"));
  LONGS_EQUAL(0, int_at(aircraft, "sub_type"));
  STRCMP_EQUAL("A", aircraft["index"].GetString());
}

TEST(SimConnect, ConfigThenBindingRequestsWhenUnbound) {
  Seen config = cloud->wait_for(request("config"));
  CHECK_TRUE(config.json != nullptr);
  STRCMP_EQUAL("json", string_in(config, "config_type").c_str());
  STRCMP_EQUAL("product", string_in(config, "config_scope").c_str());

  Seen status = cloud->wait_for(request("airport_bind_status"));
  CHECK_TRUE(status.json != nullptr);
  STRCMP_EQUAL(kSn, status.sn.c_str());
  const rapidjson::Value* devices = data_at(status, "devices");
  CHECK_TRUE(devices != nullptr && devices->IsArray() && devices->Size() == 2);
  STRCMP_EQUAL(kSn, (*devices)[0]["sn"].GetString());
  STRCMP_EQUAL(kAircraft, (*devices)[1]["sn"].GetString());

  // The cloud answered "not bound", so the dock asks for the organisation and binds both devices.
  Seen organization = cloud->wait_for(request("airport_organization_get"));
  CHECK_TRUE(organization.json != nullptr);
  STRCMP_EQUAL("sim-binding-code", string_in(organization, "device_binding_code").c_str());
  STRCMP_EQUAL("sim-organization", string_in(organization, "organization_id").c_str());

  Seen bind = cloud->wait_for(request("airport_organization_bind"));
  CHECK_TRUE(bind.json != nullptr);
  const rapidjson::Value* bind_devices = data_at(bind, "bind_devices");
  CHECK_TRUE(bind_devices != nullptr && bind_devices->IsArray() && bind_devices->Size() == 2);
  const rapidjson::Value& dock = (*bind_devices)[0];
  STRCMP_EQUAL(kSn, dock["sn"].GetString());
  STRCMP_EQUAL("3-2-0", dock["device_model_key"].GetString());
  STRCMP_EQUAL("sim-binding-code", dock["device_binding_code"].GetString());
  STRCMP_EQUAL("sim-organization", dock["organization_id"].GetString());
  CHECK_TRUE(std::string(dock["device_callsign"].GetString()) != "");
  STRCMP_EQUAL(kAircraft, (*bind_devices)[1]["sn"].GetString());
  STRCMP_EQUAL("0-91-0", (*bind_devices)[1]["device_model_key"].GetString());

  // In that order: each request waits for the previous reply.
  int config_at = arrival_of(*cloud, request("config"));
  int status_at = arrival_of(*cloud, request("airport_bind_status"));
  int organization_at = arrival_of(*cloud, request("airport_organization_get"));
  int bind_at = arrival_of(*cloud, request("airport_organization_bind"));
  CHECK_TRUE(config_at < status_at && status_at < organization_at && organization_at < bind_at);
  LONGS_EQUAL(1, cloud->all(request("airport_organization_bind")).size());
}

TEST(SimConnect, InitialStateGroupsDescribeDockAndAircraft) {
  Seen firmware = state_with(*cloud, kSn, "firmware_version");
  CHECK_TRUE(firmware.json != nullptr);
  STRCMP_EQUAL("10.01.0205", string_in(firmware, "firmware_version").c_str());
  LONGS_EQUAL(0, int_in(firmware, "compatible_status"));
  LONGS_EQUAL(0, int_in(firmware, "firmware_upgrade_status"));

  Seen live = state_with(*cloud, kSn, "live_capacity");
  CHECK_TRUE(live.json != nullptr);
  CHECK_TRUE(int_in(live, "live_capacity.available_video_number") >= 1);
  const rapidjson::Value* devices = data_at(live, "live_capacity.device_list");
  CHECK_TRUE(devices != nullptr && devices->IsArray() && devices->Size() == 1);
  STRCMP_EQUAL(kAircraft, (*devices)[0]["sn"].GetString());
  STRCMP_EQUAL("80-0-0", (*devices)[0]["camera_list"][0]["camera_index"].GetString());

  CHECK_TRUE(state_with(*cloud, kSn, "silent_mode").json != nullptr);
  CHECK_TRUE(state_with(*cloud, kSn, "user_experience_improvement").json != nullptr);
  CHECK_TRUE(state_with(*cloud, kSn, "air_transfer_enable").json != nullptr);  // Dock 2/3

  Seen aircraft = state_with(*cloud, kAircraft, "firmware_version");
  CHECK_TRUE(aircraft.json != nullptr);
  STRCMP_EQUAL("10.01.1002", string_in(aircraft, "firmware_version").c_str());
  // One logical group per message: the firmware group carries no live capacity.
  CHECK_TRUE(data_at(firmware, "live_capacity") == nullptr);
}

TEST_GROUP_BASE(SimConnectOptions, SimBrokerGroup){};

TEST(SimConnectOptions, NoBindSkipsBinding) {
  TestCloud cloud(broker->uri());
  CHECK_TRUE(cloud.connected());
  Simulator sim(broker->dir() + "/nobind.log", sim_args("NOBIND-0001", {"--no-bind"}));
  CHECK_TRUE(cloud.wait_for(request("config")).json != nullptr);
  CHECK_TRUE(cloud.wait_for(request("airport_bind_status"), kAbsenceWindow).json == nullptr);
  LONGS_EQUAL(0, cloud.all(request("airport_organization_bind")).size());
}

TEST(SimConnectOptions, AlreadyBoundDockDoesNotBindAgain) {
  TestCloud cloud(broker->uri());
  CHECK_TRUE(cloud.connected());
  // TestCloud reports SNs starting with "BOUND-" as bound.
  Simulator sim(broker->dir() + "/bound.log", sim_args("BOUND-0001"));
  CHECK_TRUE(cloud.wait_for(request("airport_bind_status")).json != nullptr);
  CHECK_TRUE(cloud.wait_for(request("airport_organization_get"), kAbsenceWindow).json == nullptr);
  LONGS_EQUAL(0, cloud.all(request("airport_organization_bind")).size());
}

TEST(SimConnectOptions, Dock1AnnouncesItsModelsAndWaylineParser) {
  TestCloud cloud(broker->uri());
  CHECK_TRUE(cloud.connected());
  Simulator sim(broker->dir() + "/dock1.log", sim_args("DOCK1-0001", {"--model", "dock1"}));
  Seen topo = cloud.wait_for([](const Seen& seen) {
    return seen.kind == docklink::TopicKind::kStatus && seen.str("method") == "update_topo";
  });
  CHECK_TRUE(topo.json != nullptr);
  LONGS_EQUAL(1, int_in(topo, "type"));
  LONGS_EQUAL(67, int_at((*data_at(topo, "sub_devices"))[0], "type"));
  Seen wpmz = state_with(cloud, "DOCK1-0001", "wpmz_version");
  CHECK_TRUE(wpmz.json != nullptr);
  CHECK_TRUE(string_in(wpmz, "wpmz_version") != "");
  Seen bind = cloud.wait_for(request("airport_organization_bind"));
  CHECK_TRUE(bind.json != nullptr);
  STRCMP_EQUAL("3-1-0", (*data_at(bind, "bind_devices"))[0]["device_model_key"].GetString());
  STRCMP_EQUAL("0-67-0", (*data_at(bind, "bind_devices"))[1]["device_model_key"].GetString());
}
