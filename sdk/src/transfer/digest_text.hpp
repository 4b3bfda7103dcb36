// Digests as text: the hex the DJI messages carry, compared case-insensitively.
#pragma once

#include <string>
#include <string_view>

#include "docklink/transfer/download.hpp"

namespace docklink::transfer::detail {

/// "md5", "sha256", or "none" for an unverified download (resume records name it).
std::string algorithm_name(const DownloadRequest& request);

/// Lower-case copy of a hex digest.
std::string normalized_digest(std::string_view hex);

/// True when `hex` is the digest length of `algorithm` (32 or 64) and only hex digits.
bool is_valid_digest(std::string_view hex, port::HashAlgorithm algorithm);

/// Lower-case hex of raw bytes (digests, signatures).
std::string lower_hex(std::string_view bytes);

}  // namespace docklink::transfer::detail
