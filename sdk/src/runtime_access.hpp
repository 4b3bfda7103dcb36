// The core's private way into a Runtime: its executor is an internal type, so the public header keeps it out of
// reach and names this accessor its friend.
#pragma once

#include "connect_gate.hpp"
#include "docklink/runtime.hpp"
#include "executor.hpp"

namespace docklink::detail {

/// Hands the core a Runtime's executor. Internal to the SDK.
struct RuntimeAccess {
  /// The executor whose strands and timers a client uses; lives as long as `runtime`.
  static Executor& executor(Runtime& runtime) noexcept { return *runtime.executor_; }
  /// The gate every client of `runtime` connects through; lives as long as `runtime`.
  static ConnectGate& connect_gate(Runtime& runtime) noexcept { return *runtime.connect_gate_; }
};

}  // namespace docklink::detail
