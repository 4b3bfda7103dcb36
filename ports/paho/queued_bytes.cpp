// The process-wide count of bytes waiting in the Paho transports' FIFOs (queued_bytes.hpp says why).
#include "queued_bytes.hpp"

#include "docklink/config_defaults.hpp"

namespace docklink::ports::paho {

bool QueuedBytes::try_add(std::size_t bytes) {
  std::size_t used = used_.load(std::memory_order_relaxed);
  do {
    if (capacity_ != 0 && (bytes > capacity_ || used > capacity_ - bytes)) return false;
  } while (!used_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
  return true;
}

void QueuedBytes::remove(std::size_t bytes) { used_.fetch_sub(bytes, std::memory_order_relaxed); }

QueuedBytes& QueuedBytes::process() {
  static QueuedBytes bytes(defaults::kPahoProcessQueuedBytes);
  return bytes;
}

}  // namespace docklink::ports::paho
