// A dock client wired to a loopback broker and a FakeCloud: the common setup of the client unit tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>

#include "docklink/client.hpp"
#include "docklink/ports/loopback.hpp"
#include "fake_cloud.hpp"
#include "runtime_access.hpp"
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

/// Everything a client test needs, on a clock of type ClockType (AdjustableClock: real time; ManualClock: the test
/// moves time with advance()).
template <class ClockType>
struct BasicClientRig {
  ClockType clock;
  SeededRandom random;
  RecordingLog log;
  ports::LoopbackBroker broker;
  FakeCloud cloud{broker};
  Runtime runtime{clock};
  std::unique_ptr<ports::LoopbackTransport> transport;
  std::unique_ptr<Client> client;

  explicit BasicClientRig(ClientOptions options = dock_options(), port::Store* store = nullptr) {
    if constexpr (std::is_same_v<ClockType, ManualClock>) {
      clock.on_advance([this] { detail::RuntimeAccess::executor(runtime).wake_timers(); });
    }
    transport = std::make_unique<ports::LoopbackTransport>(broker, options.gateway.sn);
    port::Platform platform{&clock, &random, &log, store};
    auto created = Client::create(std::move(options), platform, *transport, runtime);
    client = std::move(created).value();
  }
  ~BasicClientRig() { client.reset(); }

  /// Starts the client and waits until the cloud saw its update_topo.
  bool start_and_wait_topology() {
    if (!client->start()) return false;
    return !cloud.wait_for("/status").topic.empty();
  }

  /// Manual clock only: moves time forward by `ms` and waits until the timer thread has posted every timer due by then
  /// to its strand (a marker timer due now comes after them); their tasks may still be running.
  bool advance(std::int64_t ms) {
    clock.advance(ms);
    detail::Executor& executor = detail::RuntimeAccess::executor(runtime);
    auto strand = executor.make_strand();
    auto marker = std::make_shared<std::promise<void>>();
    std::future<void> reached = marker->get_future();
    executor.schedule(clock.monotonic_ms(), strand, [marker] { marker->set_value(); });
    return reached.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
  }
};

/// A client on real time (which a test may move forward).
using ClientRig = BasicClientRig<AdjustableClock>;
/// A client whose timers fire only when the test advances the clock.
using ManualClientRig = BasicClientRig<ManualClock>;

}  // namespace docklink::test
