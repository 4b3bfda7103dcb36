// The process-wide count of bytes waiting in the Paho transports' FIFOs (queued_bytes.hpp says why).
#include "queued_bytes.hpp"

#include "docklink/config_defaults.hpp"

namespace docklink::ports::paho {

bool QueuedBytes::try_add(std::size_t bytes, std::size_t held) {
  if (capacity_ == 0) {
    used_.fetch_add(bytes, std::memory_order_relaxed);
    return true;
  }
  const bool over_share = fair_share_ != 0 && (bytes > fair_share_ || held > fair_share_ - bytes);
  const std::size_t limit = over_share ? capacity_ - capacity_ / 8 : capacity_;
  std::size_t used = used_.load(std::memory_order_relaxed);
  do {
    if (bytes > limit || used > limit - bytes) return false;
  } while (!used_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
  return true;
}

void QueuedBytes::remove(std::size_t bytes) { used_.fetch_sub(bytes, std::memory_order_relaxed); }

QueuedBytes& QueuedBytes::process() {
  static QueuedBytes bytes(defaults::kPahoProcessQueuedBytes, defaults::kPahoTransportFairShareBytes);
  return bytes;
}

}  // namespace docklink::ports::paho
