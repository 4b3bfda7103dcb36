// The dock of the IoTDA broker tests (IotdaBroker, IotdaBrokerRequests): a client on the IoTDA profile over a
// private mosquitto that knows the dock only by its IoTDA-signed password, with one command handler and the
// connection changes recorded.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "docklink/client.hpp"
#include "docklink/iotda/connect.hpp"
#include "docklink/iotda/profile.hpp"
#include "docklink/ports/credentials.hpp"
#include "docklink/ports/paho_transport.hpp"
#include "mosquitto_process.hpp"
#include "paho_test_support.hpp"
#include "test_clock.hpp"
#include "test_ports.hpp"

#include <CppUTest/TestHarness.h>

namespace docklink::test::iotda_broker {

inline constexpr const char* kDockSn = "IOTDA-DOCK-1";
inline constexpr const char* kAircraftSn = "IOTDA-UAV-1";
inline constexpr const char* kGatewayId = "prod_IOTDA-DOCK-1";
inline constexpr const char* kAircraftId = "prod_IOTDA-UAV-1";
inline constexpr const char* kSecret = "dock-secret-1";

/// The wall clock of the credentials: a fixed hour, so the password the broker holds is the one signed.
class FixedHourClock : public SteadyClock {
 public:
  std::int64_t wall_ms() const override { return 1796605200000; }  // 2026-12-07T01:00:00Z
};

/// The broker, the dock's client (made by start_dock()) and what the dock saw.
class IotdaBrokerFixture : public Utest {
 public:
  FixedHourClock credentials_clock;
  ports::IotdaSignedCredentials signed_credentials{kGatewayId, kSecret, credentials_clock};
  TempDirectory directory;
  std::unique_ptr<MosquittoProcess> broker;
  SteadyClock clock;
  SeededRandom random;
  RecordingLog log;
  std::unique_ptr<Runtime> runtime;
  std::unique_ptr<ports::PahoTransport> transport;
  std::unique_ptr<Client> client;
  std::atomic<int> command_runs{0};
  std::mutex connection_mutex;
  std::condition_variable connection_changed;
  std::vector<Status> connection_downs;  ///< Why each connection or attempt ended, in order.

  void setup() override {
    // The broker knows the dock only by its signed password: anything else is refused.
    auto signed_in = signed_credentials.credentials();
    CHECK_TRUE(signed_in);
    const std::string password_file = directory.file("passwd");
    const std::string command = "mosquitto_passwd -c -b " + password_file + " " + kGatewayId + " " +
                                signed_in.value().password + " >/dev/null 2>&1 && mosquitto_passwd -b " +
                                password_file + " cloud cloud-pass >/dev/null 2>&1";
    CHECK_EQUAL(0, std::system(command.c_str()));
    broker = std::make_unique<MosquittoProcess>("allow_anonymous false\npassword_file " + password_file + "\n");
    CHECK_TRUE_TEXT(broker->running(), broker->error().c_str());
    runtime = std::make_unique<Runtime>(clock);
  }
  void teardown() override {
    client.reset();
    transport.reset();
    runtime.reset();
    broker.reset();
  }

  /// The client, not started yet: a test adds its handlers before start_dock().
  void make_dock(port::CredentialsProvider* credentials = nullptr) {
    auto mqtt = transport_options(broker->uri(), kGatewayId, ports::MqttVersion::kV311);
    mqtt.credentials = credentials != nullptr ? credentials : &signed_credentials;
    mqtt.keep_alive = iotda::clamp_keep_alive(std::chrono::seconds(10));
    transport = std::move(ports::PahoTransport::create(mqtt)).value();
    iotda::ProfileOptions cloud;
    cloud.gateway_sn = kDockSn;
    cloud.gateway_device_id = kGatewayId;
    cloud.sub_device_ids[kAircraftSn] = kAircraftId;
    cloud.property_services["cover_state"] = "dock_cover";
    ClientOptions options;
    options.gateway.sn = kDockSn;
    options.gateway.domain = "3";
    options.gateway.type = 2;
    DeviceInfo aircraft;
    aircraft.sn = kAircraftSn;
    aircraft.domain = "0";
    aircraft.type = 91;
    options.sub_devices.push_back(aircraft);
    options.profile = iotda::make_profile(cloud).value();
    client = Client::create(std::move(options), port::Platform{&clock, &random, &log, nullptr}, *transport, *runtime)
                 .value();
    client->on_service("debug_mode_open", [this](ServiceCall& call) {
      ++command_runs;
      const bool loud = call.data().HasMember("loud") && call.data()["loud"].GetBool();
      return ServiceReply::ok(loud ? R"({"opened":"loudly"})" : R"({"opened":"quietly"})");
    });
    client->on_connection_changed([this](bool connected, const Status& status) {
      std::lock_guard<std::mutex> lock(connection_mutex);
      if (!connected) connection_downs.push_back(status);
      connection_changed.notify_all();
    });
  }

  /// make_dock() unless a test made it already, then starts it connecting.
  void start_dock(port::CredentialsProvider* credentials = nullptr) {
    if (!client) make_dock(credentials);
    CHECK_TRUE(client->start());
  }
};

}  // namespace docklink::test::iotda_broker
