// Transport conformance, delivery: round trips at QoS 0 and 1, binary payloads, wildcard filters between clients,
// subscribe_many, unsubscribe, and topic names the transport must refuse.
#include <string>
#include <vector>

#include "conformance_client.hpp"
#include "transport_conformance.hpp"

namespace docklink::conformance {

using port::Qos;

void round_trip_at_qos_zero(TransportFactory& factory) {
  ConformanceClient client(factory, "conformance-qos0");
  client.connect();
  CHECK_TRUE(client.transport().subscribe("conformance/qos0", Qos::kAtMostOnce).is_ok());
  CHECK_TRUE(client.transport().publish("conformance/qos0", "{\"tid\":\"0\"}", Qos::kAtMostOnce, 1).is_ok());
  // A QoS 1 publish after it: once its outcome is in, a (wrong) outcome for the QoS 0 one would have been too.
  CHECK_TRUE(client.transport().publish("conformance/qos0", "marker", Qos::kAtLeastOnce, 2).is_ok());
  CHECK_TRUE(client.listener().wait_for_messages(2));
  CHECK_TRUE(client.listener().wait_for_outcomes(1));
  client.transport().disconnect(kDisconnectTimeout);

  const auto payloads = client.payloads_on("conformance/qos0");
  LONGS_EQUAL(2, payloads.size());
  STRCMP_EQUAL("{\"tid\":\"0\"}", payloads[0].c_str());
  const auto outcomes = client.listener().outcomes();
  LONGS_EQUAL(1, outcomes.size());
  LONGS_EQUAL(2, outcomes[0].id);
}

void round_trip_at_qos_one(TransportFactory& factory) {
  ConformanceClient client(factory, "conformance-qos1");
  client.connect();
  CHECK_TRUE(client.transport().subscribe("conformance/qos1", Qos::kAtLeastOnce).is_ok());
  constexpr port::PublishId kFirst = 100;
  constexpr port::PublishId kCount = 10;
  for (port::PublishId id = kFirst; id < kFirst + kCount; ++id) {
    CHECK_TRUE(client.transport().publish("conformance/qos1", std::to_string(id), Qos::kAtLeastOnce, id).is_ok());
  }
  CHECK_TRUE(client.listener().wait_for_messages(kCount));
  CHECK_TRUE(client.listener().wait_for_outcomes(kCount));
  client.transport().disconnect(kDisconnectTimeout);  // after it, no late duplicate can arrive

  const auto payloads = client.payloads_on("conformance/qos1");
  LONGS_EQUAL(kCount, payloads.size());
  for (std::size_t i = 0; i < kCount; ++i) STRCMP_EQUAL(std::to_string(kFirst + i).c_str(), payloads[i].c_str());
  const auto counts = client.listener().outcome_counts();
  LONGS_EQUAL(kCount, counts.size());
  for (const auto& [id, count] : counts) {
    CHECK_TRUE(id >= kFirst && id < kFirst + kCount);
    LONGS_EQUAL_TEXT(1, count, std::to_string(id).c_str());
  }
  for (const PublishOutcome& outcome : client.listener().outcomes()) CHECK_TRUE(outcome.status.is_ok());
}

namespace {

std::vector<std::string> binary_payloads() {
  std::string every_byte;
  for (int value = 0; value < 256; ++value) every_byte += static_cast<char>(value);
  std::string large(64 * 1024, '\0');
  for (std::size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>((i * 131) & 0xFF);
  return {std::string("a\0b", 3), every_byte, std::string(), large};
}

}  // namespace

void binary_payloads_arrive_intact(TransportFactory& factory) {
  ConformanceClient client(factory, "conformance-binary");
  client.connect();
  CHECK_TRUE(client.transport().subscribe("conformance/binary", Qos::kAtLeastOnce).is_ok());
  const auto sent = binary_payloads();
  for (std::size_t i = 0; i < sent.size(); ++i) {
    CHECK_TRUE(client.transport().publish("conformance/binary", sent[i], Qos::kAtLeastOnce, i + 1).is_ok());
  }
  CHECK_TRUE(client.listener().wait_for_messages(sent.size()));
  CHECK_TRUE(client.listener().wait_for_outcomes(sent.size()));
  const auto received = client.payloads_on("conformance/binary");
  LONGS_EQUAL(sent.size(), received.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    LONGS_EQUAL_TEXT(sent[i].size(), received[i].size(), std::to_string(i).c_str());
    CHECK_TRUE_TEXT(sent[i] == received[i], std::to_string(i).c_str());
  }
}

void messages_reach_another_client(TransportFactory& factory) {
  ConformanceClient dock(factory, "conformance-dock");
  ConformanceClient cloud(factory, "conformance-cloud");
  dock.connect();
  cloud.connect();
  cloud.subscribe_confirmed("conformance/+/state", "conformance/probe/state");
  cloud.subscribe_confirmed("conformance/deep/#", "conformance/deep");
  const char* const topics[] = {"conformance/dock1/state", "conformance/deep/x/y", "conformance/other",
                                "conformance/dock2/state"};
  port::PublishId id = 0;
  for (const char* topic : topics) CHECK_TRUE(dock.transport().publish(topic, topic, Qos::kAtLeastOnce, ++id).is_ok());

  CHECK_TRUE(cloud.listener().wait_for_messages(2 + 3));  // two probes, three matching publishes
  CHECK_TRUE(dock.listener().wait_for_outcomes(static_cast<std::size_t>(id)));
  cloud.transport().disconnect(kDisconnectTimeout);
  const auto messages = cloud.listener().messages();
  LONGS_EQUAL(5, messages.size());
  STRCMP_EQUAL("conformance/dock1/state", messages[2].topic.c_str());
  STRCMP_EQUAL("conformance/deep/x/y", messages[3].topic.c_str());
  STRCMP_EQUAL("conformance/dock2/state", messages[4].topic.c_str());
  STRCMP_EQUAL("conformance/dock2/state", messages[4].payload.c_str());
}

void subscribe_many_delivers_on_every_filter(TransportFactory& factory) {
  ConformanceClient client(factory, "conformance-many");
  client.connect();
  const std::vector<std::string> filters = {"conformance/many/a", "conformance/many/b/+"};
  CHECK_TRUE(client.transport().subscribe_many(filters, Qos::kAtLeastOnce).is_ok());
  port::PublishId id = 0;
  for (const char* topic : {"conformance/many/a", "conformance/many/c", "conformance/many/b/1"}) {
    CHECK_TRUE(client.transport().publish(topic, "x", Qos::kAtLeastOnce, ++id).is_ok());
  }
  CHECK_TRUE(client.transport().publish("conformance/many/a", "end", Qos::kAtLeastOnce, ++id).is_ok());
  CHECK_TRUE(client.listener().wait_for_messages(3));
  CHECK_TRUE(client.listener().wait_for_outcomes(static_cast<std::size_t>(id)));
  // Packets are ordered: had ".../c" been delivered, it would have come before "end".
  const auto messages = client.listener().messages();
  LONGS_EQUAL(3, messages.size());
  STRCMP_EQUAL("conformance/many/a", messages[0].topic.c_str());
  STRCMP_EQUAL("conformance/many/b/1", messages[1].topic.c_str());
  STRCMP_EQUAL("end", messages[2].payload.c_str());
}

void unsubscribe_stops_delivery(TransportFactory& factory) {
  ConformanceClient client(factory, "conformance-unsubscribe");
  client.connect();
  CHECK_TRUE(client.transport().subscribe("conformance/unsub/#", Qos::kAtLeastOnce).is_ok());
  CHECK_TRUE(client.transport().publish("conformance/unsub/1", "first", Qos::kAtLeastOnce, 1).is_ok());
  CHECK_TRUE(client.listener().wait_for_messages(1));
  CHECK_TRUE(client.transport().unsubscribe("conformance/unsub/#").is_ok());
  CHECK_TRUE(client.transport().publish("conformance/unsub/2", "second", Qos::kAtLeastOnce, 2).is_ok());
  CHECK_TRUE(client.transport().subscribe("conformance/marker", Qos::kAtLeastOnce).is_ok());
  CHECK_TRUE(client.transport().publish("conformance/marker", "third", Qos::kAtLeastOnce, 3).is_ok());
  CHECK_TRUE(client.listener().wait_for_messages(2));
  CHECK_TRUE(client.listener().wait_for_outcomes(3));
  // The marker comes after where "second" would have (packets are ordered): two messages mean it was not sent.
  const auto messages = client.listener().messages();
  LONGS_EQUAL(2, messages.size());
  STRCMP_EQUAL("third", messages[1].payload.c_str());
}

void publish_to_a_wildcard_topic_is_refused(TransportFactory& factory) {
  ConformanceClient client(factory, "conformance-wildcard");
  client.connect();
  check_code(StatusCode::kInvalidArgument, client.transport().publish("conformance/+/x", "x", Qos::kAtLeastOnce, 1));
  check_code(StatusCode::kInvalidArgument, client.transport().publish("conformance/#", "x", Qos::kAtMostOnce, 2));
  CHECK_TRUE(client.transport().publish("conformance/valid", "x", Qos::kAtLeastOnce, 3).is_ok());
  CHECK_TRUE(client.listener().wait_for_outcomes(1));
  client.transport().disconnect(kDisconnectTimeout);
  const auto outcomes = client.listener().outcomes();
  LONGS_EQUAL(1, outcomes.size());  // the refused publishes are never reported
  LONGS_EQUAL(3, outcomes[0].id);
  CHECK_FALSE(client.transport().is_connected());
}

}  // namespace docklink::conformance
