// System events on the IoTDA profile: the platform's `$` events the core does not handle reach the handler of
// their service (once, also when IoTDA delivers them again), and the application's own go out on sys/events/up.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client_fixture.hpp"
#include "docklink/iotda/profile.hpp"
#include "iotda_client_options.hpp"
#include "iotda_loopback_cloud.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::IotdaSeen;

namespace {

/// What a handler saw of one event (copied: the views end with the handler).
struct Heard {
  std::string device_sn, service_id, event_type, event_id, version;
};

}  // namespace

TEST_GROUP(ProfileIotdaSystemEvents) {
  std::unique_ptr<test::ClientRig> rig;
  std::unique_ptr<test::IotdaLoopbackCloud> cloud;
  std::mutex mutex;
  std::vector<Heard> heard;

  void setup() override {
    rig = std::make_unique<test::ClientRig>(test::iotda_options());
    cloud = std::make_unique<test::IotdaLoopbackCloud>(rig->broker, test::kIotdaGatewayId);
    rig->client->on_system_event("$ota", [this](const SystemEvent& event) {
      auto version = event.paras.FindMember("version");
      std::lock_guard<std::mutex> lock(mutex);
      heard.push_back(Heard{std::string(event.device_sn), std::string(event.service_id), std::string(event.event_type),
                            std::string(event.event_id),
                            version == event.paras.MemberEnd() ? "" : version->value.GetString()});
    });
    CHECK_TRUE(rig->client->start());
    CHECK_TRUE(test::eventually([&] { return rig->client->counters().connections_ready == 1; }));
  }
  void teardown() override {
    cloud.reset();
    rig.reset();
  }
  std::size_t heard_count() {
    std::lock_guard<std::mutex> lock(mutex);
    return heard.size();
  }
  static std::string ota_event(const std::string& object, const std::string& version, const std::string& event_id) {
    return R"({"object_device_id":")" + object + R"(","services":[{"service_id":"$ota","event_type":)" +
           R"("firmware_upgrade")" + (event_id.empty() ? "" : R"(,"event_id":")" + event_id + "\"") +
           R"(,"paras":{"version":")" + version + R"("}}]})";
  }
};

TEST(ProfileIotdaSystemEvents, AnEventReachesItsServicesHandlerWithTheDeviceItIsAbout) {
  cloud->publish("events/down", ota_event(test::kIotdaAircraftId, "v2", "e-1"));
  CHECK_TRUE(test::eventually([&] { return heard_count() == 1; }));
  std::lock_guard<std::mutex> lock(mutex);
  STRCMP_EQUAL(test::kAircraftSn, heard[0].device_sn.c_str());
  STRCMP_EQUAL("$ota", heard[0].service_id.c_str());
  STRCMP_EQUAL("firmware_upgrade", heard[0].event_type.c_str());
  STRCMP_EQUAL("e-1", heard[0].event_id.c_str());
  STRCMP_EQUAL("v2", heard[0].version.c_str());
}

TEST(ProfileIotdaSystemEvents, ARedeliveredEventIsDroppedByEventIdOrByPayload) {
  cloud->publish("events/down", ota_event(test::kIotdaGatewayId, "v1", "e-2"));
  cloud->publish("events/down", ota_event(test::kIotdaGatewayId, "v1", "e-2"));
  cloud->publish("events/down", ota_event(test::kIotdaGatewayId, "v1", ""));
  cloud->publish("events/down", ota_event(test::kIotdaGatewayId, "v1", ""));
  cloud->publish("events/down",
                 ota_event(test::kIotdaGatewayId, "v3", ""));  // another event: delivered, and after the rest
  CHECK_TRUE(test::eventually([&] {
    std::lock_guard<std::mutex> lock(mutex);
    return !heard.empty() && heard.back().version == "v3";
  }));
  LONGS_EQUAL(3, heard_count());
  LONGS_EQUAL(2, rig->client->counters().duplicates);
  STRCMP_EQUAL(test::kDockSn, heard[0].device_sn.c_str());  // the gateway named by its own id
}

TEST(ProfileIotdaSystemEvents, AnEventOfAServiceWithoutAHandlerIsCountedAndIgnored) {
  const auto before = rig->client->counters().unknown_methods;
  cloud->publish("events/down", R"({"services":[{"service_id":"$log","event_type":"log_config","paras":{}}]})");
  cloud->publish("events/down", ota_event(test::kIotdaGatewayId, "v4", ""));
  CHECK_TRUE(test::eventually([&] { return heard_count() == 1; }));
  LONGS_EQUAL(before + 1, rig->client->counters().unknown_methods);
}

TEST(ProfileIotdaSystemEvents, PublishedEventsGoOnEventsUpNamingASubDeviceByItsId) {
  CHECK_TRUE(rig->client->publish_system_event(test::kAircraftSn, "$ota", "version_report",
                                               R"({"sw_version":"s1","fw_version":"f1"})"));
  IotdaSeen report = cloud->wait_for(
      "events/up", [](const IotdaSeen& seen) { return seen.payload.find("version_report") != std::string::npos; });
  CHECK_TRUE(report.json != nullptr);
  STRCMP_EQUAL(test::kIotdaAircraftId, (*report.json)["object_device_id"].GetString());
  const rapidjson::Value& event = (*report.json)["services"][0];
  STRCMP_EQUAL("$ota", event["service_id"].GetString());
  STRCMP_EQUAL("f1", event["paras"]["fw_version"].GetString());
  LONGS_EQUAL(16, std::string(event["event_time"].GetString()).size());  // the compact form, 20261207T010203Z
  CHECK_TRUE(rig->client->publish_system_event(test::kDockSn, "$ota", "version_report", R"({"sw_version":"s"})"));
  IotdaSeen gateway = cloud->wait_for(
      "events/up", [](const IotdaSeen& seen) { return seen.payload.find(R"("sw_version":"s")") != std::string::npos; });
  CHECK_TRUE(gateway.json != nullptr);
  CHECK_FALSE(gateway.json->HasMember("object_device_id"));
}

TEST(ProfileIotdaSystemEvents, PublishingRefusesForeignDevicesAndBadParas) {
  CHECK_TRUE(StatusCode::kInvalidArgument ==
             rig->client->publish_system_event("SOMEONE-ELSE", "$ota", "version_report", "{}").code());
  CHECK_TRUE(StatusCode::kInvalidArgument ==
             rig->client->publish_system_event(test::kDockSn, "$ota", "version_report", "[1]").code());
}

TEST_GROUP(ProfileDjiSystemEvents){};

TEST(ProfileDjiSystemEvents, ADjiClientHasNoSystemEvents) {
  test::ClientRig rig;
  CHECK_TRUE(StatusCode::kInvalidArgument ==
             rig.client->publish_system_event(test::kDockSn, "$ota", "version_report", "{}").code());
}
