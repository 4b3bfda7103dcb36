// Hashing for tests that must show how many bytes were hashed: mbedTLS underneath, every byte fed to any of its
// hashers counted (from any thread).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "docklink/port/hash.hpp"
#include "docklink/ports/mbedtls_hashing.hpp"

namespace docklink::test {

/// mbedTLS hashing that counts the bytes fed to every hasher (from any thread).
class CountingHashing final : public port::Hashing {
 public:
  std::unique_ptr<port::Hasher> new_hasher(port::HashAlgorithm algorithm) const override {
    return std::make_unique<Counting>(real_.new_hasher(algorithm), bytes_);
  }
  std::string hmac_sha256(std::string_view key, std::string_view message) const override {
    return real_.hmac_sha256(key, message);
  }
  std::uint64_t bytes() const { return bytes_.load(); }

 private:
  class Counting final : public port::Hasher {
   public:
    Counting(std::unique_ptr<port::Hasher> real, std::atomic<std::uint64_t>& bytes)
        : real_(std::move(real)), bytes_(bytes) {}
    void update(std::string_view data) override {
      bytes_ += data.size();
      real_->update(data);
    }
    std::string finish() override { return real_->finish(); }

   private:
    std::unique_ptr<port::Hasher> real_;
    std::atomic<std::uint64_t>& bytes_;
  };
  ports::MbedtlsHashing real_;
  mutable std::atomic<std::uint64_t> bytes_{0};
};

}  // namespace docklink::test
