// Checks on JSON that RapidJSON does not make: a member name given twice in one object (RapidJSON keeps both, and
// code that looks names up sees only the first), numbers that are not finite (RapidJSON reads 9e308 as +inf, which
// no JSON writer can write back), and text that is not well-formed UTF-8 (checked before parsing, faster).
#pragma once

#include <cstddef>
#include <string_view>

#include <rapidjson/document.h>

namespace docklink::detail {

/// True when some object in `value`, at any depth, names a member more than once. Linear in the value's size.
bool has_repeated_member(const rapidjson::Value& value);

/// True when `value` is, or holds at any depth, a number that is infinite or NaN.
bool has_non_finite_number(const rapidjson::Value& value);

/// Offset of the first byte of `text` that is not part of well-formed UTF-8 (RFC 3629: no overlong forms,
/// surrogates or code points above U+10FFFF; a sequence cut off at the end counts), or npos. Eight ASCII bytes at a
/// time: much faster than RapidJSON's own validation for mostly-ASCII JSON.
std::size_t find_invalid_utf8(std::string_view text) noexcept;

/// `text` cut to at most `limit` bytes, for logs: a hostile name or id must not make a log line huge.
std::string_view clipped(std::string_view text, std::size_t limit = 64);

}  // namespace docklink::detail
