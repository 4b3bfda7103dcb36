// PahoTransport when the broker goes away: the listener hears on_connection_changed(false, kIo), every QoS 1
// publish still queued or in flight is reported exactly once with kNotConnected, and after the broker is back a
// new connect() works. Also: destruction while connected, offline or mid-burst neither hangs nor leaks threads.
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "docklink/ports/paho_transport.hpp"
#include "mosquitto_process.hpp"
#include "paho_test_support.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::port::Qos;
using docklink::ports::PahoTransport;
using namespace docklink::test;

namespace {

constexpr int kUnacknowledged = 50;  // more than the window of 20, so some wait in the transport's FIFO

}  // namespace

TEST_GROUP(PahoBrokerLoss){};

TEST(PahoBrokerLoss, QueuedPublishesAreReportedNotConnectedExactlyOnce) {
  MosquittoProcess broker;
  CHECK_TRUE_TEXT(broker.running(), broker.error().c_str());
  RecordingListener listener;
  auto options = transport_options(broker.uri(), "loses-its-broker");
  options.keep_alive = std::chrono::seconds(2);
  auto transport = connect_transport(options, listener);
  CHECK_TRUE(transport != nullptr);

  CHECK_TRUE(broker.suspend());  // frozen: nothing is acknowledged
  for (int i = 1; i <= kUnacknowledged; ++i) {
    CHECK_TRUE(transport->publish("loss/test", "payload", Qos::kAtLeastOnce, static_cast<unsigned>(i)).is_ok());
  }
  broker.kill_now();  // the kernel closes the broker's sockets

  auto down = listener.connection_event(1);
  CHECK_TRUE(down.has_value());
  CHECK_FALSE(down->connected);
  STRCMP_EQUAL_TEXT("io", docklink::to_string(down->status.code()), down->status.to_string().c_str());
  CHECK_FALSE(transport->is_connected());
  CHECK_TRUE(listener.wait_for_publishes(kUnacknowledged));
  for (const auto& done : listener.publishes()) {
    STRCMP_EQUAL("not_connected", docklink::to_string(done.status.code()));
  }
  LONGS_EQUAL(static_cast<int>(StatusCode::kNotConnected),
              static_cast<int>(transport->publish("loss/test", "late", Qos::kAtLeastOnce, 999).code()));

  CHECK_TRUE_TEXT(broker.restart(), broker.error().c_str());
  CHECK_TRUE(transport->connect().is_ok());
  auto again = listener.connection_event(2);
  CHECK_TRUE(again.has_value());
  CHECK_TRUE_TEXT(again->connected, again->status.to_string().c_str());
  CHECK_TRUE(transport->publish("loss/test", "after", Qos::kAtLeastOnce, 1000).is_ok());
  CHECK_TRUE(listener.wait_for_publishes(kUnacknowledged + 1));

  // Every id was reported exactly once, including no late duplicate from the lost connection.
  auto counts = listener.publish_counts();
  LONGS_EQUAL(kUnacknowledged + 1, counts.size());
  for (const auto& entry : counts) LONGS_EQUAL(1, entry.second);
  CHECK_TRUE(listener.publishes().back().status.is_ok());
}

TEST(PahoBrokerLoss, CleanBrokerShutdownIsNoticed) {
  MosquittoProcess broker;
  CHECK_TRUE_TEXT(broker.running(), broker.error().c_str());
  for (auto version : {docklink::ports::MqttVersion::kV311, docklink::ports::MqttVersion::kV5}) {
    CHECK_TRUE_TEXT(broker.running() || broker.restart(), broker.error().c_str());
    RecordingListener listener;
    auto transport = connect_transport(transport_options(broker.uri(), "shutdown", version), listener);
    CHECK_TRUE(transport != nullptr);
    broker.stop();  // SIGTERM: MQTT 5 clients get a DISCONNECT first
    auto down = listener.connection_event(1);
    CHECK_TRUE(down.has_value());
    CHECK_FALSE(down->connected);
    STRCMP_EQUAL("io", docklink::to_string(down->status.code()));
    LONGS_EQUAL(2, listener.connection_event_count());
  }
}

TEST(PahoBrokerLoss, DestructionNeverHangsOrLeaksThreads) {
  MosquittoProcess broker;
  CHECK_TRUE_TEXT(broker.running(), broker.error().c_str());
  const std::size_t threads_before = thread_count();
  {
    RecordingListener listener;
    auto offline = PahoTransport::create(transport_options(broker.uri(), "never-connected")).value();
    offline->set_listener(&listener);
    offline.reset();

    auto connected = PahoTransport::create(transport_options(broker.uri(), "connected")).value();
    connected->set_listener(&listener);
    CHECK_TRUE(connected->connect().is_ok());
    CHECK_TRUE(listener.connection_event(0).has_value());
    for (unsigned i = 0; i < 2000; ++i) CHECK_TRUE(connected->publish("burst", "x", Qos::kAtLeastOnce, i).is_ok());
    connected.reset();  // mid-burst
    // Everything accepted was reported once: ok if acknowledged in time, kNotConnected otherwise.
    LONGS_EQUAL(2000, listener.publish_counts().size());
    for (const auto& entry : listener.publish_counts()) LONGS_EQUAL(1, entry.second);
  }
  LONGS_EQUAL(threads_before, thread_count());  // Paho's threads end with its last client
}

// Publications of a lost connection that were never acknowledged are the core's to re-send, in its order: Paho
// must not send them by itself on the next connection (ahead of what the core drains). It did while the transport
// kept one Paho client across reconnects of a clean session: the client re-sent what it still held.
TEST(PahoBrokerLoss, NothingOfALostConnectionGoesOutOnTheNextOne) {
  MosquittoProcess broker;
  CHECK_TRUE_TEXT(broker.running(), broker.error().c_str());
  RecordingListener listener;
  auto transport = PahoTransport::create(transport_options(broker.uri(), "loses-its-queue")).value();
  transport->set_listener(&listener);
  CHECK_TRUE(transport->connect().is_ok());
  CHECK_TRUE(listener.connection_event(0).has_value());

  CHECK_TRUE(broker.suspend());  // frozen: what is written stays in the kernel's buffers, unacknowledged
  for (int i = 1; i <= kUnacknowledged; ++i) {
    CHECK_TRUE(transport->publish("loss/old", "stale", Qos::kAtLeastOnce, static_cast<unsigned>(i)).is_ok());
  }
  broker.kill_now();
  auto down = listener.connection_event(1);
  CHECK_TRUE(down.has_value() && !down->connected);
  CHECK_TRUE(listener.wait_for_publishes(kUnacknowledged));

  CHECK_TRUE_TEXT(broker.restart(), broker.error().c_str());
  RecordingListener watcher_listener;
  auto watcher = PahoTransport::create(transport_options(broker.uri(), "watches-the-queue")).value();
  watcher->set_listener(&watcher_listener);
  CHECK_TRUE(watcher->connect().is_ok());
  CHECK_TRUE(watcher_listener.connection_event(0).has_value());
  CHECK_TRUE(watcher->subscribe("loss/#", Qos::kAtLeastOnce).is_ok());
  CHECK_TRUE(watcher->publish("loss/probe", "probe", Qos::kAtLeastOnce, 1).is_ok());
  CHECK_TRUE(watcher_listener.wait_for_messages(1));  // the subscription is in place

  CHECK_TRUE(transport->connect().is_ok());
  auto again = listener.connection_event(2);
  CHECK_TRUE(again.has_value() && again->connected);
  CHECK_TRUE(transport->publish("loss/new", "after", Qos::kAtLeastOnce, 1000).is_ok());
  CHECK_TRUE(watcher_listener.wait_for_messages(2));
  // One publisher's messages arrive in order: anything Paho re-sent by itself came before "after".
  std::string seen;
  for (const auto& message : watcher_listener.messages()) seen += message.first + " ";
  STRCMP_EQUAL("loss/probe loss/new ", seen.c_str());
}
