// PahoTransport against a real mosquitto: connect, subscribe and publish round trips over MQTT 3.1.1 and 5,
// QoS 0 and 1, and the contract's edge cases (offline publish, double connect, disconnect, bad URI).
#include <chrono>
#include <memory>
#include <string>

#include "docklink/ports/paho_transport.hpp"
#include "mosquitto_process.hpp"
#include "paho_test_support.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::port::Qos;
using docklink::ports::MqttVersion;
using docklink::ports::PahoTransport;
using namespace docklink::test;

namespace {

/// Connects and returns the first connection event's status (kTimeout when none came).
docklink::Status connect_and_wait(PahoTransport& transport, RecordingListener& listener, std::size_t index = 0) {
  if (auto started = transport.connect(); !started) return started;
  auto event = listener.connection_event(index);
  if (!event) return docklink::Status(StatusCode::kTimeout, "no connection event");
  return event->status;
}

/// Subscribes to `topic`, publishes to it at `qos` and expects the message back (and, for QoS 1, an ok).
void expect_round_trip(MqttVersion version, Qos qos) {
  MosquittoProcess broker;
  CHECK_TRUE_TEXT(broker.running(), broker.error().c_str());
  RecordingListener listener;  // declared first: it must outlive the transport
  auto created = PahoTransport::create(transport_options(broker.uri(), "round-trip", version));
  CHECK_TRUE(created.is_ok());
  auto transport = std::move(created).value();
  transport->set_listener(&listener);

  STRCMP_EQUAL("ok", docklink::to_string(connect_and_wait(*transport, listener).code()));
  CHECK_TRUE(transport->is_connected());
  CHECK_TRUE(transport->subscribe("thing/product/SN1/services", Qos::kAtLeastOnce).is_ok());
  // MQTT orders packets, so the broker handles the SUBSCRIBE before this PUBLISH.
  CHECK_TRUE(transport->publish("thing/product/SN1/services", "{\"tid\":\"1\"}", qos, 7).is_ok());

  CHECK_TRUE(listener.wait_for_messages(1));
  auto messages = listener.messages();
  STRCMP_EQUAL("thing/product/SN1/services", messages[0].first.c_str());
  STRCMP_EQUAL("{\"tid\":\"1\"}", messages[0].second.c_str());
  if (qos != Qos::kAtMostOnce) {
    CHECK_TRUE(listener.wait_for_publishes(1));
    auto done = listener.publishes();
    LONGS_EQUAL(7, done[0].id);
    CHECK_TRUE(done[0].status.is_ok());
  }

  transport->disconnect(std::chrono::seconds(2));
  CHECK_FALSE(transport->is_connected());
  auto closed = listener.connection_event(1);
  CHECK_TRUE(closed.has_value());
  CHECK_FALSE(closed->connected);
  LONGS_EQUAL(static_cast<int>(StatusCode::kShutdown), static_cast<int>(closed->status.code()));
}

}  // namespace

TEST_GROUP(PahoRoundTrip){};

TEST(PahoRoundTrip, Mqtt311QosOne) { expect_round_trip(MqttVersion::kV311, Qos::kAtLeastOnce); }

TEST(PahoRoundTrip, Mqtt5QosOne) { expect_round_trip(MqttVersion::kV5, Qos::kAtLeastOnce); }

TEST(PahoRoundTrip, Mqtt311QosZero) { expect_round_trip(MqttVersion::kV311, Qos::kAtMostOnce); }

TEST(PahoRoundTrip, Mqtt5QosZero) { expect_round_trip(MqttVersion::kV5, Qos::kAtMostOnce); }

TEST(PahoRoundTrip, UnsubscribeStopsDelivery) {
  MosquittoProcess broker;
  CHECK_TRUE_TEXT(broker.running(), broker.error().c_str());
  RecordingListener listener;
  auto transport = PahoTransport::create(transport_options(broker.uri(), "unsubscriber")).value();
  transport->set_listener(&listener);
  CHECK_TRUE(connect_and_wait(*transport, listener).is_ok());
  CHECK_TRUE(transport->subscribe("a/#", Qos::kAtLeastOnce).is_ok());
  CHECK_TRUE(transport->publish("a/1", "first", Qos::kAtLeastOnce, 1).is_ok());
  CHECK_TRUE(listener.wait_for_messages(1));
  CHECK_TRUE(transport->unsubscribe("a/#").is_ok());
  CHECK_TRUE(transport->publish("a/2", "second", Qos::kAtLeastOnce, 2).is_ok());
  CHECK_TRUE(transport->subscribe("b", Qos::kAtLeastOnce).is_ok());
  CHECK_TRUE(transport->publish("b", "third", Qos::kAtLeastOnce, 3).is_ok());
  // "b" arrives after "a/2" would have (packets are ordered), so two messages means "a/2" was not delivered.
  CHECK_TRUE(listener.wait_for_messages(2));
  auto messages = listener.messages();
  LONGS_EQUAL(2, messages.size());
  STRCMP_EQUAL("third", messages[1].second.c_str());
}

TEST(PahoRoundTrip, OfflineCallsAreRefusedAndDoubleConnectIsBusy) {
  MosquittoProcess broker;
  CHECK_TRUE_TEXT(broker.running(), broker.error().c_str());
  RecordingListener listener;
  auto transport = PahoTransport::create(transport_options(broker.uri(), "offline")).value();
  transport->set_listener(&listener);
  CHECK_FALSE(transport->is_connected());
  LONGS_EQUAL(static_cast<int>(StatusCode::kNotConnected),
              static_cast<int>(transport->publish("t", "x", Qos::kAtLeastOnce, 1).code()));
  LONGS_EQUAL(static_cast<int>(StatusCode::kNotConnected),
              static_cast<int>(transport->subscribe("t", Qos::kAtLeastOnce).code()));
  transport->disconnect(std::chrono::milliseconds(100));  // safe when not connected, reports nothing
  LONGS_EQUAL(0, listener.connection_event_count());

  CHECK_TRUE(transport->connect().is_ok());
  auto second = transport->connect();
  LONGS_EQUAL(static_cast<int>(StatusCode::kBusy), static_cast<int>(second.code()));
  auto event = listener.connection_event(0);
  CHECK_TRUE(event.has_value() && event->connected);
  LONGS_EQUAL(static_cast<int>(StatusCode::kInvalidArgument),
              static_cast<int>(transport->publish("bad/+/topic", "x", Qos::kAtLeastOnce, 2).code()));
  LONGS_EQUAL(0, listener.publishes().size());  // nothing accepted, so nothing reported
}

TEST(PahoRoundTrip, ReconnectAfterDisconnect) {
  MosquittoProcess broker;
  CHECK_TRUE_TEXT(broker.running(), broker.error().c_str());
  RecordingListener listener;
  auto transport = PahoTransport::create(transport_options(broker.uri(), "again")).value();
  transport->set_listener(&listener);
  CHECK_TRUE(connect_and_wait(*transport, listener, 0).is_ok());
  transport->disconnect(std::chrono::seconds(1));
  CHECK_TRUE(connect_and_wait(*transport, listener, 2).is_ok());
  CHECK_TRUE(transport->publish("t", "x", Qos::kAtLeastOnce, 9).is_ok());
  CHECK_TRUE(listener.wait_for_publishes(1));
  CHECK_TRUE(listener.publishes()[0].status.is_ok());
}

TEST(PahoRoundTrip, RefusedConnectionIsIo) {
  MosquittoProcess broker;
  CHECK_TRUE_TEXT(broker.running(), broker.error().c_str());
  const std::string uri = broker.uri();
  broker.stop();  // nothing listens on the port now
  RecordingListener listener;
  auto transport = PahoTransport::create(transport_options(uri, "nobody-home")).value();
  transport->set_listener(&listener);
  LONGS_EQUAL(static_cast<int>(StatusCode::kIo), static_cast<int>(connect_and_wait(*transport, listener).code()));
  CHECK_FALSE(transport->is_connected());
}

TEST(PahoRoundTrip, CreateRejectsBadOptions) {
  const char* const bad_uris[] = {"",
                                  "http://127.0.0.1:1883",
                                  "tcp://",
                                  "tcp://host:0",
                                  "tcp://host:70000",
                                  "tcp://host:12x",
                                  "tcp://host:1883/path",
                                  "ssl//host"};
  for (const char* uri : bad_uris) {
    auto created = PahoTransport::create(transport_options(uri, "id"));
    CHECK_FALSE_TEXT(created.is_ok(), uri);
    LONGS_EQUAL_TEXT(static_cast<int>(StatusCode::kInvalidArgument), static_cast<int>(created.status().code()), uri);
  }
  auto tls_on_plain = transport_options("tcp://127.0.0.1:1883", "id");
  tls_on_plain.tls.ca_file = "/nonexistent/ca.crt";
  CHECK_FALSE(PahoTransport::create(tls_on_plain).is_ok());
  CHECK_FALSE(PahoTransport::create(transport_options("tcp://127.0.0.1:1883", "")).is_ok());
  CHECK_TRUE(PahoTransport::create(transport_options("mqtts://localhost", "id")).is_ok());
  CHECK_TRUE(PahoTransport::create(transport_options("wss://broker.example:8084/mqtt", "id")).is_ok());
}
