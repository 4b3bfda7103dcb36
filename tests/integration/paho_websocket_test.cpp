// PahoTransport over MQTT on WebSockets: ws:// and wss:// (server certificate verified) against mosquitto's
// websockets listener. mosquitto 2.0.11 opens a websockets listener only next to an ordinary one, which the
// test broker always has.
#include <chrono>
#include <string>

#include "docklink/ports/paho_transport.hpp"
#include "mosquitto_process.hpp"
#include "paho_test_support.hpp"

#include <CppUTest/TestHarness.h>

using docklink::port::Qos;
using docklink::ports::MqttVersion;
using docklink::ports::PahoTransport;
using docklink::ports::PahoTransportOptions;
using namespace docklink::test;

namespace {

/// Connects with `options`, subscribes, publishes one QoS 1 message to itself and checks both ends of it.
void check_round_trip(const PahoTransportOptions& options) {
  RecordingListener listener;
  std::string why;
  auto transport = connect_transport(options, listener, &why);
  CHECK_TRUE_TEXT(transport != nullptr, why.c_str());
  CHECK_TRUE(transport->subscribe("thing/product/WS-DOCK/services", Qos::kAtLeastOnce).is_ok());
  CHECK_TRUE(transport->publish("thing/product/WS-DOCK/services", R"({"method":"ping"})", Qos::kAtLeastOnce, 7));
  CHECK_TRUE(listener.wait_for_publishes(1));
  CHECK_TRUE(listener.publishes().front().status.is_ok());
  CHECK_TRUE(listener.wait_for_messages(1));
  STRCMP_EQUAL(R"({"method":"ping"})", listener.messages().front().second.c_str());
  transport->disconnect(std::chrono::milliseconds(500));
}

std::string websocket_listener(std::uint16_t port) {
  return "listener " + std::to_string(port) + "\nprotocol websockets\n";
}

}  // namespace

TEST_GROUP(PahoWebSocket){};

TEST(PahoWebSocket, WsRoundTripOverMqtt311And5) {
  const std::uint16_t ws_port = free_loopback_port();
  MosquittoProcess broker(websocket_listener(ws_port));
  CHECK_TRUE_TEXT(broker.running(), broker.error().c_str());
  CHECK_TRUE(broker.wait_for_listener(ws_port));
  const std::string uri = "ws://127.0.0.1:" + std::to_string(ws_port);
  check_round_trip(transport_options(uri, "ws-dock", MqttVersion::kV311));
  check_round_trip(transport_options(uri + "/mqtt", "ws-dock-5", MqttVersion::kV5));
}

TEST(PahoWebSocket, WssVerifiesTheServerAndRoundTrips) {
  TempDirectory directory;
  TestCertificates certificates = make_test_certificates(directory.path());
  CHECK_TRUE_TEXT(certificates.error.empty(), certificates.error.c_str());
  const std::uint16_t wss_port = free_loopback_port();
  MosquittoProcess broker(websocket_listener(wss_port) +
                          tls_listener_config(certificates, certificates.server_certificate, certificates.server_key));
  CHECK_TRUE_TEXT(broker.running(), broker.error().c_str());
  CHECK_TRUE(broker.wait_for_listener(wss_port));
  auto options = transport_options("wss://localhost:" + std::to_string(wss_port), "wss-dock", MqttVersion::kV311);
  options.tls.ca_file = certificates.ca_file;
  check_round_trip(options);

  // The same listener with another CA: the server is not trusted, so the connect fails.
  RecordingListener refused;
  options.tls.ca_file = certificates.other_ca_file;
  auto transport = PahoTransport::create(options).value();
  transport->set_listener(&refused);
  CHECK_TRUE(transport->connect().is_ok());
  auto outcome = refused.connection_event(0);
  CHECK_TRUE(outcome.has_value());
  CHECK_FALSE(outcome->connected);
  STRCMP_EQUAL("auth", docklink::to_string(outcome->status.code()));
}
