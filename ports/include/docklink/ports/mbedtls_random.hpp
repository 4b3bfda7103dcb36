// The Linux random port: mbedTLS CTR_DRBG (AES-256) seeded from the platform entropy source.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>

#include "docklink/export.hpp"
#include "docklink/port/random.hpp"
#include "docklink/status.hpp"

namespace docklink::ports {

/// port::Random on mbedTLS's CTR_DRBG, seeded from mbedtls_entropy (getrandom()/urandom) with a DockLink
/// personalisation string. mbedTLS reseeds after its reseed interval by itself; a forked child reseeds before
/// its first draw, so parent and child never produce the same ids. Thread-safe (one mutex around the DRBG).
/// mbedTLS types stay out of this header, so users need not compile against mbedTLS.
class DOCKLINK_API MbedtlsRandom : public port::Random {
 public:
  /// Seeds a new generator; kInternal when the entropy source fails.
  static Result<std::unique_ptr<MbedtlsRandom>> create();

  ~MbedtlsRandom() override;
  MbedtlsRandom(const MbedtlsRandom&) = delete;
  MbedtlsRandom& operator=(const MbedtlsRandom&) = delete;

  /// Fills `size` bytes; any size (large requests are drawn in DRBG-sized chunks). kInternal when the DRBG or
  /// its reseed fails; `out` is then zero-filled so no stale bytes are mistaken for random ones.
  Status fill(std::uint8_t* out, std::size_t size) override;

 private:
  struct Generator;
  explicit MbedtlsRandom(std::unique_ptr<Generator> generator);

  std::mutex mutex_;
  std::unique_ptr<Generator> generator_;
};

}  // namespace docklink::ports
