// The hashing contract: streaming digests and HMAC for the transfer engine (file checks, S3 Signature V4).
// mbedTLS on Linux (ports/mbedtls); an RTOS port brings its own library or hardware engine.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "docklink/export.hpp"

namespace docklink::port {

/// The digests the protocols ask for: MD5 (DJI firmware and wayline fingerprints, S3 Content-MD5) and SHA-256
/// (geofence files, S3 Signature V4). MD5 is a fingerprint here, not a security measure.
enum class HashAlgorithm : std::uint8_t { kMd5, kSha256 };

/// One digest being computed over data that arrives in pieces, so a file is never held in memory.
/// Not thread-safe: one thread feeds it.
class DOCKLINK_API Hasher {
 public:
  virtual ~Hasher() = default;
  /// Adds the next piece of data: pieces of any size (0 too) give the digest of their concatenation. `data` is
  /// read during the call only.
  virtual void update(std::string_view data) = 0;
  /// The digest of everything added, as raw bytes (16 for MD5, 32 for SHA-256). The hasher is spent afterwards:
  /// update() on it is ignored and finish() returns an empty string (never a digest that could match).
  /// Checked by tests/conformance/hash_conformance.hpp.
  virtual std::string finish() = 0;
};

/// Creates hashers and computes HMACs. Thread-safe; every call is short and never blocks on I/O.
class DOCKLINK_API Hashing {
 public:
  virtual ~Hashing() = default;
  /// A new hasher for `algorithm`; never null.
  virtual std::unique_ptr<Hasher> new_hasher(HashAlgorithm algorithm) const = 0;
  /// HMAC-SHA256 (RFC 2104) of `message` under `key`, as 32 raw bytes. Any key length works.
  virtual std::string hmac_sha256(std::string_view key, std::string_view message) const = 0;
};

}  // namespace docklink::port
