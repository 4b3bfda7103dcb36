// Judges a burst of messages by its own pace instead of a wall-clock bound, so the burst tests mean the same
// natively, under sanitizers and under qemu: every message must arrive, the burst must keep making progress, and
// no gap between two arrivals may be far longer than the burst's typical time per message (a stall, such as
// Paho's 1 s send-thread timeout when the in-flight window exceeds the broker's Receive Maximum).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

namespace docklink::test {

/// Arrivals per step when a test waits for a burst: each step must come within the wait bound (progress, not
/// speed; the bound is only reached when the burst has stopped).
inline constexpr std::size_t kBurstProgressStep = 100;

/// A gap longer than this many typical per-message times is a stall. Natively a message takes tens of
/// microseconds, so a 1 s Paho stall is ~30,000 of them while a busy machine's scheduling hiccup is tens to a few
/// hundred; under qemu (milliseconds per message) one Paho stall is not even counted, as it should not be.
inline constexpr double kStallFactor = 1000.0;

/// Stalls a burst test tolerates: scheduling pauses of a busy machine and a rare lone Paho timeout, far from the
/// hundreds of a broken flow control.
inline constexpr int kToleratedStalls = 5;

/// The pace of a burst and its stalls.
struct BurstPace {
  std::chrono::steady_clock::duration typical{};      ///< median time per message over spans of 10 arrivals
  std::chrono::steady_clock::duration longest_gap{};  ///< longest gap between consecutive arrivals
  int stalls = 0;                                     ///< gaps longer than kStallFactor typical times
};

/// Pace of the arrivals `times` (in order) of a burst that started at `started`.
inline BurstPace burst_pace(std::chrono::steady_clock::time_point started,
                            const std::vector<std::chrono::steady_clock::time_point>& times) {
  constexpr std::size_t kSpan = 10;  // arrivals come in batches (one per broker window): look past a batch
  BurstPace pace;
  if (times.size() <= kSpan) return pace;
  std::vector<std::chrono::steady_clock::duration> spans;
  for (std::size_t i = 0; i + kSpan < times.size(); ++i) spans.push_back((times[i + kSpan] - times[i]) / kSpan);
  std::nth_element(spans.begin(), spans.begin() + static_cast<std::ptrdiff_t>(spans.size() / 2), spans.end());
  pace.typical = std::max(spans[spans.size() / 2], std::chrono::steady_clock::duration(1));
  const auto stall = std::chrono::duration_cast<std::chrono::steady_clock::duration>(pace.typical * kStallFactor);
  auto previous = started;
  for (const auto& at : times) {
    pace.longest_gap = std::max(pace.longest_gap, at - previous);
    if (at - previous > stall) ++pace.stalls;
    previous = at;
  }
  return pace;
}

}  // namespace docklink::test
