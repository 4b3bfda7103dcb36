#include "docklink/runtime.hpp"

#include "connect_gate.hpp"
#include "executor.hpp"

namespace docklink {

Runtime::Runtime(port::Clock& clock, RuntimeOptions options)
    : executor_(std::make_unique<detail::Executor>(clock, options.dispatcher_threads, options.queue_capacity,
                                                   options.queue_max_bytes)),
      connect_gate_(std::make_unique<detail::ConnectGate>(options.max_concurrent_connects)) {}

Runtime::~Runtime() = default;

std::uint64_t Runtime::dropped_tasks() const noexcept { return executor_->dropped(); }

}  // namespace docklink
