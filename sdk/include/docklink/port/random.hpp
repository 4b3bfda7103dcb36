// Random port: unpredictable bytes for tid/bid UUIDs and reconnect jitter.
#pragma once

#include <cstddef>
#include <cstdint>

#include "docklink/export.hpp"
#include "docklink/status.hpp"

namespace docklink::port {

/// A cryptographically strong random source (mbedTLS CTR_DRBG on Linux). Thread-safe.
class DOCKLINK_API Random {
 public:
  virtual ~Random() = default;
  /// Fills `size` bytes at `out`. Fails only when the entropy source fails.
  virtual Status fill(std::uint8_t* out, std::size_t size) = 0;
};

}  // namespace docklink::port
