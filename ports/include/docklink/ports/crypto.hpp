// Hashes and MACs DockLink needs on Linux, on mbedTLS: SHA-256 and HMAC-SHA256 for signed credentials, MD5 for
// the fingerprints DJI puts on wayline (KMZ) files.
#pragma once

#include <string>
#include <string_view>

#include "docklink/export.hpp"
#include "docklink/status.hpp"

namespace docklink::ports {

/// SHA-256 of `data` as 64 lower-case hex digits.
DOCKLINK_API std::string sha256_hex(std::string_view data);

/// HMAC-SHA256 (RFC 2104) of `message` under `key` as 64 lower-case hex digits. Any key length works.
DOCKLINK_API std::string hmac_sha256_hex(std::string_view key, std::string_view message);

/// MD5 of a file's contents as 32 lower-case hex digits, read in fixed-size chunks so files of any size take
/// constant memory. kNotFound when the file does not exist, kIo when it cannot be read. MD5 here is a
/// fingerprint DJI's protocol asks for, not a security measure.
DOCKLINK_API Result<std::string> file_md5_hex(const std::string& path);

/// Lower-case hex of arbitrary bytes ("\x01\xab" -> "01ab").
DOCKLINK_API std::string to_hex(std::string_view bytes);

}  // namespace docklink::ports
