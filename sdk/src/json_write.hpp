// Writing JSON with RapidJSON's writer into a string buffer: the writer type the encoders share and the member
// they write most.
#pragma once

#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace docklink::detail {

/// RapidJSON's writer into a StringBuffer.
using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

/// Writes `key` and the string `value` (its whole length, NULs included).
inline void write_string_member(JsonWriter& writer, const char* key, std::string_view value) {
  writer.Key(key);
  writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

}  // namespace docklink::detail
