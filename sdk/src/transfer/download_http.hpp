// Reading the HTTP response headers a ranged download depends on (RFC 9110): Content-Range, validators.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/port/http.hpp"

namespace docklink::transfer::detail {

/// The value of header `name` (case-insensitive), or none.
std::optional<std::string_view> find_header(const std::vector<port::HttpHeader>& headers, std::string_view name);

/// "bytes first-last/complete" of a 206 (complete may be "*"), or "bytes */complete" of a 416.
struct ContentRange {
  std::optional<std::uint64_t> first;     ///< None for "*/complete".
  std::optional<std::uint64_t> last;      ///< The last byte it carries (inclusive); none for "*/complete".
  std::optional<std::uint64_t> complete;  ///< None for "/*".
};

/// Parses a Content-Range value; none when it is not a single byte range.
std::optional<ContentRange> parse_content_range(std::string_view value);

/// Parses a decimal Content-Length; none when absent or not a number.
std::optional<std::uint64_t> parse_content_length(std::string_view value);

/// True for a strong ETag (quoted, not "W/"): only those may go into If-Range.
bool is_strong_etag(std::string_view etag);

/// The URL without its query and fragment, for log lines (a pre-signed URL's query carries credentials).
std::string loggable_url(std::string_view url);

}  // namespace docklink::transfer::detail
