// Checks on parsed JSON that RapidJSON does not make: a member name given twice in one object (RapidJSON keeps
// both, and code that looks names up sees only the first) and numbers that are not finite (RapidJSON reads
// 9e308 as +inf, which no JSON writer can write back).
#pragma once

#include <string_view>

#include <rapidjson/document.h>

namespace docklink::detail {

/// True when some object in `value`, at any depth, names a member more than once. Linear in the value's size.
bool has_repeated_member(const rapidjson::Value& value);

/// True when `value` is, or holds at any depth, a number that is infinite or NaN.
bool has_non_finite_number(const rapidjson::Value& value);

/// `text` cut to at most `limit` bytes, for logs: a hostile name or id must not make a log line huge.
std::string_view clipped(std::string_view text, std::size_t limit = 64);

}  // namespace docklink::detail
