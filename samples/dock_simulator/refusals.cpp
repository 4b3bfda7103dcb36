#include "refusals.hpp"

#include <atomic>
#include <chrono>

#include "process_clock.hpp"
#include "sim_limits.hpp"

namespace docklink::sim {

namespace {

constexpr std::size_t kKinds = static_cast<std::size_t>(Refusal::kCount);

std::array<std::atomic<std::uint64_t>, kKinds>& counts() {
  static std::array<std::atomic<std::uint64_t>, kKinds> values{};
  return values;
}

RefusalLogGate& process_gate() {
  static RefusalLogGate gate(limits::kRefusalLogIntervalMs);
  return gate;
}

}  // namespace

const char* to_string(Refusal kind) noexcept {
  switch (kind) {
    case Refusal::kDrcTooLarge:
      return "drc_too_large";
    case Refusal::kDrcTooDeep:
      return "drc_too_deep";
    case Refusal::kDrcMalformed:
      return "drc_malformed";
    case Refusal::kDrcBacklogFull:
      return "drc_backlog_full";
    case Refusal::kDrcPlainTextWithTls:
      return "drc_plain_text_with_tls";
    case Refusal::kSchedulerFull:
      return "scheduler_full";
    case Refusal::kPreparedTasksFull:
      return "prepared_tasks_full";
    case Refusal::kStateValue:
      return "state_value";
    case Refusal::kCount:
      break;
  }
  return "unknown";
}

bool RefusalLogGate::admit(Refusal kind, std::int64_t now_ms, std::uint64_t& held_back) {
  std::lock_guard<std::mutex> lock(mutex_);
  KindState& state = kinds_[static_cast<std::size_t>(kind)];
  if (state.logged && now_ms - state.last_ms < interval_ms_) {
    ++state.held_back;
    return false;
  }
  held_back = state.held_back;
  state = KindState{true, now_ms, 0};
  return true;
}

void refuse(Refusal kind, port::Log* log, std::string_view detail) {
  counts()[static_cast<std::size_t>(kind)].fetch_add(1, std::memory_order_relaxed);
  std::uint64_t held_back = 0;
  if (log == nullptr || !log->enabled(port::LogLevel::kWarn)) return;
  if (!process_gate().admit(kind, steady_ms(), held_back)) return;
  std::string line = std::string("refused (") + to_string(kind) + "): ";
  line.append(detail);
  if (held_back > 0) line += " (" + std::to_string(held_back) + " more of this kind not logged)";
  log->write(port::LogLevel::kWarn, "dock-sim", line);
}

std::uint64_t refusal_count(Refusal kind) noexcept {
  return counts()[static_cast<std::size_t>(kind)].load(std::memory_order_relaxed);
}

std::string refusal_summary() {
  std::string summary;
  for (std::size_t i = 0; i < kKinds; ++i) {
    std::uint64_t count = refusal_count(static_cast<Refusal>(i));
    if (count == 0) continue;
    if (!summary.empty()) summary += ' ';
    summary += std::string(to_string(static_cast<Refusal>(i))) + "=" + std::to_string(count);
  }
  return summary;
}

}  // namespace docklink::sim
