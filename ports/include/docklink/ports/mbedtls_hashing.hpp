// The Linux hashing port: MD5, SHA-256 and HMAC-SHA256 on mbedTLS's generic message-digest API.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "docklink/export.hpp"
#include "docklink/port/hash.hpp"

namespace docklink::ports {

/// port::Hashing on mbedTLS (2.28 and 3.x share the md API used). Holds no state, so one instance serves every
/// thread and copies are free. Hashers stream: their memory does not grow with the data fed to them.
/// A hasher's finish() returns an empty string when mbedTLS fails (only possible when the library was built
/// without the algorithm) and when called a second time; an empty digest never equals an expected one.
/// mbedTLS types stay out of this header, so users need not compile against mbedTLS.
class DOCKLINK_API MbedtlsHashing final : public port::Hashing {
 public:
  /// A new streaming hasher for `algorithm`; never null.
  std::unique_ptr<port::Hasher> new_hasher(port::HashAlgorithm algorithm) const override;
  /// HMAC-SHA256 of `message` under `key` as 32 raw bytes (empty only when mbedTLS lacks SHA-256).
  std::string hmac_sha256(std::string_view key, std::string_view message) const override;
};

}  // namespace docklink::ports
