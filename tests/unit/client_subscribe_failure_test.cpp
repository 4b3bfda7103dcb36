// A downlink subscription the broker refuses (an ACL, say) must not leave the dock online but deaf: the client
// drops the connection, tells the application why, counts it, and retries with its reconnect backoff until the
// broker accepts.
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "client_fixture.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::ClientRig;
using docklink::test::kDockSn;
using docklink::test::Seen;

namespace {

const std::string kServicesTopic = std::string("thing/product/") + kDockSn + "/services";

/// Every connection callback, in order.
struct ConnectionLog {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<std::pair<bool, Status>> changes;
  void attach(Client& client) {
    client.on_connection_changed([this](bool up, const Status& status) {
      std::lock_guard<std::mutex> lock(mutex);
      changes.emplace_back(up, status);
      cv.notify_all();
    });
  }
  /// The first "down" report, waiting up to 5 s for it.
  std::optional<Status> first_down() {
    std::unique_lock<std::mutex> lock(mutex);
    std::optional<Status> found;
    cv.wait_for(lock, std::chrono::seconds(5), [&] {
      for (const auto& change : changes) {
        if (!change.first) found = change.second;
        if (found) return true;
      }
      return false;
    });
    return found;
  }
  /// Waits until `n` "up" reports arrived.
  bool wait_ups(int n) {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, std::chrono::seconds(5), [&] {
      int ups = 0;
      for (const auto& change : changes) ups += change.first ? 1 : 0;
      return ups >= n;
    });
  }
};

}  // namespace

TEST_GROUP(ClientSubscribeFailure) {
  std::unique_ptr<ClientRig> rig;
  ConnectionLog connections;
  void setup() override {
    rig = std::make_unique<ClientRig>();
    connections.attach(*rig->client);
  }
  void teardown() override { rig.reset(); }
};

TEST(ClientSubscribeFailure, ARefusedSubscriptionDropsTheConnectionAndSaysWhy) {
  rig->broker.set_refuse_subscriptions(kServicesTopic, true);
  CHECK_TRUE(rig->client->start());
  std::optional<Status> down = connections.first_down();
  CHECK_TRUE(down.has_value());
  STRCMP_EQUAL("rejected", to_string(down->code()));
  CHECK_TRUE_TEXT(down->message().find(kServicesTopic) != std::string::npos, down->message().c_str());
  CHECK(rig->client->counters().subscribe_failures >= 1);
  CHECK_TRUE(rig->log.contains("subscription to " + kServicesTopic + " failed"));
}

TEST(ClientSubscribeFailure, RetriesWithBackoffUntilTheBrokerAcceptsThenServicesWork) {
  rig->broker.set_refuse_subscriptions(kServicesTopic, true);
  rig->client->on_service("debug_mode_open", [](ServiceCall&) { return ServiceReply::ok(); });
  CHECK_TRUE(rig->client->start());
  CHECK_TRUE(connections.wait_ups(2));  // it came back and was refused again: it keeps trying
  rig->broker.set_refuse_subscriptions(kServicesTopic, false);
  CHECK_TRUE(test::eventually([&] {
    std::vector<std::string> now = rig->broker.subscriptions(kDockSn);
    return std::find(now.begin(), now.end(), kServicesTopic) != now.end();
  }));
  std::string tid = rig->cloud.call_service(kDockSn, "debug_mode_open", "{}");
  CHECK_FALSE(rig->cloud.wait_for("/services_reply", [&](const Seen& s) { return s.str("tid") == tid; }).topic.empty());
}
