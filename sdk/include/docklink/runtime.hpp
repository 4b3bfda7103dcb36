// Runtime: the threads DockLink runs on, shared by every client of a process (a fleet of thousands of docks
// shares one Runtime instead of owning thousands of threads).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "docklink/config_defaults.hpp"
#include "docklink/export.hpp"
#include "docklink/port/clock.hpp"

namespace docklink {

namespace detail {
class ConnectGate;
class Executor;
struct RuntimeAccess;
}  // namespace detail

/// Sizes of a Runtime.
struct RuntimeOptions {
  /// Threads that run decoding, routing and user handlers. Each client's handlers run in order on one of them at
  /// a time, so with N threads N slow handlers of different docks can run at once.
  unsigned dispatcher_threads = defaults::kDispatcherThreads;
  /// Inbound messages waiting for a dispatcher thread, all clients of the process together (each client also has
  /// its own share, ClientOptions::inbound_queue). Messages beyond it are dropped and counted (the transport
  /// thread never blocks).
  std::size_t queue_capacity = defaults::kInboundQueueCapacity;
  /// Inbound bytes (topic + payload) waiting for a dispatcher thread, all clients of the process together.
  std::size_t queue_max_bytes = defaults::kInboundQueueMaxBytes;
  /// Upper bound of the clients of this Runtime that may be connecting at the same time; the others wait in order
  /// of asking. A turn ends with the transport's answer (connected or failed). 0: no limit (and no adapting).
  std::size_t max_concurrent_connects = defaults::kMaxConcurrentConnects;
  /// Where the limit starts. It then adapts to the answers, like TCP's congestion window: each connect answered
  /// within `connect_latency_target` raises it by one, a failed or slower one halves it (not below
  /// defaults::kMinConcurrentConnects). Equal to `max_concurrent_connects`, and that no higher than the minimum,
  /// for a fixed limit.
  std::size_t initial_concurrent_connects = defaults::kInitialConcurrentConnects;
  /// The connect latency (turn to CONNACK) the limit adapts to.
  std::chrono::milliseconds connect_latency_target{defaults::kConnectLatencyTargetMs};
};

/// The dispatcher threads and the timer thread. Create one per process (or per Platform) and pass it to every
/// Client; it must outlive them. Destroying it stops and joins its threads.
class DOCKLINK_API Runtime {
 public:
  /// Starts the threads. `clock` must outlive the Runtime.
  Runtime(port::Clock& clock, RuntimeOptions options = {});
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  /// Inbound messages dropped since start because a client's share or the process's queue was full.
  std::uint64_t dropped_tasks() const noexcept;

 private:
  friend struct detail::RuntimeAccess;  // the core's way to the executor (sdk/src/runtime_access.hpp)
  std::unique_ptr<detail::Executor> executor_;
  std::unique_ptr<detail::ConnectGate> connect_gate_;
};

}  // namespace docklink
