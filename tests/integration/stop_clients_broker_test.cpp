// stop_clients() on a real mosquitto: a fleet of Paho clients in one Runtime stopped in one call, every one of them
// with a clean MQTT DISCONNECT (the broker logs "Client <id> disconnected." only for a DISCONNECT packet; a
// connection closed without one is logged differently).
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "client_broker_support.hpp"
#include "docklink/stop_clients.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using namespace docklink::test;

namespace {

constexpr std::size_t kDocks = 200;

std::string fleet_sn(std::size_t i) {
  char sn[16];
  std::snprintf(sn, sizeof sn, "STOP%03u", static_cast<unsigned>(i));
  return sn;
}

/// How many of the fleet's docks the broker has logged as disconnected with a DISCONNECT packet.
std::size_t cleanly_disconnected(const MosquittoProcess& broker) {
  const std::string log = broker.log_text();
  std::size_t count = 0;
  for (std::size_t i = 0; i < kDocks; ++i) {
    if (log.find("Client " + fleet_sn(i) + " disconnected.") != std::string::npos) ++count;
  }
  return count;
}

}  // namespace

TEST_GROUP(StopClientsBroker) {
  std::unique_ptr<MosquittoProcess> broker;
  void setup() override {
    broker = std::make_unique<MosquittoProcess>();
    CHECK_TRUE_TEXT(broker->running(), broker->error().c_str());
  }
  void teardown() override { broker.reset(); }
};

TEST(StopClientsBroker, TwoHundredDocksAllEndWithACleanDisconnect) {
  BrokerCloud cloud(broker->uri(), ports::MqttVersion::kV311);
  CHECK_TRUE(cloud.connect());
  SteadyClock clock;
  SeededRandom random;
  RecordingLog log;
  Runtime runtime{clock};
  std::vector<std::unique_ptr<ports::PahoTransport>> transports;
  std::vector<std::unique_ptr<Client>> clients;
  std::vector<Client*> fleet;
  for (std::size_t i = 0; i < kDocks; ++i) {
    ports::PahoTransportOptions mqtt;
    mqtt.server_uri = broker->uri();
    mqtt.default_client_id = fleet_sn(i);
    transports.push_back(std::move(ports::PahoTransport::create(mqtt)).value());
    port::Platform platform{&clock, &random, &log, nullptr};
    clients.push_back(
        std::move(Client::create(broker_dock_options(fleet_sn(i)), platform, *transports.back(), runtime)).value());
    fleet.push_back(clients.back().get());
    CHECK_TRUE(clients.back()->start().is_ok());
  }
  CHECK_TRUE(cloud.wait_count("/status", kDocks, std::chrono::seconds(60)));  // every dock sent its update_topo
  LONGS_EQUAL(0, cleanly_disconnected(*broker));

  CHECK_TRUE(stop_clients(fleet).is_ok());

  for (std::size_t i = 0; i < kDocks; ++i) {
    CHECK_FALSE(clients[i]->connected());
    CHECK_FALSE(transports[i]->is_connected());
  }
  // The broker writes its log on its own time: the lines come, or the check below says how many did.
  for (int round = 0; round < 200 && cleanly_disconnected(*broker) < kDocks; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  LONGS_EQUAL(kDocks, cleanly_disconnected(*broker));
  clients.clear();
}
