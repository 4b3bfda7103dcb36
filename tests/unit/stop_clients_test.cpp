// stop_clients(): a fleet on one loopback broker and one Runtime stopped in one call, each client with the
// guarantees of Client::stop() (disconnected at the broker, pending replies told kShutdown, idempotent, kBusy from
// one of the clients' own handlers).
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "client_fixture.hpp"
#include "docklink/stop_clients.hpp"
#include "reply_catcher.hpp"

#include <CppUTest/TestHarness.h>  // last

using namespace docklink;
using docklink::test::Seen;

namespace {

/// More clients than defaults::kStopClientsThreads, so every worker thread stops several.
constexpr std::size_t kFleetSize = 2 * defaults::kStopClientsThreads + 3;

/// kFleetSize started clients sharing one loopback broker, one cloud and one Runtime.
struct FleetRig {
  test::AdjustableClock clock;
  test::SeededRandom random;
  test::RecordingLog log;
  ports::LoopbackBroker broker;
  test::FakeCloud cloud{broker};
  Runtime runtime{clock};
  std::vector<std::unique_ptr<ports::LoopbackTransport>> transports;
  std::vector<std::unique_ptr<Client>> clients;

  FleetRig() {
    for (std::size_t i = 0; i < kFleetSize; ++i) {
      const std::string sn = "DOCK" + std::to_string(1000 + i);
      transports.push_back(std::make_unique<ports::LoopbackTransport>(broker, sn));
      port::Platform platform{&clock, &random, &log, nullptr};
      clients.push_back(Client::create(test::dock_options(sn), platform, *transports.back(), runtime).value());
    }
  }
  ~FleetRig() { clients.clear(); }

  /// Starts every client and waits until the cloud saw each one's update_topo.
  bool start_all() {
    for (auto& client : clients) {
      if (!client->start()) return false;
    }
    return cloud.wait_count("/status", clients.size());
  }
  /// The clients as stop_clients() takes them.
  std::vector<Client*> all() const {
    std::vector<Client*> raw;
    for (const auto& client : clients) raw.push_back(client.get());
    return raw;
  }
  /// How many clients the broker still has connected.
  std::size_t connected_at_broker() const {
    std::size_t count = 0;
    for (const auto& client : clients) {
      if (broker.is_connected(client->sn())) ++count;
    }
    return count;
  }
};

}  // namespace

TEST_GROUP(StopClients) {
  std::unique_ptr<FleetRig> rig;
  void setup() override {
    rig = std::make_unique<FleetRig>();
    CHECK_TRUE(rig->start_all());
  }
  void teardown() override { rig.reset(); }
};

TEST(StopClients, EveryClientIsDisconnectedAndItsPendingRequestToldShutdownBeforeItReturns) {
  std::vector<std::unique_ptr<test::ReplyCatcher>> catchers;
  for (auto& client : rig->clients) {
    catchers.push_back(std::make_unique<test::ReplyCatcher>());
    CHECK_TRUE(client->send_request("config", "{}", catchers.back()->callback(), std::chrono::seconds(60)));
  }
  CHECK_TRUE(rig->cloud.wait_count("/requests", kFleetSize));  // no cloud answers them: they stay pending
  LONGS_EQUAL(kFleetSize, rig->connected_at_broker());

  CHECK_TRUE(stop_clients(rig->all()).is_ok());

  LONGS_EQUAL(0, rig->connected_at_broker());
  for (std::size_t i = 0; i < kFleetSize; ++i) {
    CHECK_FALSE(rig->clients[i]->connected());
    CHECK_TRUE(catchers[i]->done());  // told before stop_clients() returned, no waiting
    LONGS_EQUAL(static_cast<int>(StatusCode::kShutdown), static_cast<int>(catchers[i]->reply->status.code()));
    LONGS_EQUAL(0, static_cast<long>(rig->clients[i]->counters().replies_pending));
  }
}

TEST(StopClients, StoppingAgainAndStoppingOneAlreadyStoppedIsOk) {
  CHECK_TRUE(rig->clients[0]->stop().is_ok());
  CHECK_TRUE(stop_clients(rig->all()).is_ok());
  LONGS_EQUAL(0, rig->connected_at_broker());
  CHECK_TRUE(stop_clients(rig->all()).is_ok());
  CHECK_TRUE(rig->clients[1]->stop().is_ok());
  LONGS_EQUAL(kFleetSize, rig->cloud.count("/status"));  // nothing reconnected and sent its topology again
}

TEST(StopClients, NullEntriesAreIgnoredAndADuplicateIsStoppedOnce) {
  Client* first = rig->clients[0].get();
  Client* second = rig->clients[1].get();
  CHECK_TRUE(stop_clients({first, nullptr, first, second}).is_ok());
  CHECK_FALSE(rig->broker.is_connected(first->sn()));
  CHECK_FALSE(rig->broker.is_connected(second->sn()));
  LONGS_EQUAL(kFleetSize - 2, rig->connected_at_broker());  // the others were not in the list
  CHECK_TRUE(stop_clients({}).is_ok());
}

TEST(StopClients, CalledFromAHandlerOfOneOfTheClientsItStopsNoneAndReturnsBusy) {
  Client* handled = rig->clients[kFleetSize / 2].get();
  std::atomic<int> code{-1};
  handled->on_service("device_reboot", [&](ServiceCall&) {
    code = static_cast<int>(stop_clients(rig->all()).code());
    return ServiceReply::ok();
  });
  std::string tid = rig->cloud.call_service(handled->sn(), "device_reboot", "{}");
  Seen reply = rig->cloud.wait_for("/services_reply", [&](const Seen& seen) { return seen.str("tid") == tid; });
  CHECK_FALSE(reply.topic.empty());
  LONGS_EQUAL(static_cast<int>(StatusCode::kBusy), code.load());
  LONGS_EQUAL(kFleetSize, rig->connected_at_broker());  // the refused call stopped nothing
  CHECK_TRUE(stop_clients(rig->all()).is_ok());
  LONGS_EQUAL(0, rig->connected_at_broker());
}

TEST(StopClients, CalledFromAHandlerOfAnotherClientItStopsTheListedOnes) {
  Client* handled = rig->clients[0].get();
  std::vector<Client*> others(rig->clients.size() - 1);
  for (std::size_t i = 1; i < rig->clients.size(); ++i) others[i - 1] = rig->clients[i].get();
  std::atomic<int> code{-1};
  handled->on_service("device_reboot", [&](ServiceCall&) {
    code = static_cast<int>(stop_clients(others).code());
    return ServiceReply::ok();
  });
  std::string tid = rig->cloud.call_service(handled->sn(), "device_reboot", "{}");
  Seen reply = rig->cloud.wait_for("/services_reply", [&](const Seen& seen) { return seen.str("tid") == tid; });
  CHECK_FALSE(reply.topic.empty());
  LONGS_EQUAL(static_cast<int>(StatusCode::kOk), code.load());
  LONGS_EQUAL(1, rig->connected_at_broker());
  CHECK_TRUE(rig->broker.is_connected(handled->sn()));
}
