// QoS 1 flow control against mosquitto's Receive Maximum of 20: a burst of 10,000 publishes must finish quickly,
// without Paho's 1 s stalls (toolchain notes P4) and no "-12 no more messages can be buffered" (P5).
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "docklink/ports/paho_transport.hpp"
#include "mosquitto_process.hpp"
#include "paho_test_support.hpp"

#include <CppUTest/TestHarness.h>

using docklink::port::Qos;
using docklink::ports::MqttVersion;
using docklink::ports::PahoTransport;
using namespace docklink::test;

namespace {

constexpr unsigned kBurst = 10000;

void run_burst(MqttVersion version) {
  MosquittoProcess broker;
  CHECK_TRUE_TEXT(broker.running(), broker.error().c_str());
  RecordingListener listener;
  auto transport = PahoTransport::create(transport_options(broker.uri(), "burst", version)).value();
  transport->set_listener(&listener);
  CHECK_TRUE(transport->connect().is_ok());
  auto up = listener.connection_event(0);
  CHECK_TRUE(up.has_value() && up->connected);

  const std::string payload(300, 'x');  // about a DJI OSD message
  const auto started = std::chrono::steady_clock::now();
  for (unsigned i = 0; i < kBurst; ++i) {
    CHECK_TRUE(transport->publish("thing/product/SN/osd", payload, Qos::kAtLeastOnce, i).is_ok());
  }
  CHECK_TRUE(listener.wait_for_publishes(kBurst, std::chrono::seconds(20)));
  const auto total = listener.publishes().back().at - started;

  std::chrono::steady_clock::duration longest_gap{};
  int stalls = 0;  // gaps of about Paho's 1 s send-thread timeout
  auto previous = started;
  for (const auto& done : listener.publishes()) {
    CHECK_TRUE_TEXT(done.status.is_ok(), done.status.to_string().c_str());
    if (done.at - previous > longest_gap) longest_gap = done.at - previous;
    if (done.at - previous > std::chrono::milliseconds(500)) ++stalls;
    previous = done.at;
  }
  LONGS_EQUAL(kBurst, listener.publish_counts().size());
  const auto total_ms = std::chrono::duration_cast<std::chrono::milliseconds>(total).count();
  const auto gap_ms = std::chrono::duration_cast<std::chrono::milliseconds>(longest_gap).count();
  std::printf("\n  %u QoS 1 publishes (MQTT %s): %lld ms, longest gap between completions %lld ms, %d stalls\n", kBurst,
              version == MqttVersion::kV5 ? "5" : "3.1.1", static_cast<long long>(total_ms),
              static_cast<long long>(gap_ms), stalls);
  CHECK_TRUE(total < std::chrono::seconds(10));
  // A window wider than the broker's Receive Maximum stalls on every publish beyond it (hundreds here). One
  // stall is tolerated: under heavy load (seen once, aarch64 under qemu) Paho's send thread sleeps out its 1 s
  // timeout with a command queued, which no window prevents.
  CHECK_TRUE(stalls <= 1);
}

}  // namespace

TEST_GROUP(PahoBurst){};

TEST(PahoBurst, TenThousandQosOnePublishesMqtt311) { run_burst(MqttVersion::kV311); }

TEST(PahoBurst, TenThousandQosOnePublishesMqtt5) { run_burst(MqttVersion::kV5); }
