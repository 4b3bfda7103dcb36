// What dock-sim refuses because a limit (sim_limits.hpp) or a rule says no: every refusal is counted, and
// logged as a warning at most once per kind per limits::kRefusalLogIntervalMs with the number held back.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "docklink/port/log.hpp"

namespace docklink::sim {

/// Kinds of refusal.
enum class Refusal : std::uint8_t {
  kDrcTooLarge,          ///< drc/down payload above limits::kDrcMaxPayloadBytes.
  kDrcTooDeep,           ///< drc/down JSON nested deeper than limits::kDrcMaxJsonDepth.
  kDrcMalformed,         ///< drc/down not one JSON object (bad JSON, bad UTF-8, NUL or bytes after it).
  kDrcBacklogFull,       ///< limits::kDrcMaxPendingMessages already wait for the Scheduler.
  kDrcPlainTextWithTls,  ///< drc_mode_enter asked for TLS but named a plain-text broker URI.
  kSchedulerFull,        ///< the Scheduler already holds its capacity of tasks.
  kPreparedTasksFull,    ///< limits::kMaxPreparedTasks flight tasks already prepared.
  kStateValue,           ///< A state value the device's thing model refused (not sent: a simulator bug).
  kCount                 ///< Number of kinds (not a kind).
};

/// Short snake_case name of `kind`, e.g. "drc_too_deep".
const char* to_string(Refusal kind) noexcept;

/// Decides which refusals get a log line: the first of each kind, then one per interval, each telling how
/// many were held back since the previous line. Thread-safe.
class RefusalLogGate {
 public:
  /// A gate letting one line per kind through every `interval_ms`.
  explicit RefusalLogGate(std::int64_t interval_ms) : interval_ms_(interval_ms) {}
  /// True when a refusal of `kind` at `now_ms` should be logged; then `held_back` is the number not logged
  /// since the last line of that kind.
  bool admit(Refusal kind, std::int64_t now_ms, std::uint64_t& held_back);

 private:
  struct KindState {
    bool logged = false;
    std::int64_t last_ms = 0;
    std::uint64_t held_back = 0;
  };
  std::int64_t interval_ms_;
  std::mutex mutex_;
  std::array<KindState, static_cast<std::size_t>(Refusal::kCount)> kinds_{};
};

/// Counts one refusal of `kind` (process-wide) and logs `detail` through `log` (may be null) when the
/// process-wide gate admits it. `detail` must hold no secret.
void refuse(Refusal kind, port::Log* log, std::string_view detail);

/// Refusals of `kind` counted in this process so far.
std::uint64_t refusal_count(Refusal kind) noexcept;

/// "name=count" for every kind counted at least once, space-separated; empty when nothing was refused.
std::string refusal_summary();

}  // namespace docklink::sim
