#include "docklink/runtime.hpp"

#include <algorithm>

#include "connect_gate.hpp"
#include "executor.hpp"

namespace docklink {

namespace {

detail::ConnectPacing connect_pacing(const RuntimeOptions& options) {
  detail::ConnectPacing pacing;
  pacing.max = options.max_concurrent_connects;
  pacing.floor = std::min(defaults::kMinConcurrentConnects, pacing.max);
  pacing.initial = options.initial_concurrent_connects;
  pacing.latency_target_ms = options.connect_latency_target.count();
  return pacing;
}

}  // namespace

Runtime::Runtime(port::Clock& clock, RuntimeOptions options)
    : executor_(std::make_unique<detail::Executor>(clock, options.dispatcher_threads, options.queue_capacity,
                                                   options.queue_max_bytes)),
      connect_gate_(std::make_unique<detail::ConnectGate>(connect_pacing(options), clock)) {}

Runtime::~Runtime() = default;

std::uint64_t Runtime::dropped_tasks() const noexcept { return executor_->dropped(); }

}  // namespace docklink
