// Reconnect after broker restarts (issue #12), on a real mosquitto restarted five times in a row. After each
// restart the dock is back within a bound that depends on that outage alone: the reconnect that succeeded was
// scheduled with the delay bound of the attempts that failed during this outage (none carried over from earlier
// restarts), because every restart ended a connection that was set up and stable, which resets the backoff. The
// bound is read from the counters, not measured on the wall clock, so the test holds under qemu and sanitizers;
// the connection's stable time is passed on an adjustable clock.
#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "backoff.hpp"
#include "client_broker_support.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using namespace docklink::test;

namespace {

constexpr int kRestarts = 5;

/// Re-checks `condition` for up to 60 s: counters have no event to wait on, and under emulation a reconnect
/// (Paho's one-second poll included) may take several seconds.
bool within_a_minute(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

/// A dock on the adjustable clock; first delay bound 100 ms, doubling up to a minute (bounds tell attempts apart).
struct ReconnectDock {
  AdjustableClock clock;
  SeededRandom random;
  RecordingLog log;
  Runtime runtime{clock};
  ClientOptions options = broker_dock_options("RECONNECT-DOCK");
  std::unique_ptr<ports::PahoTransport> transport;
  std::unique_ptr<Client> client;

  explicit ReconnectDock(const std::string& uri) {
    options.backoff.initial_ms = 100;
    options.backoff.max_ms = 60000;
    options.topology_resend_max_ms = 1000;  // the cloud may subscribe again after the dock's first update_topo
    ports::PahoTransportOptions mqtt;
    mqtt.server_uri = uri;
    mqtt.default_client_id = options.gateway.sn;
    mqtt.connect_timeout = std::chrono::seconds(2);
    transport = std::move(ports::PahoTransport::create(mqtt)).value();
    client =
        std::move(Client::create(options, port::Platform{&clock, &random, &log, nullptr}, *transport, runtime)).value();
  }
  ~ReconnectDock() { client.reset(); }
};

}  // namespace

TEST_GROUP(ClientReconnectBroker){};

TEST(ClientReconnectBroker, AfterEachOfFiveRestartsTheDockIsBackOnTheBackoffOfThatOutageAlone) {
  MosquittoProcess broker;
  CHECK_TRUE_TEXT(broker.running(), broker.error().c_str());
  BrokerCloud cloud(broker.uri(), ports::MqttVersion::kV311);
  CHECK_TRUE(cloud.connect());
  ReconnectDock dock(broker.uri());
  CHECK_TRUE(dock.client->start().is_ok());
  CHECK_TRUE(within_a_minute([&] { return dock.client->counters().connections_ready >= 1; }));

  for (std::uint64_t restart = 1; restart <= kRestarts; ++restart) {
    dock.clock.advance(dock.options.backoff.ready_stable_ms);  // the connection has been up and working long enough
    const Counters before = dock.client->counters();
    broker.stop();
    CHECK_TRUE(within_a_minute([&] { return dock.client->counters().disconnects > before.disconnects; }));
    CHECK_TRUE_TEXT(broker.restart(), broker.error().c_str());
    CHECK_TRUE(cloud.connect());
    CHECK_TRUE(within_a_minute([&] { return dock.client->counters().connections_ready > before.connections_ready; }));
    const Counters after = dock.client->counters();
    LONGS_EQUAL(restart, after.backoff_resets);
    const auto failed = static_cast<unsigned>(after.connect_failures - before.connect_failures);
    LONGS_EQUAL(detail::backoff_bound_ms(dock.options.backoff, failed), after.reconnect_bound_ms);
    LONGS_EQUAL(0, after.auth_refusals);
  }
}
