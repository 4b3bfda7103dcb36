// Transport conformance, the connection's life: connect, refusals while offline or already connected,
// disconnect and what may (not) happen after it, reconnecting.
#include <chrono>
#include <string>

#include "conformance_client.hpp"
#include "transport_conformance.hpp"

namespace docklink::conformance {

using port::Qos;

void connect_reports_connected(TransportFactory& factory) {
  ConformanceClient client(factory, "conformance-connect");
  CHECK_FALSE(client.transport().is_connected());
  client.connect();
  CHECK_TRUE(client.transport().is_connected());
  LONGS_EQUAL(1, client.listener().connection_changes().size());
}

void connect_while_connected_is_busy(TransportFactory& factory) {
  ConformanceClient client(factory, "conformance-busy");
  client.connect();
  check_code(StatusCode::kBusy, client.transport().connect());
  CHECK_TRUE(client.transport().is_connected());
  // The connection still works, and the refused connect() reported nothing.
  CHECK_TRUE(client.transport().publish("conformance/busy", "x", Qos::kAtLeastOnce, 1).is_ok());
  CHECK_TRUE(client.listener().wait_for_outcomes(1));
  CHECK_TRUE(client.listener().outcomes()[0].status.is_ok());
  LONGS_EQUAL(1, client.listener().connection_changes().size());
}

void offline_calls_are_refused_quietly(TransportFactory& factory) {
  ConformanceClient client(factory, "conformance-offline");
  port::Transport& transport = client.transport();
  check_code(StatusCode::kNotConnected, transport.publish("conformance/offline", "x", Qos::kAtMostOnce, 1));
  check_code(StatusCode::kNotConnected, transport.publish("conformance/offline", "x", Qos::kAtLeastOnce, 2));
  check_code(StatusCode::kNotConnected, transport.subscribe("conformance/offline", Qos::kAtLeastOnce));
  check_code(StatusCode::kNotConnected, transport.unsubscribe("conformance/offline"));
  transport.disconnect(kDisconnectTimeout);  // safe when not connected
  CHECK_FALSE(transport.is_connected());
  LONGS_EQUAL(0, client.listener().call_count());  // refused publishes are never reported
}

void publish_after_disconnect_is_not_connected(TransportFactory& factory) {
  ConformanceClient client(factory, "conformance-after");
  client.connect();
  client.transport().disconnect(kDisconnectTimeout);
  CHECK_FALSE(client.transport().is_connected());
  check_code(StatusCode::kNotConnected, client.transport().publish("conformance/after", "x", Qos::kAtLeastOnce, 1));
  LONGS_EQUAL(0, client.listener().outcomes().size());
}

void disconnect_settles_every_publish(TransportFactory& factory) {
  ConformanceClient client(factory, "conformance-settle");
  client.connect();
  constexpr port::PublishId kPublishes = 20;
  for (port::PublishId id = 1; id <= kPublishes; ++id) {
    CHECK_TRUE(client.transport().publish("conformance/settle", std::to_string(id), Qos::kAtLeastOnce, id).is_ok());
  }
  // At once, while acknowledgements are on the way. A short timeout: Paho waits all of it whenever publishes
  // were in flight at the call, and an outcome of kNotConnected passes as well as ok.
  client.transport().disconnect(std::chrono::milliseconds(100));

  // Everything is settled when disconnect() returns: nothing is awaited here.
  const auto changes = client.listener().connection_changes();
  LONGS_EQUAL(2, changes.size());
  CHECK_FALSE(changes[1].connected);
  check_code(StatusCode::kShutdown, changes[1].status);
  const auto counts = client.listener().outcome_counts();
  LONGS_EQUAL(kPublishes, counts.size());
  for (const auto& [id, count] : counts) LONGS_EQUAL_TEXT(1, count, std::to_string(id).c_str());
  for (const PublishOutcome& outcome : client.listener().outcomes()) {
    CHECK_TRUE_TEXT(outcome.status.is_ok() || outcome.status.code() == StatusCode::kNotConnected,
                    outcome.status.to_string().c_str());
  }
}

void no_listener_call_after_disconnect(TransportFactory& factory) {
  ConformanceClient sender(factory, "conformance-sender");
  ConformanceClient quiet(factory, "conformance-quiet");
  sender.connect();
  quiet.connect();
  quiet.subscribe_confirmed("conformance/quiet/#", "conformance/quiet/probe");
  // A stream is on its way to `quiet` while it disconnects.
  for (int i = 0; i < 50; ++i) {
    CHECK_TRUE(sender.transport().publish("conformance/quiet/x", std::to_string(i), Qos::kAtMostOnce, 0).is_ok());
  }
  CHECK_TRUE(quiet.listener().wait_for_messages(2));
  quiet.transport().disconnect(kDisconnectTimeout);
  const std::size_t calls = quiet.listener().call_count();

  // More traffic on the same filter, seen through to the end by a subscriber that is still connected.
  sender.subscribe_confirmed("conformance/quiet/#", "conformance/quiet/probe");
  for (port::PublishId id = 1; id <= 5; ++id) {
    CHECK_TRUE(sender.transport().publish("conformance/quiet/x", "late", Qos::kAtLeastOnce, id).is_ok());
  }
  CHECK_TRUE(sender.listener().wait_for_outcomes(5));
  CHECK_TRUE(sender.listener().wait_for_messages(1 + 5));  // its probe and the five
  LONGS_EQUAL(calls, quiet.listener().call_count());
  CHECK_FALSE(quiet.listener().connection_changes().back().connected);
}

void reconnect_after_disconnect_works(TransportFactory& factory) {
  ConformanceClient client(factory, "conformance-again");
  client.connect();
  client.transport().disconnect(kDisconnectTimeout);
  client.connect();
  LONGS_EQUAL(3, client.listener().connection_changes().size());  // up, down, up
  client.subscribe_confirmed("conformance/again", "conformance/again");
  CHECK_TRUE(client.transport().publish("conformance/again", "back", Qos::kAtLeastOnce, 7).is_ok());
  CHECK_TRUE(client.listener().wait_for_outcomes(1));
  CHECK_TRUE(client.listener().outcomes()[0].status.is_ok());
  LONGS_EQUAL(7, client.listener().outcomes()[0].id);
  CHECK_TRUE(client.listener().wait_for_messages(2));
  STRCMP_EQUAL("back", client.payloads_on("conformance/again").back().c_str());
}

}  // namespace docklink::conformance
