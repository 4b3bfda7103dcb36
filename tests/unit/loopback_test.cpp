// The loopback broker and transport: MQTT filter matching, synchronous delivery, QoS acknowledgements and the
// test hooks (held acks, refused publishes, dropped and refused connections, subscription counting).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "docklink/ports/loopback.hpp"
#include "docklink/ports/topic_filter.hpp"

#include <CppUTest/TestHarness.h>

using docklink::Status;
using docklink::StatusCode;
using docklink::port::PublishId;
using docklink::port::Qos;
using docklink::ports::is_valid_topic_filter;
using docklink::ports::is_valid_topic_name;
using docklink::ports::LoopbackBroker;
using docklink::ports::LoopbackTransport;
using docklink::ports::topic_matches;

namespace {

// Records every listener call as one line, e.g. "message a/b hello", "up ok", "down io", "done 7 ok".
class RecordingListener : public docklink::port::TransportListener {
 public:
  void on_message(std::string_view topic, std::string_view payload) override {
    add("message " + std::string(topic) + " " + std::string(payload));
  }
  void on_connection_changed(bool connected, const Status& status, bool) override {
    add(std::string(connected ? "up " : "down ") + docklink::to_string(status.code()));
  }
  void on_publish_done(PublishId id, const Status& status) override {
    add("done " + std::to_string(id) + " " + docklink::to_string(status.code()));
  }

  std::string events() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string joined;
    for (const auto& event : events_) joined += (joined.empty() ? "" : "|") + event;
    return joined;
  }
  void clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    events_.clear();
  }
  std::size_t count() {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_.size();
  }

 private:
  void add(std::string event) {
    std::lock_guard<std::mutex> lock(mutex_);
    events_.push_back(std::move(event));
  }
  std::mutex mutex_;
  std::vector<std::string> events_;
};

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ",") + item;
  return text;
}

struct MatchCase {
  const char* filter;
  const char* topic;
  bool matches;
};

}  // namespace

TEST_GROUP(TopicFilter){};

TEST(TopicFilter, MatchingTable) {
  const MatchCase cases[] = {
      {"a/b", "a/b", true},
      {"a/b", "a/c", false},
      {"a/b", "a/b/", false},
      {"a/b", "a", false},
      {"a/+", "a/b", true},
      {"a/+", "a/", true},  // '+' matches an empty level
      {"a/+", "a", false},  // ... but not a missing one
      {"a/+", "a/b/c", false},
      {"a/+/c", "a/b/c", true},
      {"a/+/c", "a//c", true},
      {"+", "a", true},
      {"+", "a/b", false},
      {"+", "/a", false},
      {"+/+", "/a", true},
      {"/+", "/a", true},
      {"a/#", "a", true},  // '#' includes the parent level
      {"a/#", "a/", true},
      {"a/#", "a/b/c", true},
      {"a/#", "ab", false},
      {"a/+/#", "a", false},
      {"a/+/#", "a/b", true},
      {"#", "a/b/c", true},
      {"#", "/", true},
      {"a//b", "a//b", true},
      {"#", "$SYS/broker", false},  // wildcards at the start never match '$' topics
      {"+/broker", "$SYS/broker", false},
      {"$SYS/#", "$SYS/broker", true},
      {"$SYS/+", "$SYS/broker", true},
      {"a/$x", "a/$x", true},
      {"thing/product/+/services", "thing/product/DOCK1/services", true},
      {"thing/product/+/services", "thing/product/DOCK1/services_reply", false},
      {"sys/product/+/status", "sys/product/DOCK1/status_reply", false},
      {"thing/product/DOCK1/#", "thing/product/DOCK1/drc/down", true},
      // Invalid filters and topic names match nothing.
      {"a/#/b", "a/x/b", false},
      {"a#", "a#", false},
      {"a/b+", "a/b+", false},
      {"", "", false},
      {"a/+", "a/+", false},
      {"#", "a/#", false},
  };
  for (const auto& match : cases) {
    const std::string label = std::string(match.filter) + " vs " + match.topic;
    CHECK_TEXT(topic_matches(match.filter, match.topic) == match.matches, label.c_str());
  }
}

TEST(TopicFilter, Validity) {
  for (const char* valid : {"a", "/", "a/+/b", "+", "#", "a/#", "+/+/#", "$SYS/#", "a//b"}) {
    CHECK_TEXT(is_valid_topic_filter(valid), valid);
  }
  for (const char* invalid : {"", "a+", "+a", "a/#/b", "#/a", "a/b#", "##"}) {
    CHECK_TEXT(!is_valid_topic_filter(invalid), invalid);
  }
  CHECK_FALSE(is_valid_topic_filter(std::string_view("a\0b", 3)));
  CHECK_FALSE(is_valid_topic_filter(std::string(65536, 'a')));
  CHECK_TRUE(is_valid_topic_name("thing/product/DOCK1/osd"));
  for (const char* invalid : {"", "a/+", "#", "a/b#"}) CHECK_TEXT(!is_valid_topic_name(invalid), invalid);
  CHECK_FALSE(is_valid_topic_name(std::string_view("a\0b", 3)));
}

TEST_GROUP(Loopback) {
  LoopbackBroker* broker = nullptr;
  LoopbackTransport* dock = nullptr;
  RecordingListener* listener = nullptr;

  void setup() override {
    broker = new LoopbackBroker();
    dock = new LoopbackTransport(*broker, "DOCK1");
    listener = new RecordingListener();
    dock->set_listener(listener);
  }
  void teardown() override {
    delete dock;
    delete listener;
    delete broker;
  }
  void connect_dock() {
    CHECK_TRUE(dock->connect().is_ok());
    STRCMP_EQUAL("up ok", listener->events().c_str());
    listener->clear();
  }
};

TEST(Loopback, ConnectReportsSynchronously) {
  CHECK_FALSE(dock->is_connected());
  CHECK_TRUE(dock->connect().is_ok());
  STRCMP_EQUAL("up ok", listener->events().c_str());
  CHECK_TRUE(dock->is_connected());
  CHECK_TRUE(broker->is_connected("DOCK1"));
  CHECK_TRUE(dock->connect().code() == StatusCode::kBusy);  // already connected
  STRCMP_EQUAL("DOCK1", dock->client_id().c_str());
}

TEST(Loopback, OfflineCallsFail) {
  CHECK_TRUE(dock->publish("a/b", "x", Qos::kAtLeastOnce, 1).code() == StatusCode::kNotConnected);
  CHECK_TRUE(dock->subscribe("a/b", Qos::kAtLeastOnce).code() == StatusCode::kNotConnected);
  CHECK_TRUE(dock->unsubscribe("a/b").code() == StatusCode::kNotConnected);
  STRCMP_EQUAL("", listener->events().c_str());  // no ack for a refused publish
  LONGS_EQUAL(0, broker->published().size());
}

TEST(Loopback, InvalidTopicsAreRejected) {
  connect_dock();
  CHECK_TRUE(dock->publish("a/+", "x", Qos::kAtMostOnce, 0).code() == StatusCode::kInvalidArgument);
  CHECK_TRUE(dock->subscribe("a/#/b", Qos::kAtMostOnce).code() == StatusCode::kInvalidArgument);
  CHECK_TRUE(dock->unsubscribe("").code() == StatusCode::kInvalidArgument);
  LONGS_EQUAL(0, broker->publish("a/#", "x"));
  LONGS_EQUAL(0, broker->subscribe("a#", [](const std::string&, const std::string&) {}));
  LONGS_EQUAL(0, broker->published().size());
}

TEST(Loopback, CloudToDockDelivery) {
  connect_dock();
  CHECK_TRUE(dock->subscribe("thing/product/DOCK1/services", Qos::kAtLeastOnce).is_ok());
  LONGS_EQUAL(1, broker->publish("thing/product/DOCK1/services", "{\"method\":\"cover_open\"}"));
  STRCMP_EQUAL("message thing/product/DOCK1/services {\"method\":\"cover_open\"}", listener->events().c_str());
  listener->clear();
  LONGS_EQUAL(0, broker->publish("thing/product/DOCK2/services", "other dock"));
  STRCMP_EQUAL("", listener->events().c_str());
}

TEST(Loopback, DockToCloudDeliveryAndLog) {
  connect_dock();
  std::vector<std::string> seen;
  broker->subscribe("thing/product/+/osd", [&seen](const std::string& topic, const std::string& payload) {
    seen.push_back(topic + "=" + payload);
  });
  CHECK_TRUE(dock->publish("thing/product/DOCK1/osd", "{\"a\":1}", Qos::kAtMostOnce, 0).is_ok());
  STRCMP_EQUAL("thing/product/DOCK1/osd={\"a\":1}", joined(seen).c_str());
  STRCMP_EQUAL("", listener->events().c_str());  // QoS 0: no on_publish_done
  broker->publish("thing/product/DOCK1/services", "down", Qos::kAtLeastOnce, "console");
  const auto log = broker->published();
  LONGS_EQUAL(2, log.size());
  STRCMP_EQUAL("DOCK1", log[0].sender.c_str());
  STRCMP_EQUAL("thing/product/DOCK1/osd", log[0].topic.c_str());
  STRCMP_EQUAL("{\"a\":1}", log[0].payload.c_str());
  CHECK_TRUE(log[0].qos == Qos::kAtMostOnce);
  STRCMP_EQUAL("console", log[1].sender.c_str());
  CHECK_TRUE(log[1].qos == Qos::kAtLeastOnce);
  LONGS_EQUAL(1, broker->published_matching("thing/product/+/services").size());
  broker->clear_published();
  LONGS_EQUAL(0, broker->published().size());
}

TEST(Loopback, QosOneIsAcknowledgedAfterDelivery) {
  connect_dock();
  std::vector<std::string> order;
  broker->subscribe("thing/#", [&](const std::string&, const std::string& payload) {
    order.push_back("cloud got " + payload + " before ack: " + (listener->count() == 0 ? "yes" : "no"));
  });
  CHECK_TRUE(dock->publish("thing/product/DOCK1/events", "e1", Qos::kAtLeastOnce, 7).is_ok());
  STRCMP_EQUAL("cloud got e1 before ack: yes", joined(order).c_str());
  STRCMP_EQUAL("done 7 ok", listener->events().c_str());
  CHECK_TRUE(dock->publish("thing/product/DOCK1/events", "e2", Qos::kExactlyOnce, 8).is_ok());
  STRCMP_EQUAL("done 7 ok|done 8 ok", listener->events().c_str());
}

TEST(Loopback, HeldAcksWaitForRelease) {
  connect_dock();
  broker->set_hold_acks(true);
  CHECK_TRUE(dock->publish("t/1", "a", Qos::kAtLeastOnce, 1).is_ok());
  CHECK_TRUE(dock->publish("t/2", "b", Qos::kAtLeastOnce, 2).is_ok());
  CHECK_TRUE(dock->publish("t/3", "c", Qos::kAtMostOnce, 0).is_ok());
  STRCMP_EQUAL("", listener->events().c_str());
  LONGS_EQUAL(2, broker->held_acks());
  LONGS_EQUAL(2, broker->release_acks());
  STRCMP_EQUAL("done 1 ok|done 2 ok", listener->events().c_str());
  LONGS_EQUAL(0, broker->held_acks());
  LONGS_EQUAL(0, broker->release_acks());
}

TEST(Loopback, RefusedPublishesFailWithoutDeliveryUntilTheCountIsSpent) {
  std::vector<std::string> seen;
  broker->subscribe("t/#", [&seen](const std::string&, const std::string& payload) { seen.push_back(payload); });
  broker->refuse_publishes(2);
  CHECK_TRUE(dock->publish("t/1", "offline", Qos::kAtLeastOnce, 1).code() == StatusCode::kNotConnected);
  LONGS_EQUAL(2, broker->publishes_to_refuse());  // a disconnected call does not use up the count
  connect_dock();
  CHECK_TRUE(dock->publish("t/+", "invalid", Qos::kAtMostOnce, 0).code() == StatusCode::kInvalidArgument);
  CHECK_TRUE(dock->publish("t/1", "a", Qos::kAtLeastOnce, 1).code() == StatusCode::kBusy);
  CHECK_TRUE(dock->publish("t/2", "b", Qos::kAtMostOnce, 0).code() == StatusCode::kBusy);
  LONGS_EQUAL(0, broker->publishes_to_refuse());
  CHECK_TRUE(dock->publish("t/3", "c", Qos::kAtLeastOnce, 3).is_ok());
  STRCMP_EQUAL("c", joined(seen).c_str());
  STRCMP_EQUAL("done 3 ok", listener->events().c_str());  // no acknowledgement for a refused publish
  LONGS_EQUAL(1, broker->published_matching("t/#").size());
  LONGS_EQUAL(1, broker->stats("DOCK1").publishes);
  broker->refuse_publishes(1, StatusCode::kIo);
  CHECK_TRUE(dock->publish("t/4", "d", Qos::kAtMostOnce, 0).code() == StatusCode::kIo);
  broker->refuse_publishes(5);
  broker->refuse_publishes(0);  // ends the refusals
  CHECK_TRUE(dock->publish("t/5", "e", Qos::kAtMostOnce, 0).is_ok());
  LONGS_EQUAL(1, broker->publish("t/6", "cloud"));  // the cloud side is never refused
  STRCMP_EQUAL("c,e,cloud", joined(seen).c_str());
}

TEST(Loopback, DroppedConnectionFailsHeldAcksAndEndsSubscriptions) {
  connect_dock();
  CHECK_TRUE(dock->subscribe("thing/product/DOCK1/services", Qos::kAtLeastOnce).is_ok());
  broker->set_hold_acks(true);
  CHECK_TRUE(dock->publish("t/1", "a", Qos::kAtLeastOnce, 3).is_ok());
  LONGS_EQUAL(1, broker->drop_connection("DOCK1"));
  STRCMP_EQUAL("down io|done 3 not_connected", listener->events().c_str());
  CHECK_FALSE(dock->is_connected());
  CHECK_FALSE(broker->is_connected("DOCK1"));
  LONGS_EQUAL(0, broker->held_acks());
  LONGS_EQUAL(0, broker->release_acks());
  STRCMP_EQUAL("", joined(broker->subscriptions("DOCK1")).c_str());
  LONGS_EQUAL(0, broker->publish("thing/product/DOCK1/services", "lost"));
  CHECK_TRUE(dock->publish("t/1", "a", Qos::kAtLeastOnce, 4).code() == StatusCode::kNotConnected);
  LONGS_EQUAL(0, broker->drop_connection("DOCK1"));  // nothing left to drop
  STRCMP_EQUAL("down io|done 3 not_connected", listener->events().c_str());
}

TEST(Loopback, DisconnectReportsShutdownAndThenSilence) {
  connect_dock();
  CHECK_TRUE(dock->subscribe("a/#", Qos::kAtLeastOnce).is_ok());
  broker->set_hold_acks(true);
  CHECK_TRUE(dock->publish("a/b", "x", Qos::kAtLeastOnce, 5).is_ok());
  listener->clear();
  dock->disconnect(std::chrono::milliseconds(100));
  STRCMP_EQUAL("down shutdown|done 5 not_connected", listener->events().c_str());
  listener->clear();
  LONGS_EQUAL(0, broker->publish("a/b", "after"));
  dock->disconnect(std::chrono::milliseconds(100));  // harmless when already down
  STRCMP_EQUAL("", listener->events().c_str());
}

TEST(Loopback, RefusedConnectReportsTheGivenReason) {
  broker->set_refuse_connections(true);
  CHECK_TRUE(dock->connect().is_ok());  // the attempt started; the outcome comes through the listener
  STRCMP_EQUAL("down auth", listener->events().c_str());
  CHECK_FALSE(dock->is_connected());
  listener->clear();
  broker->set_refuse_connections(true, StatusCode::kIo);
  CHECK_TRUE(dock->connect().is_ok());
  STRCMP_EQUAL("down io", listener->events().c_str());
  listener->clear();
  broker->set_refuse_connections(false);
  CHECK_TRUE(dock->connect().is_ok());
  STRCMP_EQUAL("up ok", listener->events().c_str());
  const auto stats = broker->stats("DOCK1");
  LONGS_EQUAL(3, stats.connect_attempts);
  LONGS_EQUAL(1, stats.connects);
}

TEST(Loopback, ResubscriptionAfterReconnectIsCounted) {
  connect_dock();
  CHECK_TRUE(dock->subscribe("thing/product/DOCK1/services", Qos::kAtLeastOnce).is_ok());
  CHECK_TRUE(dock->subscribe("sys/product/DOCK1/status_reply", Qos::kAtLeastOnce).is_ok());
  LONGS_EQUAL(2, broker->subscribe_count("DOCK1"));
  STRCMP_EQUAL("sys/product/DOCK1/status_reply,thing/product/DOCK1/services",
               joined(broker->subscriptions("DOCK1")).c_str());
  broker->drop_connection("DOCK1");
  STRCMP_EQUAL("", joined(broker->subscriptions("DOCK1")).c_str());
  CHECK_TRUE(dock->connect().is_ok());
  LONGS_EQUAL(2, broker->subscribe_count("DOCK1"));
  CHECK_TRUE(dock->subscribe("thing/product/DOCK1/services", Qos::kAtLeastOnce).is_ok());
  CHECK_TRUE(dock->subscribe("sys/product/DOCK1/status_reply", Qos::kAtLeastOnce).is_ok());
  LONGS_EQUAL(4, broker->subscribe_count("DOCK1"));
  LONGS_EQUAL(2, broker->subscriptions("DOCK1").size());
  LONGS_EQUAL(0, broker->subscribe_count("UNKNOWN"));
}

TEST(Loopback, UnsubscribeStopsDelivery) {
  connect_dock();
  CHECK_TRUE(dock->subscribe("a/b", Qos::kAtLeastOnce).is_ok());
  CHECK_TRUE(dock->unsubscribe("a/b").is_ok());
  CHECK_TRUE(dock->unsubscribe("never/subscribed").is_ok());
  LONGS_EQUAL(0, broker->publish("a/b", "x"));
  STRCMP_EQUAL("", listener->events().c_str());
  LONGS_EQUAL(2, broker->stats("DOCK1").unsubscribes);
}

TEST(Loopback, OverlappingFiltersDeliverOnce) {
  connect_dock();
  CHECK_TRUE(dock->subscribe("a/+", Qos::kAtLeastOnce).is_ok());
  CHECK_TRUE(dock->subscribe("a/#", Qos::kAtLeastOnce).is_ok());
  CHECK_TRUE(dock->subscribe("a/b", Qos::kAtLeastOnce).is_ok());
  LONGS_EQUAL(1, broker->publish("a/b", "once"));
  STRCMP_EQUAL("message a/b once", listener->events().c_str());
}

TEST(Loopback, PublisherReceivesItsOwnMessage) {
  connect_dock();
  CHECK_TRUE(dock->subscribe("echo", Qos::kAtLeastOnce).is_ok());
  CHECK_TRUE(dock->publish("echo", "me", Qos::kAtLeastOnce, 9).is_ok());
  STRCMP_EQUAL("message echo me|done 9 ok", listener->events().c_str());
}

TEST(Loopback, CloudCanAnswerInsideItsCallback) {
  connect_dock();
  CHECK_TRUE(dock->subscribe("sys/product/DOCK1/status_reply", Qos::kAtLeastOnce).is_ok());
  broker->subscribe("sys/product/+/status", [this](const std::string&, const std::string& payload) {
    broker->publish("sys/product/DOCK1/status_reply", "reply to " + payload);
  });
  CHECK_TRUE(dock->publish("sys/product/DOCK1/status", "topo", Qos::kAtLeastOnce, 1).is_ok());
  // The reply arrived during the publish call, before its acknowledgement.
  STRCMP_EQUAL("message sys/product/DOCK1/status_reply reply to topo|done 1 ok", listener->events().c_str());
}

TEST(Loopback, CloudUnsubscribeWorksInsideItsOwnCallback) {
  int calls = 0;
  docklink::ports::LoopbackSubscriptionId id = 0;
  id = broker->subscribe("a/#", [&](const std::string&, const std::string&) {
    ++calls;
    broker->unsubscribe(id);
  });
  CHECK_TRUE(id != 0);
  LONGS_EQUAL(1, broker->publish("a/b", "x"));
  LONGS_EQUAL(0, broker->publish("a/b", "y"));
  LONGS_EQUAL(1, calls);
  broker->unsubscribe(id);  // already gone: no effect
}

TEST(Loopback, SecondConnectionWithSameClientIdTakesOver) {
  connect_dock();
  CHECK_TRUE(dock->subscribe("a/b", Qos::kAtLeastOnce).is_ok());
  RecordingListener twin_listener;  // declared first: it must outlive the transport
  LoopbackTransport twin(*broker, "DOCK1");
  twin.set_listener(&twin_listener);
  CHECK_TRUE(twin.connect().is_ok());
  STRCMP_EQUAL("down io", listener->events().c_str());
  STRCMP_EQUAL("up ok", twin_listener.events().c_str());
  CHECK_FALSE(dock->is_connected());
  CHECK_TRUE(twin.is_connected());
  LONGS_EQUAL(0, broker->publish("a/b", "x"));  // the old subscription went with the old session
}

TEST(Loopback, DestroyingATransportDisconnectsIt) {
  {
    LoopbackTransport temporary(*broker, "TEMP");
    CHECK_TRUE(temporary.connect().is_ok());
    CHECK_TRUE(temporary.subscribe("t", Qos::kAtMostOnce).is_ok());
    CHECK_TRUE(broker->is_connected("TEMP"));
  }
  CHECK_FALSE(broker->is_connected("TEMP"));
  LONGS_EQUAL(0, broker->publish("t", "x"));
}

TEST(Loopback, ConcurrentQosOnePublishesAreEachAcknowledgedOnce) {
  constexpr int kDocks = 4;
  constexpr int kPublishesEach = 300;
  std::atomic<int> cloud_received{0};
  broker->subscribe("thing/product/+/events",
                    [&cloud_received](const std::string&, const std::string&) { ++cloud_received; });
  std::vector<std::thread> threads;
  std::vector<std::string> outcomes(kDocks);
  for (int d = 0; d < kDocks; ++d) {
    threads.emplace_back([this, d, &outcomes] {
      const std::string sn = "DOCK-T" + std::to_string(d);
      LoopbackTransport transport(*broker, sn);
      RecordingListener recorder;
      transport.set_listener(&recorder);
      bool accepted = transport.connect().is_ok();
      for (int i = 1; i <= kPublishesEach; ++i) {
        Status sent =
            transport.publish("thing/product/" + sn + "/events", "e", Qos::kAtLeastOnce, static_cast<PublishId>(i));
        accepted = accepted && sent.is_ok();
      }
      transport.set_listener(nullptr);
      const std::string events = recorder.events();
      std::string expected = "up ok";
      for (int i = 1; i <= kPublishesEach; ++i) expected += "|done " + std::to_string(i) + " ok";
      outcomes[static_cast<std::size_t>(d)] = !accepted ? "refused" : events == expected ? "ok" : events.substr(0, 200);
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& outcome : outcomes) STRCMP_EQUAL("ok", outcome.c_str());
  LONGS_EQUAL(kDocks * kPublishesEach, cloud_received.load());
}

TEST(Loopback, NoListenerCallAfterDisconnectReturns) {
  // A cloud thread publishes to the dock non-stop while the dock disconnects and reconnects; once disconnect()
  // has returned, the listener must stay silent until the next connect.
  class GuardedListener : public RecordingListener {
   public:
    std::atomic<bool> closed{false};
    std::atomic<int> violations{0};
    void on_message(std::string_view, std::string_view) override {
      if (closed) ++violations;
      std::lock_guard<std::mutex> lock(mutex_);
      ++delivered_;
      arrived_.notify_all();
    }
    // Waits until more than `seen` messages were delivered; false after the timeout.
    bool wait_beyond(int seen) {
      std::unique_lock<std::mutex> lock(mutex_);
      return arrived_.wait_for(lock, std::chrono::seconds(5), [&] { return delivered_ > seen; });
    }
    int delivered() {
      std::lock_guard<std::mutex> lock(mutex_);
      return delivered_;
    }

   private:
    std::mutex mutex_;
    std::condition_variable arrived_;
    int delivered_ = 0;
  };
  GuardedListener guarded;
  dock->set_listener(&guarded);
  std::atomic<bool> stop{false};
  std::thread cloud([this, &stop] {
    while (!stop) broker->publish("thing/product/DOCK1/services", "x");
  });
  for (int round = 0; round < 300; ++round) {
    guarded.closed = false;
    CHECK_TRUE(dock->connect().is_ok());
    CHECK_TRUE(dock->subscribe("thing/product/DOCK1/services", Qos::kAtLeastOnce).is_ok());
    // Disconnect while the cloud thread is streaming into this connection.
    CHECK_TRUE(guarded.wait_beyond(guarded.delivered()));
    dock->disconnect(std::chrono::milliseconds(0));
    guarded.closed = true;
  }
  stop = true;
  cloud.join();
  LONGS_EQUAL(0, guarded.violations.load());
  broker->clear_published();
  dock->set_listener(listener);
}

TEST(Loopback, PublishRoutedBeforeDisconnectIsNotDeliveredAfterIt) {
  // Cloud subscribers are served before transports, so this callback parks the publishing thread after the
  // broker routed the message to the dock and before the dock's listener is called.
  connect_dock();
  CHECK_TRUE(dock->subscribe("a/b", Qos::kAtLeastOnce).is_ok());
  std::mutex mutex;
  std::condition_variable changed;
  bool routed = false;
  bool disconnected = false;
  broker->subscribe("a/b", [&](const std::string&, const std::string&) {
    std::unique_lock<std::mutex> lock(mutex);
    routed = true;
    changed.notify_all();
    changed.wait_for(lock, std::chrono::seconds(5), [&] { return disconnected; });
  });
  std::thread cloud([this] { broker->publish("a/b", "late"); });
  {
    std::unique_lock<std::mutex> lock(mutex);
    CHECK_TRUE(changed.wait_for(lock, std::chrono::seconds(5), [&] { return routed; }));
  }
  dock->disconnect(std::chrono::milliseconds(0));
  {
    std::lock_guard<std::mutex> lock(mutex);
    disconnected = true;
    changed.notify_all();
  }
  cloud.join();
  STRCMP_EQUAL("down shutdown", listener->events().c_str());
}
