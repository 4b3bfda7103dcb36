#include "docklink/ports/mbedtls_hashing.hpp"

#include <mbedtls/md.h>

namespace docklink::ports {

namespace {

const unsigned char* as_bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }

const mbedtls_md_info_t* digest_info(port::HashAlgorithm algorithm) {
  switch (algorithm) {
    case port::HashAlgorithm::kMd5:
      return mbedtls_md_info_from_type(MBEDTLS_MD_MD5);
    case port::HashAlgorithm::kSha256:
      return mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
  }
  return nullptr;
}

// One mbedtls_md_context_t fed piece by piece. A failed step marks it unusable, and finish() then returns an
// empty digest rather than one over part of the data.
class MbedtlsHasher final : public port::Hasher {
 public:
  explicit MbedtlsHasher(const mbedtls_md_info_t* info) : info_(info) {
    mbedtls_md_init(&context_);
    usable_ = info_ != nullptr && mbedtls_md_setup(&context_, info_, 0) == 0 && mbedtls_md_starts(&context_) == 0;
  }
  ~MbedtlsHasher() override { mbedtls_md_free(&context_); }
  MbedtlsHasher(const MbedtlsHasher&) = delete;
  MbedtlsHasher& operator=(const MbedtlsHasher&) = delete;

  void update(std::string_view data) override {
    if (usable_ && !data.empty() && mbedtls_md_update(&context_, as_bytes(data), data.size()) != 0) {
      usable_ = false;
    }
  }

  std::string finish() override {
    if (!usable_) return {};
    usable_ = false;  // spent: mbedTLS would need a new starts() before reuse
    unsigned char digest[MBEDTLS_MD_MAX_SIZE];
    if (mbedtls_md_finish(&context_, digest) != 0) return {};
    return std::string(reinterpret_cast<const char*>(digest), mbedtls_md_get_size(info_));
  }

 private:
  const mbedtls_md_info_t* info_;
  mbedtls_md_context_t context_;
  bool usable_ = false;
};

}  // namespace

std::unique_ptr<port::Hasher> MbedtlsHashing::new_hasher(port::HashAlgorithm algorithm) const {
  return std::make_unique<MbedtlsHasher>(digest_info(algorithm));
}

std::string MbedtlsHashing::hmac_sha256(std::string_view key, std::string_view message) const {
  const mbedtls_md_info_t* info = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
  unsigned char mac[MBEDTLS_MD_MAX_SIZE];
  if (info == nullptr ||
      mbedtls_md_hmac(info, as_bytes(key), key.size(), as_bytes(message), message.size(), mac) != 0) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(mac), mbedtls_md_get_size(info));
}

}  // namespace docklink::ports
