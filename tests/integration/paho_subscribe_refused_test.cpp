// A subscription the broker refuses reaches the listener as on_subscribe_failed(kRejected), over MQTT 3.1.1
// (SUBACK 0x80) and MQTT 5 (reason code 0x87), and the connection stays up. mosquitto never refuses (its ACLs
// grant and then withhold messages), so a minimal refusing server plays the broker.
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "docklink/ports/paho_transport.hpp"
#include "paho_test_support.hpp"
#include "refusing_broker.hpp"

#include <CppUTest/TestHarness.h>

using docklink::port::Qos;
using docklink::ports::MqttVersion;
using docklink::ports::PahoTransport;
using namespace docklink::test;

namespace {

// A transport connected to `broker` as `client_id`, reporting to `listener`.
std::unique_ptr<PahoTransport> connected_transport(RefusingBroker& broker, RecordingListener& listener,
                                                   const char* client_id, MqttVersion version) {
  CHECK_FALSE(broker.uri().empty());
  auto transport = connect_transport(transport_options(broker.uri(), client_id, version), listener);
  CHECK_TRUE(transport != nullptr);
  return transport;
}

void check_refusal(MqttVersion version) {
  RefusingBroker broker;
  RecordingListener listener;
  auto transport = connected_transport(broker, listener, "refused-dock", version);

  CHECK_TRUE(transport->subscribe("thing/product/SN/services", Qos::kAtLeastOnce).is_ok());  // the request went out
  auto failure = listener.first_subscribe_failure();
  CHECK_TRUE(failure.has_value());
  STRCMP_EQUAL("thing/product/SN/services", failure->first.c_str());
  STRCMP_EQUAL("rejected", docklink::to_string(failure->second.code()));
  LONGS_EQUAL(1, broker.refused());
  CHECK_TRUE(transport->is_connected());
  LONGS_EQUAL(1, listener.connection_event_count());  // no disconnect: what to do about it is the core's call
  transport->disconnect(std::chrono::milliseconds(500));
}

// One SUBSCRIBE for three filters, the broker refusing the middle one: only that one is reported.
void check_refusal_among_many(MqttVersion version) {
  RefusingBroker broker;
  RecordingListener listener;
  auto transport = connected_transport(broker, listener, "refused-many", version);

  CHECK_TRUE(transport->subscribe_many({"a/granted/1", "thing/product/SN/services", "b/granted/2"}, Qos::kAtLeastOnce)
                 .is_ok());
  // A second request, answered after the first: once its refusal is in, the first SUBACK is fully reported.
  CHECK_TRUE(transport->subscribe_many({"c/second"}, Qos::kAtLeastOnce).is_ok());
  auto failures = listener.subscribe_failures(2);
  LONGS_EQUAL(2, failures.size());
  STRCMP_EQUAL("thing/product/SN/services", failures[0].first.c_str());
  STRCMP_EQUAL("rejected", docklink::to_string(failures[0].second.code()));
  STRCMP_EQUAL("c/second", failures[1].first.c_str());
  LONGS_EQUAL(2, broker.refused());
  LONGS_EQUAL(2, broker.subscribes());  // one packet per subscribe_many()
  CHECK_TRUE(transport->is_connected());
  transport->disconnect(std::chrono::milliseconds(500));
}

}  // namespace

TEST_GROUP(PahoSubscribeRefused){};

TEST(PahoSubscribeRefused, OneRefusalAmongManyFiltersIsReportedForThatFilterOverMqtt311) {
  check_refusal_among_many(MqttVersion::kV311);
}

TEST(PahoSubscribeRefused, OneRefusalAmongManyFiltersIsReportedForThatFilterOverMqtt5) {
  check_refusal_among_many(MqttVersion::kV5);
}

TEST(PahoSubscribeRefused, RefusalIsReportedOverMqtt311) { check_refusal(MqttVersion::kV311); }

TEST(PahoSubscribeRefused, RefusalIsReportedOverMqtt5) { check_refusal(MqttVersion::kV5); }
