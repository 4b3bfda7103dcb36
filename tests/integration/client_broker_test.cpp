#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "burst_pace.hpp"
#include "client_broker_support.hpp"
#include "docklink/ports/file_store.hpp"
#include "paho_test_support.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using namespace docklink::test;
using Clock = std::chrono::steady_clock;

namespace {

/// Counts reply callbacks and waits for a number of successful ones.
struct Acks {
  std::mutex mutex;
  std::condition_variable cv;
  int ok = 0;
  int failed = 0;
  ReplyCallback callback() {
    return [this](const Reply& reply) {
      std::lock_guard<std::mutex> lock(mutex);
      (reply.status.is_ok() ? ok : failed) += 1;
      cv.notify_all();
    };
  }
  bool wait_ok(int n, std::chrono::seconds timeout = std::chrono::seconds(30)) {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, timeout, [&] { return ok >= n; });
  }
};

/// A subscriber's view of a burst: when each message arrived, and which payloads came.
class ArrivalClock : public port::TransportListener {
 public:
  void on_message(std::string_view, std::string_view payload) override {
    std::lock_guard<std::mutex> lock(mutex_);
    times_.push_back(Clock::now());
    payloads_.emplace(payload);
    changed_.notify_all();
  }
  void on_connection_changed(bool connected, const Status&, bool) override {
    std::lock_guard<std::mutex> lock(mutex_);
    connected_ = connected;
    changed_.notify_all();
  }
  void on_publish_done(port::PublishId, const Status&) override {}

  bool wait_connected() {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, kPahoWait, [&] { return connected_; });
  }
  bool wait_count(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return times_.size() >= count; });
  }
  std::vector<Clock::time_point> times() {
    std::lock_guard<std::mutex> lock(mutex_);
    return times_;
  }
  std::size_t distinct_payloads() {
    std::lock_guard<std::mutex> lock(mutex_);
    return payloads_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool connected_ = false;
  std::vector<Clock::time_point> times_;
  std::set<std::string> payloads_;
};

/// Removes later duplicates (at-least-once delivery may repeat a message across a reconnect).
std::vector<std::string> first_seen(const std::vector<std::string>& methods) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& method : methods) {
    if (seen.insert(method).second) out.push_back(method);
  }
  return out;
}

void check_service_round_trip(BrokerCloud& cloud, const std::string& sn) {
  std::size_t before = cloud.methods("/services_reply").size();
  cloud.publish("thing/product/" + sn + "/services",
                R"({"tid":"rt-)" + std::to_string(before) + R"(","bid":"b","timestamp":1,"method":"ping","data":{}})");
  CHECK_TRUE(cloud.wait_count("/services_reply", before + 1, std::chrono::seconds(10)));
}

bool eventually_empty(port::Store& store) {
  for (int round = 0; round < 500; ++round) {
    if (store.keys("").value().empty()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

TEST_GROUP(ClientBroker) {
  std::unique_ptr<MosquittoProcess> broker;
  void setup() override {
    broker = std::make_unique<MosquittoProcess>();
    CHECK_TRUE_TEXT(broker->running(), broker->error().c_str());
  }
  void teardown() override { broker.reset(); }

  void run_round_trip(ports::MqttVersion version) {
    BrokerCloud cloud(broker->uri(), version);
    CHECK_TRUE(cloud.connect());
    BrokerDock dock(broker->uri(), version, broker_dock_options("RT-DOCK"));
    dock.client->on_service("ping", [](ServiceCall&) { return ServiceReply::ok(); });
    CHECK_TRUE(dock.client->start().is_ok());
    CHECK_TRUE(cloud.wait_count("/status", 1, std::chrono::seconds(10)));
    check_service_round_trip(cloud, "RT-DOCK");
  }
};

TEST(ClientBroker, ServiceRoundTripOverMqtt311) { run_round_trip(ports::MqttVersion::kV311); }

TEST(ClientBroker, ServiceRoundTripOverMqtt5) { run_round_trip(ports::MqttVersion::kV5); }

TEST(ClientBroker, EventsSentAcrossABrokerRestartAreAllDeliveredAndAcknowledged) {
  // The cloud keeps its session across the restart, so it cannot miss what the dock drains before the cloud is
  // back: any disorder it sees is the dock's.
  broker = std::make_unique<MosquittoProcess>("persistence true");
  CHECK_TRUE_TEXT(broker->running(), broker->error().c_str());
  BrokerCloud cloud(broker->uri(), ports::MqttVersion::kV311, /*persistent_session=*/true);
  CHECK_TRUE(cloud.connect());
  ClientOptions options = broker_dock_options("RESTART-DOCK");
  // The dock may be back before the cloud is (under qemu by seconds): its resends must outlast the cloud's
  // return, or an event gives up unanswered, which is not what this test is about.
  options.max_retries = 40;
  BrokerDock dock(broker->uri(), ports::MqttVersion::kV311, options);
  dock.client->on_service("ping", [](ServiceCall&) { return ServiceReply::ok(); });
  CHECK_TRUE(dock.client->start().is_ok());
  CHECK_TRUE(cloud.wait_count("/status", 1, std::chrono::seconds(10)));

  Acks acks;
  constexpr int kEvents = 60;
  EventOptions need_reply;
  need_reply.need_reply = true;
  for (int i = 0; i < kEvents; ++i) {
    if (i == 20) broker->stop();  // the rest are made while the broker is gone...
    if (i == 40) CHECK_TRUE_TEXT(broker->restart(), broker->error().c_str());  // ...or while it reconnects
    char method[16];
    std::snprintf(method, sizeof method, "ev%02d", i);
    CHECK_TRUE(dock.client->publish_event(method, "{}", need_reply, acks.callback()).is_ok());
  }
  CHECK_TRUE(cloud.connect());  // the cloud's own connection died with the broker (its session did not)
  const bool all_acknowledged = acks.wait_ok(kEvents);
  int ok = 0;
  int failed = 0;
  {
    std::lock_guard<std::mutex> lock(acks.mutex);
    ok = acks.ok;
    failed = acks.failed;
  }
  CHECK_TRUE_TEXT(all_acknowledged,
                  ("acknowledged " + std::to_string(ok) + ", failed " + std::to_string(failed)).c_str());
  LONGS_EQUAL(0, failed);

  std::vector<std::string> order = first_seen(cloud.methods("/events"));
  std::vector<std::string> expected;
  for (int i = 0; i < kEvents; ++i) {
    char method[16];
    std::snprintf(method, sizeof method, "ev%02d", i);
    expected.push_back(method);
  }
  // Every event arrived; those queued offline arrived in the order they were queued.
  std::vector<std::string> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  CHECK_TRUE(sorted == expected);
  std::vector<std::string> queued;
  for (const auto& method : order) {
    if (method >= "ev20") queued.push_back(method);
  }
  std::string seen;
  for (const auto& method : order) seen += method + " ";
  CHECK_TRUE_TEXT(std::is_sorted(queued.begin(), queued.end()), seen.c_str());
  // Topology was re-sent and the subscriptions work again, with nothing done by the app.
  CHECK(dock.client->counters().connects >= 2);
  CHECK_TRUE(cloud.wait_count("/status", 1, std::chrono::seconds(10)));
  check_service_round_trip(cloud, "RESTART-DOCK");
}

TEST(ClientBroker, QueueLimitDropsAndReportsTheOldestWhileTheBrokerIsDown) {
  ClientOptions options = broker_dock_options("LIMIT-DOCK");
  options.offline_queue.max_messages = 3;
  BrokerDock dock(broker->uri(), ports::MqttVersion::kV311, options);
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<std::string> dropped;
  dock.client->on_dropped([&](const DroppedMessage& message) {
    std::lock_guard<std::mutex> lock(mutex);
    dropped.push_back(message.method);
    cv.notify_all();
  });
  broker->stop();
  CHECK_TRUE(dock.client->start().is_ok());
  for (int i = 0; i < 5; ++i) CHECK_TRUE(dock.client->publish_event("q" + std::to_string(i), "{}").is_ok());
  {
    std::unique_lock<std::mutex> lock(mutex);
    CHECK_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return dropped.size() == 2; }));
    STRCMP_EQUAL("q0", dropped[0].c_str());
    STRCMP_EQUAL("q1", dropped[1].c_str());
  }
  CHECK_TRUE_TEXT(broker->restart(), broker->error().c_str());
  BrokerCloud cloud(broker->uri(), ports::MqttVersion::kV311);
  CHECK_TRUE(cloud.connect());
  // The dock may have delivered before the cloud subscribed, so ask for a fresh topology to know it is up.
  CHECK_TRUE(dock.client->set_sub_devices({}).is_ok());
  CHECK_TRUE(cloud.wait_count("/status", 1, std::chrono::seconds(10)));
  LONGS_EQUAL(2, dock.client->counters().offline_dropped);
}

TEST(ClientBroker, BurstOf10000QoS1EventsGoesThroughWithoutStalls) {
  BrokerCloud cloud(broker->uri(), ports::MqttVersion::kV311);
  CHECK_TRUE(cloud.connect());
  ArrivalClock arrivals;
  auto watcher = ports::PahoTransport::create(transport_options(broker->uri(), "burst-watcher")).value();
  watcher->set_listener(&arrivals);
  CHECK_TRUE(watcher->connect().is_ok());
  CHECK_TRUE(arrivals.wait_connected());
  CHECK_TRUE(watcher->subscribe("thing/product/BURST-DOCK/events", port::Qos::kAtLeastOnce).is_ok());
  BrokerDock dock(broker->uri(), ports::MqttVersion::kV311, broker_dock_options("BURST-DOCK"));
  CHECK_TRUE(dock.client->start().is_ok());
  CHECK_TRUE(cloud.wait_count("/status", 1, std::chrono::seconds(10)));  // the watcher subscribed before that

  constexpr std::size_t kEvents = 10000;
  auto start = Clock::now();
  for (std::size_t i = 0; i < kEvents; ++i) {
    CHECK_TRUE(dock.client->publish_event("burst", R"({"i":)" + std::to_string(i) + "}").is_ok());
  }
  for (std::size_t step = kBurstProgressStep; step <= kEvents; step += kBurstProgressStep) {
    CHECK_TRUE(arrivals.wait_count(step, kPahoWait));  // progress; the bound means it stopped
  }
  CHECK_TRUE(cloud.wait_count("/events", kEvents, kPahoWait));
  LONGS_EQUAL(kEvents, arrivals.distinct_payloads());  // each event arrived (QoS 1 may repeat one, never lose it)
  const BurstPace pace = burst_pace(start, arrivals.times());
  std::printf(
      "\n10000 QoS 1 events through DockLink and mosquitto: typical %lld us per event, longest gap %lld ms,"
      " %d stalls\n",
      static_cast<long long>(std::chrono::duration_cast<std::chrono::microseconds>(pace.typical).count()),
      static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(pace.longest_gap).count()),
      pace.stalls);
  CHECK_TRUE(pace.stalls <= kToleratedStalls);  // a Paho in-flight stall would come once per window: hundreds
  LONGS_EQUAL(0, dock.client->counters().offline_dropped);
  watcher->disconnect(std::chrono::seconds(1));
}

TEST(ClientBroker, ThreeHundredServiceRoundTripsInARow) {
  BrokerCloud cloud(broker->uri(), ports::MqttVersion::kV311);
  CHECK_TRUE(cloud.connect());
  BrokerDock dock(broker->uri(), ports::MqttVersion::kV311, broker_dock_options("LAT-DOCK"));
  dock.client->on_service("ping", [](ServiceCall&) { return ServiceReply::ok(); });
  CHECK_TRUE(dock.client->start().is_ok());
  CHECK_TRUE(cloud.wait_count("/status", 1, std::chrono::seconds(10)));
  std::vector<double> micros;
  for (int i = 0; i < 300; ++i) {
    auto start = Clock::now();
    check_service_round_trip(cloud, "LAT-DOCK");
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  std::sort(micros.begin(), micros.end());
  double p50 = micros[micros.size() / 2];
  double p99 = micros[micros.size() * 99 / 100];
  std::printf("\nservice round trip (cloud -> dock handler -> cloud, QoS 1, one process): p50 %.0f us, p99 %.0f us\n",
              p50, p99);
  // Printed for a reader (~0.2-0.5 ms alone); no wall-clock bound here: TCP_NODELAY is checked by PahoNoDelay and
  // speed by tests/bench. What can fail here: each of the 300 round trips completes (checked inside).
  LONGS_EQUAL(300, micros.size());
}

TEST_GROUP(ClientDurableQueue){};

// The child process queues events while the broker is down and is killed with SIGKILL; a new client on the same
// store directory delivers them. Runs first in its own process group test, before any Paho thread exists.
TEST(ClientDurableQueue, QueueSurvivesKill9) {
  TempDirectory store_dir;
  MosquittoProcess broker;
  CHECK_TRUE(broker.running());
  std::string uri = broker.uri();
  broker.stop();
  int ready[2];
  CHECK_EQUAL(0, pipe(ready));
  pid_t child = fork();
  if (child == 0) {
    close(ready[0]);
    auto opened = ports::FileStore::open(store_dir.path());
    if (!opened) _exit(4);  // a failed open has no store to use
    auto store = std::move(opened).value();
    BrokerDock dock(uri, ports::MqttVersion::kV311, broker_dock_options("KILL-DOCK"), store.get());
    if (!dock.client->start()) _exit(5);
    EventOptions need_reply;
    need_reply.need_reply = true;
    for (int i = 0; i < 5; ++i) {
      if (!dock.client->publish_event("kept" + std::to_string(i), "{}", need_reply)) _exit(6);
    }
    if (!dock.client->publish_event("kept_plain", "{}")) _exit(6);
    char byte = 'r';
    if (write(ready[1], &byte, 1) != 1) _exit(3);
    for (;;) pause();  // killed here with everything still queued
  }
  close(ready[1]);
  char byte = 0;
  CHECK_EQUAL(1, read(ready[0], &byte, 1));
  close(ready[0]);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  CHECK_TRUE(WIFSIGNALED(status));

  CHECK_TRUE_TEXT(broker.restart(), broker.error().c_str());
  BrokerCloud cloud(broker.uri(), ports::MqttVersion::kV311);
  CHECK_TRUE(cloud.connect());
  auto reopened = ports::FileStore::open(store_dir.path());
  CHECK_TRUE_TEXT(reopened.is_ok(), reopened.status().to_string().c_str());  // stops here: no null store below
  auto store = std::move(reopened).value();
  CHECK_FALSE(store->keys("").value().empty());
  BrokerDock dock(broker.uri(), ports::MqttVersion::kV311, broker_dock_options("KILL-DOCK"), store.get());
  CHECK_TRUE(dock.client->start().is_ok());
  bool all_arrived = cloud.wait_count("/events", 6, std::chrono::seconds(10));
  if (!all_arrived) {
    for (const auto& message : cloud.received()) std::printf("cloud saw %s\n", message.first.c_str());
    for (const auto& line : dock.log.lines()) std::printf("dock log: %s\n", line.c_str());
  }
  CHECK_TRUE(all_arrived);
  std::vector<std::string> order = first_seen(cloud.methods("/events"));
  LONGS_EQUAL(6, order.size());
  STRCMP_EQUAL("kept0", order[0].c_str());
  STRCMP_EQUAL("kept4", order[4].c_str());
  STRCMP_EQUAL("kept_plain", order[5].c_str());
  // Acknowledged events leave the store.
  CHECK_TRUE(eventually_empty(*store));
}
