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
  /// Writes exactly `size` unpredictable bytes at `out`, every one of them and none beyond; any size works
  /// (`size` 0: ok, nothing written). Called from any SDK thread, also from several at once, and never returns
  /// the same bytes twice (within the odds of chance). Does not block for long. Fails only when the entropy
  /// source fails; the bytes at `out` are then not to be used. Checked by tests/conformance/random_conformance.hpp.
  virtual Status fill(std::uint8_t* out, std::size_t size) = 0;
};

}  // namespace docklink::port
