// A dock client wired to a loopback broker and a FakeCloud: the common setup of the client unit tests.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "docklink/client.hpp"
#include "docklink/ports/loopback.hpp"
#include "fake_cloud.hpp"
#include "test_clock.hpp"
#include "test_ports.hpp"

namespace docklink::test {

inline constexpr const char* kDockSn = "DOCK0001";
inline constexpr const char* kAircraftSn = "UAV0001";

/// Options for a Dock 2 with one M3TD and short timeouts, so retry tests take milliseconds.
inline ClientOptions dock_options(const std::string& sn = kDockSn) {
  ClientOptions options;
  options.gateway.sn = sn;
  options.gateway.domain = "3";
  options.gateway.type = 2;
  options.gateway.thing_version = "1.2.0";
  options.gateway.device_secret = "top-secret-value";
  DeviceInfo aircraft;
  aircraft.sn = sn == kDockSn ? kAircraftSn : "UAV-" + sn;
  aircraft.domain = "0";
  aircraft.type = 91;
  aircraft.sub_type = 1;
  options.sub_devices.push_back(aircraft);
  options.reply_timeout_ms = 60;
  options.max_retries = 2;
  options.request_timeout_ms = 500;
  options.backoff.initial_ms = 10;
  options.backoff.max_ms = 50;
  options.backoff.auth_initial_ms = 10;
  options.backoff.auth_max_ms = 50;
  return options;
}

/// Re-checks `condition` until it holds or 5 s pass. For state with no event to wait on (counters updated just
/// after a synchronous loopback delivery); every check is cheap and the wait per round is short.
template <typename Condition>
bool eventually(Condition condition) {
  for (int round = 0; round < 1000; ++round) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

/// Everything a client test needs.
struct ClientRig {
  AdjustableClock clock;  // real time unless a test moves it forward
  SeededRandom random;
  RecordingLog log;
  ports::LoopbackBroker broker;
  FakeCloud cloud{broker};
  Runtime runtime{clock};
  std::unique_ptr<ports::LoopbackTransport> transport;
  std::unique_ptr<Client> client;

  explicit ClientRig(ClientOptions options = dock_options(), port::Store* store = nullptr) {
    transport = std::make_unique<ports::LoopbackTransport>(broker, options.gateway.sn);
    port::Platform platform{&clock, &random, &log, store};
    auto created = Client::create(std::move(options), platform, *transport, runtime);
    client = std::move(created).value();
  }
  ~ClientRig() { client.reset(); }

  /// Starts the client and waits until the cloud saw its update_topo.
  bool start_and_wait_topology() {
    if (!client->start()) return false;
    return !cloud.wait_for("/status").topic.empty();
  }
};

}  // namespace docklink::test
