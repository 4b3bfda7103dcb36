#include "docklink/ports/crypto.hpp"

#include <fcntl.h>
#include <mbedtls/md.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace docklink::ports {

namespace {

constexpr std::size_t kSha256Bytes = 32;
constexpr std::size_t kMd5Bytes = 16;

const unsigned char* as_bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }

// Closes a file descriptor on scope exit.
class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// An mbedtls_md_context_t freed on scope exit.
class DigestContext {
 public:
  DigestContext() { mbedtls_md_init(&context_); }
  ~DigestContext() { mbedtls_md_free(&context_); }
  DigestContext(const DigestContext&) = delete;
  DigestContext& operator=(const DigestContext&) = delete;
  mbedtls_md_context_t* get() { return &context_; }

 private:
  mbedtls_md_context_t context_;
};

}  // namespace

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    hex += kDigits[byte >> 4u];
    hex += kDigits[byte & 0xFu];
  }
  return hex;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[kSha256Bytes];
  // The generic md API is the same in mbedTLS 2.x and 3.x; it only fails for a missing algorithm.
  if (mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), as_bytes(data), data.size(), digest) != 0) return {};
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  unsigned char mac[kSha256Bytes];
  if (mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), as_bytes(key), key.size(), as_bytes(message),
                      message.size(), mac) != 0) {
    return {};
  }
  return to_hex(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

Result<std::string> file_md5_hex(const std::string& path) {
  ScopedFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) {
    const StatusCode code = errno == ENOENT ? StatusCode::kNotFound : StatusCode::kIo;
    return Status(code, "cannot open " + path + ": " + std::strerror(errno));
  }
  DigestContext context;
  if (mbedtls_md_setup(context.get(), mbedtls_md_info_from_type(MBEDTLS_MD_MD5), 0) != 0 ||
      mbedtls_md_starts(context.get()) != 0) {
    return Status(StatusCode::kInternal, "mbedTLS MD5 is unavailable");
  }
  unsigned char buffer[64 * 1024];
  for (;;) {
    ssize_t got = ::read(file.get(), buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      return Status(StatusCode::kIo, "cannot read " + path + ": " + std::strerror(errno));
    }
    if (got == 0) break;
    if (mbedtls_md_update(context.get(), buffer, static_cast<std::size_t>(got)) != 0) {
      return Status(StatusCode::kInternal, "mbedTLS MD5 update failed");
    }
  }
  unsigned char digest[kMd5Bytes];
  if (mbedtls_md_finish(context.get(), digest) != 0) return Status(StatusCode::kInternal, "mbedTLS MD5 failed");
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

}  // namespace docklink::ports
