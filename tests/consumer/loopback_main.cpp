// Consumer of the loopback port, built against DockLink::loopback (CMake) or docklink-loopback (pkg-config): the
// in-memory broker is a library of its own, which firmware teams link only into their tests. Exits 0 only when
// a publish through a LoopbackTransport reaches a cloud-side subscription.
#include <chrono>
#include <cstdio>
#include <string>

#include "docklink/port/transport.hpp"
#include "docklink/ports/loopback.hpp"
#include "docklink/status.hpp"

int main() {
  docklink::ports::LoopbackBroker broker;
  std::string received;
  const auto subscription =
      broker.subscribe("thing/product/+/osd",
                       [&](const std::string& topic, const std::string& payload) { received = topic + " " + payload; });
  docklink::ports::LoopbackTransport transport(broker, "DOCK_SN");
  const docklink::Status connected = transport.connect();
  if (subscription == 0 || !connected) {
    std::fprintf(stderr, "loopback setup failed: %s\n", connected.to_string().c_str());
    return 1;
  }
  const docklink::Status published =
      transport.publish("thing/product/DOCK_SN/osd", "{}", docklink::port::Qos::kAtMostOnce, 1);
  transport.disconnect(std::chrono::milliseconds(0));
  broker.unsubscribe(subscription);
  std::printf("loopback: %s\n", received.c_str());
  if (!published || received != "thing/product/DOCK_SN/osd {}") {
    std::fprintf(stderr, "loopback publish not delivered: %s\n", published.to_string().c_str());
    return 1;
  }
  return 0;
}
