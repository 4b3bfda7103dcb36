// Publishes the transport refuses while the client stays connected (Paho's kBusy when its process-wide queue bound
// is reached): the message waits in the offline queue, and a retry timer, not the next reconnect, sends it. The
// loopback broker refuses the next publishes on request (LoopbackBroker::refuse_publishes); every wait is for the
// message to reach the cloud, bounded generously, and the broker's count of connects shows no reconnect happened.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "client_fixture.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::ClientRig;
using docklink::test::kDockSn;
using docklink::test::Seen;

namespace {

constexpr std::chrono::seconds kArrival{10};  // a bound for a message that never comes, not a speed check

std::function<bool(const Seen&)> method_is(std::string method) {
  return [method = std::move(method)](const Seen& seen) { return seen.str("method") == method; };
}

}  // namespace

TEST_GROUP(ClientBusyRetry) {
  std::unique_ptr<ClientRig> rig;
  void setup() override {
    rig = std::make_unique<ClientRig>();
    CHECK_TRUE(rig->start_and_wait_topology());
  }
  void teardown() override { rig.reset(); }
};

TEST(ClientBusyRetry, EventRefusedOnceWhileConnectedIsSentWithoutAReconnect) {
  rig->broker.refuse_publishes(1);
  CHECK_TRUE(rig->client->publish_event("busy_event", "{}").is_ok());
  LONGS_EQUAL(0, rig->broker.publishes_to_refuse());       // the event itself was refused...
  LONGS_EQUAL(1, rig->client->counters().offline_queued);  // ...and kept in the offline queue
  CHECK_FALSE(rig->cloud.wait_for("/events", method_is("busy_event"), kArrival).topic.empty());
  CHECK_TRUE(rig->client->connected());
  LONGS_EQUAL(1, rig->broker.stats(kDockSn).connects);
  LONGS_EQUAL(1, rig->cloud.count("/events", method_is("busy_event")));
  LONGS_EQUAL(1, rig->client->counters().busy_queued);
}

TEST(ClientBusyRetry, OsdRefusedWhileConnectedIsSentWithoutAReconnect) {
  // Two refusals: QoS 0 telemetry is tried on its fast path first, then once more through the queueing path.
  rig->broker.refuse_publishes(2);
  CHECK_TRUE(rig->client->publish_osd(kDockSn, R"({"busy_marker":1})").is_ok());
  CHECK(rig->client->counters().offline_queued >= 1);
  auto marked = [](const Seen& seen) { return seen.payload.find("busy_marker") != std::string::npos; };
  CHECK_FALSE(rig->cloud.wait_for("/osd", marked, kArrival).topic.empty());
  LONGS_EQUAL(1, rig->broker.stats(kDockSn).connects);
}

TEST(ClientBusyRetry, MessagesWaitBehindRefusedOnesAndKeepTheirOrder) {
  rig->broker.refuse_publishes(1000000);  // the transport stays busy until the test says otherwise
  CHECK_TRUE(rig->client->publish_event("first", "{}").is_ok());
  CHECK_TRUE(rig->client->publish_event("second", "{}").is_ok());
  rig->broker.refuse_publishes(0);
  CHECK_TRUE(rig->cloud.wait_count("/events", 2, {}, kArrival));
  const std::vector<std::string> methods = rig->cloud.methods("/events");
  LONGS_EQUAL(2, methods.size());
  STRCMP_EQUAL("first", methods[0].c_str());
  STRCMP_EQUAL("second", methods[1].c_str());
  LONGS_EQUAL(1, rig->broker.stats(kDockSn).connects);
}

TEST(ClientBusyRetry, StopWhileRefusalsContinueEndsTheRetries) {
  rig->broker.refuse_publishes(1000000);
  CHECK_TRUE(rig->client->publish_event("never", "{}").is_ok());
  CHECK_TRUE(rig->client->stop().is_ok());  // cancels the retry timer (ASan/TSan builds see a late one run)
  CHECK_FALSE(rig->client->connected());
  LONGS_EQUAL(0, rig->cloud.count("/events", method_is("never")));
}
