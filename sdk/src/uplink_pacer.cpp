#include "uplink_pacer.hpp"

#include <algorithm>
#include <utility>

namespace docklink::detail {

namespace {
constexpr std::int64_t kMilli = 1000;
}  // namespace

UplinkPacer::UplinkPacer(UplinkRate rate)
    : rate_(rate), milli_tokens_(static_cast<std::int64_t>(std::max(rate.burst, 1U)) * kMilli) {}

void UplinkPacer::refill(std::int64_t now_ms) {
  if (refilled_ms_ < 0 || now_ms < refilled_ms_) refilled_ms_ = now_ms;
  const std::int64_t cap = static_cast<std::int64_t>(std::max(rate_.burst, 1U)) * kMilli;
  // per_second tokens per 1000 ms: per_second milli-tokens per ms.
  milli_tokens_ = std::min(cap, milli_tokens_ + (now_ms - refilled_ms_) * static_cast<std::int64_t>(rate_.per_second));
  refilled_ms_ = now_ms;
}

void UplinkPacer::spend(std::int64_t now_ms) {
  if (!limited()) return;
  refill(now_ms);
  milli_tokens_ -= kMilli;
}

bool UplinkPacer::take(std::int64_t now_ms) {
  if (!limited()) return true;
  if (!order_.empty()) return false;  // held reports go first, in order
  refill(now_ms);
  if (milli_tokens_ < kMilli) return false;
  milli_tokens_ -= kMilli;
  return true;
}

bool UplinkPacer::hold(Uplink uplink) {
  auto slot = slots_.find(uplink.coalesce_key);
  if (slot != slots_.end()) {
    slot->second = std::move(uplink);
    return true;
  }
  order_.push_back(uplink.coalesce_key);
  slots_.emplace(order_.back(), std::move(uplink));
  return false;
}

std::vector<Uplink> UplinkPacer::release(std::int64_t now_ms) {
  std::vector<Uplink> out;
  refill(now_ms);
  while (!order_.empty() && milli_tokens_ >= kMilli) {
    milli_tokens_ -= kMilli;
    auto slot = slots_.find(order_.front());
    out.push_back(std::move(slot->second));
    slots_.erase(slot);
    order_.pop_front();
  }
  return out;
}

std::int64_t UplinkPacer::next_token_ms(std::int64_t now_ms) {
  refill(now_ms);
  if (milli_tokens_ >= kMilli || rate_.per_second == 0) return now_ms;
  const std::int64_t missing = kMilli - milli_tokens_;
  const std::int64_t rate = static_cast<std::int64_t>(rate_.per_second);
  return now_ms + (missing + rate - 1) / rate;
}

std::vector<Uplink> UplinkPacer::take_held() {
  std::vector<Uplink> out;
  for (const std::string& key : order_) out.push_back(std::move(slots_.at(key)));
  slots_.clear();
  order_.clear();
  return out;
}

}  // namespace docklink::detail
