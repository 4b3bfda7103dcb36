// What HTTP tests share, the conformance suite and the project's own (tests/support/http_test_io.hpp): finding a
// response header by name, and test content in which a lost, doubled or misplaced piece shows.
#pragma once

#include <strings.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/port/http.hpp"

namespace docklink::conformance {

/// The value of the first header named `name` in any case (HTTP names compare case-insensitively); empty when
/// there is none.
inline std::string header_value(const std::vector<port::HttpHeader>& headers, std::string_view name) {
  for (const auto& line : headers) {
    if (line.name.size() == name.size() && strncasecmp(line.name.data(), name.data(), name.size()) == 0) {
      return line.value;
    }
  }
  return {};
}

/// `size` deterministic bytes from `seed`, every value 0..255 present, so an offset error, a part in the wrong
/// place or a lost byte shows as wrong bytes.
inline std::string deterministic_bytes(std::size_t size, std::uint32_t seed) {
  std::string content(size, '\0');
  std::uint32_t state = seed;
  for (char& byte : content) {
    state = state * 1103515245u + 12345u;
    byte = static_cast<char>((state >> 16) & 0xFFu);
  }
  return content;
}

}  // namespace docklink::conformance
