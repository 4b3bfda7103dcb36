// dock-sim --cloud iotda end to end: the simulated dock connects to a private mosquitto with its IoTDA-signed
// identity, and a small IoTDA cloud on its own connection sees the login sequence (sub-device status, version
// reports), the dock's and the aircraft's property reports, a command answered by the same handler as on a DJI
// cloud, and a `$ota` firmware upgrade fetched from a private nginx over TLS with the event's Bearer token, its
// SHA-256 checked, installed and reported up to the new version.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/ports/crypto.hpp"
#include "http_test_io.hpp"  // deterministic_bytes, file_bytes
#include "iotda_https_fixture.hpp"
#include "sim_processes.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using namespace docklink::test;

namespace {

constexpr const char* kSn = "SIMIOT-0001";
constexpr const char* kGatewayId = "prod_SIMIOT-0001";
constexpr const char* kAircraftId = "prod_SIMIOT-0001-UAV";
constexpr const char* kToken = "sim-iotda-token";

bool has_type(const std::string& payload, const char* type) {
  return payload.find(std::string("\"") + type + "\"") != std::string::npos;
}

/// The paras of the first service of an event payload (null when there is none).
rapidjson::Document event_paras(const std::string& payload) {
  rapidjson::Document document;
  document.Parse(payload.c_str());
  rapidjson::Document paras;
  if (document.IsObject() && document.HasMember("services") && document["services"][0].HasMember("paras")) {
    paras.CopyFrom(document["services"][0]["paras"], paras.GetAllocator());
  }
  return paras;
}

}  // namespace

TEST_GROUP_BASE(SimIotda, IotdaHttpsFixture) {
  std::unique_ptr<simtest::Simulator> sim;

  void setup() override {
    start_https_world(kToken, kGatewayId);
    sim = std::make_unique<simtest::Simulator>(directory.file("sim.log"), std::vector<std::string>{"--broker",
                                                                                                   broker->uri(),
                                                                                                   "--sn",
                                                                                                   kSn,
                                                                                                   "--cloud",
                                                                                                   "iotda",
                                                                                                   "--device-id-prefix",
                                                                                                   "prod_",
                                                                                                   "--device-secret",
                                                                                                   "sim-secret-1",
                                                                                                   "--files-dir",
                                                                                                   files_dir(),
                                                                                                   "--http-ca",
                                                                                                   certificates.ca_file,
                                                                                                   "--speed",
                                                                                                   "100",
                                                                                                   "--osd-period-ms",
                                                                                                   "200",
                                                                                                   "--log-level",
                                                                                                   "warn",
                                                                                                   "--no-bind"});
    CHECK_TRUE(sim->started());
  }
  void teardown() override {
    sim.reset();  // SIGKILL: the clean shutdown is tested by the DJI sessions
    stop_https_world();
  }

  std::string files_dir() const { return directory.file("files"); }
  std::string sim_log() const { return file_bytes(directory.file("sim.log")); }
};

TEST(SimIotda, LogsInWithItsSignedIdentityReportsPropertiesAndAnswersACommand) {
  // The login sequence: the aircraft ONLINE, then both devices' versions.
  CHECK_TRUE_TEXT(cloud->wait_until([](const std::string&, const std::string& payload) {
    return has_type(payload, "sub_device_update_status") && payload.find(kAircraftId) != std::string::npos;
  }),
                  sim_log().c_str());
  CHECK_TRUE(cloud->wait_until([](const std::string&, const std::string& payload) {
    return has_type(payload, "version_report") && payload.find(kAircraftId) != std::string::npos;
  }));
  bool dock_version = false;
  for (const std::string& payload : cloud->payloads("events/up")) {
    dock_version =
        dock_version || (has_type(payload, "version_report") && payload.find(kAircraftId) == std::string::npos &&
                         event_paras(payload).HasMember("fw_version"));
  }
  CHECK_TRUE(dock_version);
  // Signed the IoTDA way: the broker logged the client id {device_id}_0_0_{YYYYMMDDHH}.
  CHECK(broker->log_text().find(std::string(kGatewayId) + "_0_0_") != std::string::npos);

  // OSD of both devices as property reports: the dock's own, the aircraft's through the gateway.
  CHECK_FALSE(cloud->wait_for("properties/report").empty());
  rapidjson::Document aircraft;
  aircraft.Parse(cloud->wait_for("gateway/sub_devices/properties/report").c_str());
  CHECK_TRUE(aircraft.IsObject());
  STRCMP_EQUAL(kAircraftId, aircraft["devices"][0]["device_id"].GetString());

  // A command reaches the dock's service handler and is answered on its request id.
  cloud->publish("commands/request_id=sim-cmd-1",
                 R"({"service_id":"dock","command_name":"debug_mode_open","paras":{}})");
  rapidjson::Document response;
  response.Parse(cloud->wait_for("commands/response/request_id=sim-cmd-1").c_str());
  CHECK_TRUE_TEXT(response.IsObject(), sim_log().c_str());
  LONGS_EQUAL(0, response["result_code"].GetInt());
}

TEST(SimIotda, SendsNoDjiConfigRequestIotdaWouldNeverAnswer) {
  CHECK_TRUE_TEXT(cloud->wait_until([](const std::string&, const std::string& payload) {
    return has_type(payload, "version_report") && payload.find(kAircraftId) == std::string::npos;
  }),
                  sim_log().c_str());
  // The dock's connect handling (which sent the config request) runs on the strand that then answers this command,
  // and both go out on the dock's one connection in that order: once the answer is here, a request would be too.
  cloud->publish("commands/request_id=sim-cmd-2",
                 R"({"service_id":"dock","command_name":"debug_mode_open","paras":{}})");
  CHECK_FALSE_TEXT(cloud->wait_for("commands/response/request_id=sim-cmd-2").empty(), sim_log().c_str());
  for (const std::string& payload : cloud->payloads("messages/up")) {
    CHECK_TEXT(payload.find("\"config\"") == std::string::npos, payload.c_str());
  }
}

TEST(SimIotda, AFirmwareUpgradeComesFromNginxWithTheBearerTokenAndTheDockRunsTheNewVersion) {
  CHECK_TRUE_TEXT(cloud->wait_until([](const std::string&, const std::string& payload) {
    return has_type(payload, "version_report") && payload.find(kAircraftId) == std::string::npos;
  }),
                  sim_log().c_str());
  const std::string firmware = deterministic_bytes(256u * 1024u, 91);
  CHECK_TRUE(nginx->write_file("fw.bin", firmware));
  cloud->publish("events/down",
                 R"({"services":[{"service_id":"$ota","event_type":"firmware_upgrade","paras":{"version":"99.1.2",)"
                 R"("url":")" +
                     nginx->https_url("/auth/fw.bin") + R"(","file_size":)" + std::to_string(firmware.size()) +
                     R"(,"file_name":"fw.bin","access_token":")" + kToken + R"(","expires":86400,"sign":")" +
                     ports::sha256_hex(firmware) + R"("}}]})");
  auto end = cloud->first_matching([](const std::string&, const std::string& payload) {
    if (!has_type(payload, "upgrade_progress_report")) return false;
    auto paras = event_paras(payload);
    return paras["result_code"].GetInt() != 0 || paras["progress"].GetInt() == 100;
  });
  auto paras = event_paras(end.second);
  CHECK_TRUE_TEXT(paras.IsObject() && paras.HasMember("result_code"), sim_log().c_str());
  LONGS_EQUAL_TEXT(0, paras["result_code"].GetInt(), end.second.c_str());
  STRCMP_EQUAL("99.1.2", paras["version"].GetString());
  // The package came with the token, byte for byte, into --files-dir.
  bool fetched = false;
  for (const auto& line : nginx->access_log_lines(1))
    fetched = fetched || line.find("GET /auth/fw.bin 200") != std::string::npos;
  CHECK_TRUE(fetched);
  CHECK_TRUE(file_bytes(files_dir() + "/iotda-ota-" + kSn + ".bin") == firmware);
  // The dock runs it: its next version report and its state say so.
  CHECK_TRUE(cloud->wait_until([](const std::string&, const std::string& payload) {
    return has_type(payload, "version_report") && payload.find("\"fw_version\":\"99.1.2\"") != std::string::npos;
  }));
  CHECK_TRUE(cloud->wait_until([](const std::string& topic, const std::string& payload) {
    return topic.find("/properties/report") != std::string::npos &&
           payload.find("\"firmware_version\":\"99.1.2\"") != std::string::npos;
  }));
}
