// Helpers shared by the SigV4 sources (private).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "docklink/port/hash.hpp"
#include "docklink/port/http.hpp"
#include "docklink/status.hpp"

namespace docklink::transfer::detail {

/// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(const port::Hashing& hashing, std::string_view data);

/// ASCII lower-case copy (header names; non-ASCII bytes unchanged).
std::string ascii_lower(std::string_view text);

/// Canonical headers: (lower-case name, trimmed value), sorted by name, repeated names merged.
using CanonicalHeaders = std::vector<std::pair<std::string, std::string>>;

/// Canonicalises `headers`; kInvalidArgument for a bad name, a value holding CR/LF/NUL, or no Host header.
Result<CanonicalHeaders> canonical_headers(const std::vector<port::HttpHeader>& headers);

/// The signed-headers list: the canonical names joined with ';'.
std::string signed_header_names(const CanonicalHeaders& headers);

/// True when 1970-01-01 <= `unix_ms` < 10000-01-01: the range an x-amz-date can show.
bool amz_date_representable(std::int64_t unix_ms);

}  // namespace docklink::transfer::detail
