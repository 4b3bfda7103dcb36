#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "client_fixture.hpp"
#include "docklink/ports/memory_store.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::ClientRig;
using docklink::test::kDockSn;
using docklink::test::Seen;

namespace {

/// Waits for the client's connection callbacks.
struct ConnectionWatch {
  std::mutex mutex;
  std::condition_variable cv;
  int ups = 0;
  int downs = 0;
  void attach(Client& client) {
    client.on_connection_changed([this](bool up, const Status&) {
      std::lock_guard<std::mutex> lock(mutex);
      (up ? ups : downs) += 1;
      cv.notify_all();
    });
  }
  bool wait_ups(int n) {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, std::chrono::seconds(5), [&] { return ups >= n; });
  }
  bool wait_downs(int n) {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, std::chrono::seconds(5), [&] { return downs >= n; });
  }
};

std::vector<std::string> event_methods(docklink::test::FakeCloud& cloud) {
  std::vector<std::string> methods;
  for (const auto& seen : cloud.all()) {
    if (seen.topic.size() > 7 && seen.topic.compare(seen.topic.size() - 7, 7, "/events") == 0) {
      methods.push_back(seen.str("method"));
    }
  }
  return methods;
}

}  // namespace

TEST_GROUP(ClientOffline) {
  std::unique_ptr<ClientRig> rig;
  ConnectionWatch watch;
  void setup() override {
    rig = std::make_unique<ClientRig>();
    watch.attach(*rig->client);
  }
  void teardown() override { rig.reset(); }
  void go_offline() {
    rig->broker.set_refuse_connections(true, StatusCode::kIo);
    rig->broker.drop_connection(kDockSn);
    CHECK_TRUE(watch.wait_downs(1));
  }
  void come_back(int ups) {
    rig->broker.set_refuse_connections(false);
    CHECK_TRUE(watch.wait_ups(ups));
  }
};

TEST(ClientOffline, ReconnectsResubscribesAndResendsTopology) {
  CHECK_TRUE(rig->start_and_wait_topology());
  CHECK_TRUE(watch.wait_ups(1));
  std::size_t subscribes = rig->broker.stats(kDockSn).subscribes;
  go_offline();
  come_back(2);
  CHECK_TRUE(rig->cloud.wait_count("/status", 2));
  CHECK(rig->broker.stats(kDockSn).subscribes >= 2 * subscribes);
  // Subscriptions work again without the app doing anything: a service is answered.
  rig->client->on_service("debug_mode_open", [](ServiceCall&) { return ServiceReply::ok(); });
  std::string tid = rig->cloud.call_service(kDockSn, "debug_mode_open", "{}");
  CHECK_FALSE(rig->cloud.wait_for("/services_reply", [&](const Seen& s) { return s.str("tid") == tid; }).topic.empty());
  LONGS_EQUAL(1, rig->client->counters().disconnects);
}

TEST(ClientOffline, EventsQueuedWhileOfflineAreDeliveredInOrderAndAcknowledged) {
  rig->cloud.set_auto_events_reply(true);
  CHECK_TRUE(rig->start_and_wait_topology());
  go_offline();
  std::mutex mutex;
  std::condition_variable cv;
  int acked = 0;
  for (int i = 0; i < 5; ++i) {
    EventOptions options;
    options.need_reply = i % 2 == 0;
    rig->client->publish_event("e" + std::to_string(i), "{}", options, [&](const Reply& reply) {
      std::lock_guard<std::mutex> lock(mutex);
      if (reply.status.is_ok()) ++acked;
      cv.notify_all();
    });
  }
  LONGS_EQUAL(0, rig->cloud.count("/events"));
  come_back(2);
  CHECK_TRUE(rig->cloud.wait_count("/events", 5));
  std::unique_lock<std::mutex> lock(mutex);
  CHECK_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return acked == 5; }));
  std::vector<std::string> methods = event_methods(rig->cloud);
  LONGS_EQUAL(5, methods.size());
  for (int i = 0; i < 5; ++i)
    STRCMP_EQUAL(("e" + std::to_string(i)).c_str(), methods[static_cast<std::size_t>(i)].c_str());
}

TEST(ClientOffline, OsdIsCoalescedToTheLatestSnapshotWhileOffline) {
  CHECK_TRUE(rig->start_and_wait_topology());
  go_offline();
  for (int i = 0; i < 10; ++i) rig->client->publish_osd(kDockSn, R"({"n":)" + std::to_string(i) + "}");
  come_back(2);
  Seen osd = rig->cloud.wait_for("/osd");
  CHECK_FALSE(osd.topic.empty());
  LONGS_EQUAL(9, (*osd.json)["data"]["n"].GetInt());
  LONGS_EQUAL(1, rig->cloud.count("/osd"));
  LONGS_EQUAL(9, rig->client->counters().osd_coalesced);
}

TEST(ClientOffline, QueueLimitDropsTheOldestLowPriorityMessageAndTellsTheApp) {
  ClientOptions options = docklink::test::dock_options();
  options.offline_queue.max_messages = 3;
  rig = std::make_unique<ClientRig>(options);
  watch.attach(*rig->client);
  std::vector<std::string> dropped;
  std::mutex mutex;
  std::condition_variable cv;
  rig->client->on_dropped([&](const DroppedMessage& message) {
    std::lock_guard<std::mutex> lock(mutex);
    dropped.push_back(message.method);
    cv.notify_all();
  });
  CHECK_TRUE(rig->start_and_wait_topology());
  go_offline();
  for (int i = 0; i < 5; ++i) rig->client->publish_event("e" + std::to_string(i), "{}");
  {
    std::unique_lock<std::mutex> lock(mutex);
    CHECK_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return dropped.size() >= 2; }));
    std::string names;
    for (const auto& name : dropped) names += name + " ";
    LONGS_EQUAL_TEXT(2, dropped.size(), names.c_str());
    STRCMP_EQUAL("e0", dropped[0].c_str());
    STRCMP_EQUAL("e1", dropped[1].c_str());
  }
  LONGS_EQUAL(2, rig->client->counters().offline_dropped);
  come_back(2);
  CHECK_TRUE(rig->cloud.wait_count("/events", 3));
  std::vector<std::string> methods = event_methods(rig->cloud);
  STRCMP_EQUAL("e2", methods.front().c_str());
}

TEST(ClientOffline, DurableQueueSurvivesARestart) {
  ports::MemoryStore store;
  {
    ClientRig first(docklink::test::dock_options(), &store);
    ConnectionWatch first_watch;
    first_watch.attach(*first.client);
    first.broker.set_refuse_connections(true, StatusCode::kIo);
    CHECK_TRUE(first.client->start().is_ok());
    EventOptions options;
    options.need_reply = true;
    first.client->publish_event("kept_event", "{}", options);
    first.client->publish_event("kept_plain", "{}");
    CHECK_TRUE(first_watch.wait_downs(1) || true);
  }  // the process "dies" with both events unsent
  ClientRig second(docklink::test::dock_options(), &store);
  second.cloud.set_auto_events_reply(true);
  CHECK_TRUE(second.start_and_wait_topology());
  CHECK_TRUE(second.cloud.wait_count("/events", 2));
  std::vector<std::string> methods = event_methods(second.cloud);
  STRCMP_EQUAL("kept_event", methods[0].c_str());
  STRCMP_EQUAL("kept_plain", methods[1].c_str());
  // Once acknowledged they leave the store.
  for (int i = 0; i < 200 && !store.keys("dlq.").value().empty(); ++i) {
    second.cloud.wait_for("/never", {}, std::chrono::milliseconds(10));
  }
  CHECK_TRUE(store.keys("dlq.").value().empty());
}

TEST(ClientOffline, RefusedConnectIsRetriedWithBackoff) {
  rig->broker.set_refuse_connections(true, StatusCode::kAuth);
  CHECK_TRUE(rig->client->start().is_ok());
  CHECK_TRUE(watch.wait_downs(2));  // failed attempts are reported, and retried
  rig->broker.set_refuse_connections(false);
  CHECK_TRUE(watch.wait_ups(1));
  CHECK(rig->broker.stats(kDockSn).connect_attempts >= 3);
}
