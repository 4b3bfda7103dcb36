#include "digest_text.hpp"

namespace docklink::transfer::detail {

std::string algorithm_name(const DownloadRequest& request) {
  if (request.expected_digest.empty()) return "none";
  return request.digest_algorithm == port::HashAlgorithm::kMd5 ? "md5" : "sha256";
}

std::string normalized_digest(std::string_view hex) {
  std::string lower(hex);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

bool is_valid_digest(std::string_view hex, port::HashAlgorithm algorithm) {
  std::size_t wanted = algorithm == port::HashAlgorithm::kMd5 ? 32 : 64;
  if (hex.size() != wanted) return false;
  for (char c : hex) {
    bool digit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!digit) return false;
  }
  return true;
}

std::string lower_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (char byte : bytes) {
    auto value = static_cast<unsigned char>(byte);
    hex.push_back(kDigits[value >> 4]);
    hex.push_back(kDigits[value & 0x0f]);
  }
  return hex;
}

}  // namespace docklink::transfer::detail
