// The process's own clock: steady milliseconds for what belongs to the process rather than to one dock (its run
// time, the worker supervisor's, the refusal log's pace, which the Scheduler and every dock share). A dock's time
// comes from its platform's port::Clock (SimDock::clock_), so that the SDK and the dock agree on it.
#pragma once

#include <chrono>
#include <cstdint>

namespace docklink::sim {

/// Milliseconds on the steady clock since an arbitrary start: only differences mean anything.
inline std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// Milliseconds on the steady clock since `since`.
inline std::int64_t elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace docklink::sim
