// Rules on short texts from the cloud that the glue code relies on: digests given as hex, URLs it may fetch, and
// device serial numbers that name local files and resume records.
#pragma once

#include <cctype>
#include <cstddef>
#include <string_view>

namespace docklink::detail {

/// True when `text` is exactly `length` hexadecimal digits (either case).
inline bool is_hex_digits(std::string_view text, std::size_t length) noexcept {
  if (text.size() != length) return false;
  for (char c : text) {
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

/// True when `url` is an http:// or https:// URL (the schemes a transfer may use).
inline bool is_http_url(std::string_view url) noexcept {
  return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

/// True when `sn` may name a package's file and resume record: 1 to 64 letters, digits, '-' and '_'.
inline bool usable_file_sn(std::string_view sn) noexcept {
  if (sn.empty() || sn.size() > 64) return false;
  for (char c : sn) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_') return false;
  }
  return true;
}

}  // namespace docklink::detail
