// add_sub_device_request: the paras a gateway registers its aircraft with, what is refused before anything is sent,
// and the request and its answer on a client of the IoTDA profile.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client_fixture.hpp"
#include "docklink/iotda/profile.hpp"
#include "docklink/iotda/sub_devices.hpp"
#include "iotda_loopback_cloud.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::IotdaSeen;

namespace {

constexpr const char* kGatewayId = "prod_DOCK0001";

iotda::SubDeviceRegistration aircraft() {
  iotda::SubDeviceRegistration device;
  device.node_id = test::kAircraftSn;
  device.product_id = "uav_product";
  device.name = "aircraft of the dock";
  return device;
}

rapidjson::Document parsed(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str());
  return document;
}

}  // namespace

TEST_GROUP(IotdaSubDevices){};

TEST(IotdaSubDevices, ParasNameTheParentAndEachDevicesFields) {
  iotda::SubDeviceRegistration full = aircraft();
  full.device_id = "uav_product_UAV0001";
  full.description = "M3D";
  full.extension_info_json = R"({"dock":"DOCK0001"})";
  std::string paras;
  CHECK_TRUE(iotda::encode_add_sub_devices(kGatewayId, {full, aircraft()}, paras));
  rapidjson::Document document = parsed(paras);
  const rapidjson::Value& devices = document["devices"];
  LONGS_EQUAL(2, devices.Size());
  STRCMP_EQUAL(kGatewayId, devices[0]["parent_device_id"].GetString());
  STRCMP_EQUAL(test::kAircraftSn, devices[0]["node_id"].GetString());
  STRCMP_EQUAL("uav_product_UAV0001", devices[0]["device_id"].GetString());
  STRCMP_EQUAL("aircraft of the dock", devices[0]["name"].GetString());
  STRCMP_EQUAL("M3D", devices[0]["description"].GetString());
  STRCMP_EQUAL("uav_product", devices[0]["product_id"].GetString());
  STRCMP_EQUAL("DOCK0001", devices[0]["extension_info"]["dock"].GetString());
  // What is not set is left out: the platform then chooses the device id.
  CHECK_FALSE(devices[1].HasMember("device_id"));
  CHECK_FALSE(devices[1].HasMember("description"));
  CHECK_FALSE(devices[1].HasMember("extension_info"));
}

TEST(IotdaSubDevices, RefusesWhatThePlatformWouldRefuseNamingTheEntry) {
  std::string paras = "left over";
  CHECK_TRUE(StatusCode::kInvalidArgument == iotda::encode_add_sub_devices(kGatewayId, {}, paras).code());
  CHECK_TRUE(paras.empty());
  std::vector<iotda::SubDeviceRegistration> many(defaults::kIotdaMaxAddSubDevices + 1, aircraft());
  CHECK_FALSE(iotda::encode_add_sub_devices(kGatewayId, many, paras));
  many.pop_back();
  CHECK_TRUE(iotda::encode_add_sub_devices(kGatewayId, many, paras));  // exactly the limit
  CHECK_FALSE(iotda::encode_add_sub_devices("bad/parent", {aircraft()}, paras));
  iotda::SubDeviceRegistration bad = aircraft();
  bad.product_id.clear();
  Status status = iotda::encode_add_sub_devices(kGatewayId, {aircraft(), bad}, paras);
  CHECK_FALSE(status);
  CHECK(status.message().find("devices[1].product_id") != std::string::npos);
  bad = aircraft();
  bad.device_id = "has space";
  CHECK_FALSE(iotda::encode_add_sub_devices(kGatewayId, {bad}, paras));
  bad = aircraft();
  bad.extension_info_json = "[1]";
  CHECK_FALSE(iotda::encode_add_sub_devices(kGatewayId, {bad}, paras));
  bad = aircraft();
  bad.name = std::string(defaults::kIotdaMaxNameLength + 1, 'n');
  CHECK_FALSE(iotda::encode_add_sub_devices(kGatewayId, {bad}, paras));
}

TEST(IotdaSubDevices, TheRequestGoesUpAsTheGatewaysEventAndItsAnswerReachesTheHandler) {
  iotda::ProfileOptions profile;
  profile.gateway_sn = test::kDockSn;
  profile.gateway_device_id = kGatewayId;
  ClientOptions options = test::dock_options();
  options.profile = iotda::make_profile(profile).value();
  test::ClientRig rig(options);
  test::IotdaLoopbackCloud cloud(rig.broker, kGatewayId);
  std::mutex mutex;
  std::vector<std::string> answers;  ///< event_id of each add_sub_device_response heard
  rig.client->on_system_event("$sub_device_manager", [&](const SystemEvent& event) {
    std::lock_guard<std::mutex> lock(mutex);
    if (event.event_type == "add_sub_device_response") answers.emplace_back(event.event_id);
  });
  CHECK_TRUE(rig.client->start());
  CHECK_TRUE(test::eventually([&] { return rig.client->counters().connections_ready == 1; }));
  CHECK_TRUE(iotda::add_sub_devices(*rig.client, test::kDockSn, kGatewayId, {aircraft()}, "add-1"));
  IotdaSeen request = cloud.wait_for("events/up", [](const IotdaSeen& seen) {
    return seen.payload.find("add_sub_device_request") != std::string::npos;
  });
  CHECK_TRUE(request.json != nullptr);
  CHECK_FALSE(request.json->HasMember("object_device_id"));  // about the gateway itself
  const rapidjson::Value& event = (*request.json)["services"][0];
  STRCMP_EQUAL("$sub_device_manager", event["service_id"].GetString());
  STRCMP_EQUAL("add-1", event["event_id"].GetString());
  STRCMP_EQUAL(test::kAircraftSn, event["paras"]["devices"][0]["node_id"].GetString());
  cloud.publish("events/down", R"({"services":[{"service_id":"$sub_device_manager",)"
                               R"("event_type":"add_sub_device_response","event_id":"add-1","paras":)"
                               R"({"successful_devices":[{"node_id":"UAV0001"}],"failed_devices":[]}}]})");
  CHECK_TRUE(test::eventually([&] {
    std::lock_guard<std::mutex> lock(mutex);
    return answers.size() == 1 && answers[0] == "add-1";
  }));
  // A bad list is refused before anything is published.
  CHECK_FALSE(iotda::add_sub_devices(*rig.client, test::kDockSn, kGatewayId, {}));
}
