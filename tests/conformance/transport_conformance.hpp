// The transport conformance suite: the behaviour of port::Transport (docklink/port/transport.hpp) that the core
// relies on, written once and run against every transport port. A port proves itself with one test file:
//
//   class MyFactory : public docklink::conformance::TransportFactory { ... };
//   TEST_GROUP(MyTransportConformance) { MyFactory factory; };
//   DOCKLINK_TRANSPORT_CONFORMANCE_TESTS(MyTransportConformance, factory)
//
// (see loopback_transport_conformance_test.cpp and paho_transport_conformance_test.cpp).
#pragma once

#include <memory>
#include <string>

#include "docklink/port/transport.hpp"

#include <CppUTest/TestHarness.h>

namespace docklink::conformance {

/// What a transport port gives the suite: new transports that all reach the same broker, so that the transports
/// of one test can talk to each other. A fresh factory (and broker state) per test.
class TransportFactory {
 public:
  virtual ~TransportFactory() = default;
  /// A new, disconnected transport that connects as `client_id` (unique within a test); nullptr fails the test.
  virtual std::unique_ptr<port::Transport> make(const std::string& client_id) = 0;
};

/// connect() returns ok and then reports on_connection_changed(true, ok); is_connected() turns true.
void connect_reports_connected(TransportFactory& factory);
/// A second connect() while connected returns kBusy and the connection stays up.
void connect_while_connected_is_busy(TransportFactory& factory);
/// Before connect(): publish() is kNotConnected, subscribe() fails, disconnect() is safe; no listener call.
void offline_calls_are_refused_quietly(TransportFactory& factory);
/// After disconnect(): publish() is kNotConnected and is_connected() is false.
void publish_after_disconnect_is_not_connected(TransportFactory& factory);
/// A QoS 0 publish to a subscribed topic comes back intact; on_publish_done is never called for it.
void round_trip_at_qos_zero(TransportFactory& factory);
/// QoS 1 publishes come back in order; on_publish_done(id, ok) arrives exactly once per publish.
void round_trip_at_qos_one(TransportFactory& factory);
/// Payloads are bytes: NULs, every byte value, an empty payload and 64 KiB arrive unchanged.
void binary_payloads_arrive_intact(TransportFactory& factory);
/// One client's publish reaches another client through `+` and `#` filters, topic name unchanged.
void messages_reach_another_client(TransportFactory& factory);
/// subscribe_many() subscribes every filter given, and only those.
void subscribe_many_delivers_on_every_filter(TransportFactory& factory);
/// After unsubscribe() returns, publishes on that filter are no longer delivered.
void unsubscribe_stops_delivery(TransportFactory& factory);
/// disconnect() reports (false, kShutdown) and settles every accepted QoS 1 publish exactly once (ok or
/// kNotConnected) before it returns.
void disconnect_settles_every_publish(TransportFactory& factory);
/// After disconnect() returns, the listener hears nothing, also when others publish on its subscriptions.
void no_listener_call_after_disconnect(TransportFactory& factory);
/// A transport connects again after disconnect() and works as before.
void reconnect_after_disconnect_works(TransportFactory& factory);
/// Publishing to a topic name with a wildcard is refused with kInvalidArgument and reports nothing.
void publish_to_a_wildcard_topic_is_refused(TransportFactory& factory);

}  // namespace docklink::conformance

/// Defines one CppUTest TEST per conformance check in `group`, each running on the group member `factory`.
#define DOCKLINK_TRANSPORT_CONFORMANCE_TESTS(group, factory)                                                        \
  TEST(group, ConnectReportsConnected) { docklink::conformance::connect_reports_connected(factory); }               \
  TEST(group, ConnectWhileConnectedIsBusy) { docklink::conformance::connect_while_connected_is_busy(factory); }     \
  TEST(group, OfflineCallsAreRefusedQuietly) { docklink::conformance::offline_calls_are_refused_quietly(factory); } \
  TEST(group, PublishAfterDisconnectIsNotConnected) {                                                               \
    docklink::conformance::publish_after_disconnect_is_not_connected(factory);                                      \
  }                                                                                                                 \
  TEST(group, RoundTripAtQosZero) { docklink::conformance::round_trip_at_qos_zero(factory); }                       \
  TEST(group, RoundTripAtQosOne) { docklink::conformance::round_trip_at_qos_one(factory); }                         \
  TEST(group, BinaryPayloadsArriveIntact) { docklink::conformance::binary_payloads_arrive_intact(factory); }        \
  TEST(group, MessagesReachAnotherClient) { docklink::conformance::messages_reach_another_client(factory); }        \
  TEST(group, SubscribeManyDeliversOnEveryFilter) {                                                                 \
    docklink::conformance::subscribe_many_delivers_on_every_filter(factory);                                        \
  }                                                                                                                 \
  TEST(group, UnsubscribeStopsDelivery) { docklink::conformance::unsubscribe_stops_delivery(factory); }             \
  TEST(group, DisconnectSettlesEveryPublish) { docklink::conformance::disconnect_settles_every_publish(factory); }  \
  TEST(group, NoListenerCallAfterDisconnect) { docklink::conformance::no_listener_call_after_disconnect(factory); } \
  TEST(group, ReconnectAfterDisconnectWorks) { docklink::conformance::reconnect_after_disconnect_works(factory); }  \
  TEST(group, PublishToAWildcardTopicIsRefused) {                                                                   \
    docklink::conformance::publish_to_a_wildcard_topic_is_refused(factory);                                         \
  }
