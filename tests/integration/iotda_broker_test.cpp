// A dock on the IoTDA profile against a private mosquitto that checks IoTDA-signed credentials, with a small
// IoTDA-style cloud on its own Paho connection: the cloud answers the sub-device status report, sends a command
// and gets its response, and receives the dock's and the aircraft's property reports.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/client.hpp"
#include "docklink/config_defaults.hpp"
#include "docklink/iotda/connect.hpp"
#include "docklink/iotda/profile.hpp"
#include "docklink/ports/credentials.hpp"
#include "docklink/ports/paho_transport.hpp"
#include "iotda_broker_cloud.hpp"
#include "iotda_broker_fixture.hpp"
#include "mosquitto_process.hpp"
#include "paho_test_support.hpp"
#include "test_clock.hpp"
#include "test_ports.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using namespace docklink::test;
using namespace docklink::test::iotda_broker;

TEST_GROUP_BASE(IotdaBroker, IotdaBrokerFixture){};

TEST(IotdaBroker, SignedConnectCommandAnsweredAndPropertyReportsArrive) {
  IotdaBrokerCloud cloud(broker->uri(), kGatewayId);
  CHECK_TRUE(cloud.connect());
  start_dock();
  // Connected with the signed identity: the broker logs the client id `{device_id}_0_1_{YYYYMMDDHH}`.
  CHECK_FALSE(cloud.wait_for("events/up").empty());
  CHECK(broker->log_text().find(std::string(kGatewayId) + "_0_1_2026120701") != std::string::npos);

  cloud.publish("commands/request_id=cmd-1",
                R"({"service_id":"dock","command_name":"debug_mode_open","paras":{"loud":true}})");
  rapidjson::Document response;
  response.Parse(cloud.wait_for("commands/response/request_id=cmd-1").c_str());
  CHECK_TRUE(response.IsObject());
  LONGS_EQUAL(0, response["result_code"].GetInt());
  STRCMP_EQUAL("loudly", response["paras"]["opened"].GetString());

  CHECK_TRUE(client->publish_osd(kDockSn, R"({"cover_state":0,"mode_code":1})"));
  CHECK_TRUE(client->publish_osd(kAircraftSn, R"({"height":38.4})"));
  rapidjson::Document dock;
  dock.Parse(cloud.wait_for("properties/report").c_str());
  CHECK_TRUE(dock.IsObject());
  STRCMP_EQUAL("dock", dock["services"][0]["service_id"].GetString());
  STRCMP_EQUAL("dock_cover", dock["services"][1]["service_id"].GetString());
  rapidjson::Document aircraft;
  aircraft.Parse(cloud.wait_for("gateway/sub_devices/properties/report").c_str());
  CHECK_TRUE(aircraft.IsObject());
  STRCMP_EQUAL(kAircraftId, aircraft["devices"][0]["device_id"].GetString());
}

TEST(IotdaBroker, ARedeliveredCommandIsAnsweredTwiceButRunOnce) {
  IotdaBrokerCloud cloud(broker->uri(), kGatewayId);
  CHECK_TRUE(cloud.connect());
  start_dock();
  CHECK_FALSE(cloud.wait_for("events/up").empty());
  // IoTDA sends a QoS 1 command again when it misses the PUBACK: the same request id twice.
  const std::string command = R"({"service_id":"dock","command_name":"debug_mode_open","paras":{}})";
  cloud.publish("commands/request_id=cmd-again", command);
  LONGS_EQUAL(1, cloud.wait_count("commands/response/request_id=cmd-again", 1));
  cloud.publish("commands/request_id=cmd-again", command);
  LONGS_EQUAL(2, cloud.wait_count("commands/response/request_id=cmd-again", 2));
  LONGS_EQUAL(1, command_runs.load());
  LONGS_EQUAL(1, client->counters().duplicates);
}

TEST(IotdaBroker, ABurstOfReportsReachesTheCloudWithinIotdasRateAndEndsWithTheLatest) {
  IotdaBrokerCloud cloud(broker->uri(), kGatewayId);
  CHECK_TRUE(cloud.connect());
  start_dock();
  CHECK_FALSE(cloud.wait_for("events/up").empty());
  const std::int64_t began = clock.monotonic_ms();
  for (int i = 1; i <= 200; ++i) {
    CHECK_TRUE(client->publish_osd(kAircraftSn, "{\"height\":" + std::to_string(i) + "}"));
    CHECK_TRUE(client->publish_osd(kDockSn, "{\"mode_code\":" + std::to_string(i) + "}"));
  }
  // Counted as the cloud receives them: both devices' newest reports arrive...
  CHECK_TRUE(cloud.wait_until([](const std::string& topic, const std::string& payload) {
    return topic.find("/properties/report") != std::string::npos &&
           payload.find("\"mode_code\":200}") != std::string::npos;
  }));
  CHECK_TRUE(cloud.wait_until([](const std::string& topic, const std::string& payload) {
    return topic.find("/gateway/") != std::string::npos && payload.find("\"height\":200}") != std::string::npos;
  }));
  const std::size_t reports = cloud.count("properties/report") + cloud.count("gateway/sub_devices/properties/report");
  const std::int64_t elapsed_ms = clock.monotonic_ms() - began;  // read after counting: a bound, not a race
  // ...and no more arrived than the dock's pace allows in the time its own clock says passed (the broker can only
  // delay messages, never bring them forward).
  const std::int64_t allowed =
      defaults::kIotdaUplinkBurst + defaults::kIotdaUplinkMessagesPerSecond * elapsed_ms / 1000 + 1;
  CHECK_TRUE(static_cast<std::int64_t>(reports) <= allowed);
  CHECK_TRUE(reports < 400);
}

TEST(IotdaBroker, ADockWithAWrongSecretIsRefusedAsAuthAndWaitsOnTheSlowScheduleWithoutLoggingIt) {
  ports::IotdaSignedCredentials wrong(kGatewayId, "not-the-secret", credentials_clock);
  start_dock(&wrong);
  {
    std::unique_lock<std::mutex> lock(connection_mutex);
    CHECK_TRUE(connection_changed.wait_for(lock, std::chrono::seconds(10), [&] { return !connection_downs.empty(); }));
    STRCMP_EQUAL("auth", docklink::to_string(connection_downs.front().code()));
  }
  const Counters counters = client->counters();
  LONGS_EQUAL(1, counters.auth_refusals);
  // The next attempt waits on the refused-credentials schedule (IoTDA: never a reconnect loop on CONNACK 4 or
  // 5), not on the network's 1 s one.
  LONGS_EQUAL(defaults::kAuthRetryInitialMs, static_cast<std::int64_t>(counters.reconnect_bound_ms));
  CHECK_FALSE(log.contains("not-the-secret"));
}

TEST(IotdaBroker, TimeSyncAfterConnectGivesTheCloudsClockOffset) {
  IotdaBrokerCloud cloud(broker->uri(), kGatewayId);
  CHECK_TRUE(cloud.connect());
  const std::int64_t began = clock.monotonic_ms();
  start_dock();
  CHECK_TRUE(cloud.wait_until([](const std::string& topic, const std::string& payload) {
    return topic.find("/events/up") != std::string::npos && payload.find("\"$time_sync\"") != std::string::npos;
  }));
  // The answer is handled on the dock's own threads: nothing to await but the result (checked every 5 ms).
  Result<std::int64_t> offset = client->cloud_clock_offset();
  for (int round = 0; round < 2000 && !offset; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    offset = client->cloud_clock_offset();
  }
  CHECK_TRUE(offset);
  // Dock and cloud share this machine's clock: the offset is within half the round trip, which took no longer
  // than the whole test so far (one more ms for the halving's rounding).
  const std::int64_t half_test = (clock.monotonic_ms() - began) / 2 + 1;
  CHECK_TRUE(offset.value() <= half_test);
  CHECK_TRUE(offset.value() >= -half_test);
}

TEST(IotdaBroker, AWrongSecretIsReportedAsAnAuthRefusal) {
  ports::IotdaSignedCredentials wrong(kGatewayId, "not-the-secret", credentials_clock);
  auto mqtt = transport_options(broker->uri(), kGatewayId, ports::MqttVersion::kV311);
  mqtt.credentials = &wrong;
  transport = std::move(ports::PahoTransport::create(mqtt)).value();
  RecordingListener listener;
  transport->set_listener(&listener);
  CHECK_TRUE(transport->connect());
  auto outcome = listener.connection_event(0);
  transport->set_listener(nullptr);
  CHECK_TRUE(outcome.has_value());
  CHECK_FALSE(outcome->connected);
  STRCMP_EQUAL("auth", docklink::to_string(outcome->status.code()));
}
