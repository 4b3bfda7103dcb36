#include "docklink/runtime.hpp"

#include "executor.hpp"

namespace docklink {

Runtime::Runtime(port::Clock& clock, RuntimeOptions options)
    : executor_(std::make_unique<detail::Executor>(clock, options.dispatcher_threads, options.queue_capacity,
                                                   options.queue_max_bytes)) {}

Runtime::~Runtime() = default;

std::uint64_t Runtime::dropped_tasks() const noexcept { return executor_->dropped(); }

}  // namespace docklink
