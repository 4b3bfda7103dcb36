#include "docklink/ports/crypto.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "docklink/ports/mbedtls_hashing.hpp"

namespace docklink::ports {

namespace {

constexpr std::size_t kReadChunkBytes = 64 * 1024;

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
  auto hasher = MbedtlsHashing().new_hasher(port::HashAlgorithm::kSha256);
  hasher->update(data);
  return to_hex(hasher->finish());
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  return to_hex(MbedtlsHashing().hmac_sha256(key, message));
}

Result<std::string> file_md5_hex(const std::string& path) {
  ScopedFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) {
    const StatusCode code = errno == ENOENT ? StatusCode::kNotFound : StatusCode::kIo;
    return Status(code, "cannot open " + path + ": " + std::strerror(errno));
  }
  auto hasher = MbedtlsHashing().new_hasher(port::HashAlgorithm::kMd5);
  auto buffer = std::make_unique<char[]>(kReadChunkBytes);  // off the stack: callers may run on small stacks
  for (;;) {
    ssize_t got = ::read(file.get(), buffer.get(), kReadChunkBytes);
    if (got < 0) {
      if (errno == EINTR) continue;
      return Status(StatusCode::kIo, "cannot read " + path + ": " + std::strerror(errno));
    }
    if (got == 0) break;
    hasher->update(std::string_view(buffer.get(), static_cast<std::size_t>(got)));
  }
  std::string digest = hasher->finish();
  if (digest.empty()) return Status(StatusCode::kInternal, "mbedTLS MD5 is unavailable");
  return to_hex(digest);
}

}  // namespace docklink::ports
