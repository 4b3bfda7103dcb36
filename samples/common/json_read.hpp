// Forgiving readers for RapidJSON values: DJI payloads mix ints, bools and strings for the same idea
// (docs/protocol.md#quirk-booleans), so the samples read fields with a fallback instead of asserting a type.
#pragma once

#include <cstdint>
#include <string>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace docklink::samples {

/// The member `key` of an object, or nullptr when `object` is not an object or lacks it.
inline const rapidjson::Value* member(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

/// True when `value` truncates to an int64 without overflow (casting one that does not, or NaN, is undefined).
inline bool fits_int64(double value) {
  return value >= -9223372036854775808.0 && value < 9223372036854775808.0;  // -2^63 <= value < 2^63
}

/// An integer member (bools read as 0/1, doubles truncated; a double out of int64 range gives `fallback`), or
/// `fallback`.
inline std::int64_t read_int(const rapidjson::Value& object, const char* key, std::int64_t fallback) {
  const rapidjson::Value* value = member(object, key);
  if (value == nullptr) return fallback;
  if (value->IsInt64()) return value->GetInt64();
  if (value->IsUint64()) return static_cast<std::int64_t>(value->GetUint64());
  if (value->IsDouble())
    return fits_int64(value->GetDouble()) ? static_cast<std::int64_t>(value->GetDouble()) : fallback;
  if (value->IsBool()) return value->GetBool() ? 1 : 0;
  return fallback;
}

/// A numeric member, or `fallback`.
inline double read_double(const rapidjson::Value& object, const char* key, double fallback) {
  const rapidjson::Value* value = member(object, key);
  return value != nullptr && value->IsNumber() ? value->GetDouble() : fallback;
}

/// A string member, or `fallback`.
inline std::string read_string(const rapidjson::Value& object, const char* key, const std::string& fallback = {}) {
  const rapidjson::Value* value = member(object, key);
  if (value == nullptr || !value->IsString()) return fallback;
  return std::string(value->GetString(), value->GetStringLength());
}

/// A value as compact JSON text.
inline std::string to_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

/// Reads an integer JSON value (int, bool or integral double); false when it is none of those.
inline bool as_int(const rapidjson::Value& value, std::int64_t& out) {
  if (value.IsInt64()) {
    out = value.GetInt64();
    return true;
  }
  if (value.IsBool()) {
    out = value.GetBool() ? 1 : 0;
    return true;
  }
  if (value.IsDouble() && fits_int64(value.GetDouble()) &&
      value.GetDouble() == static_cast<double>(static_cast<std::int64_t>(value.GetDouble()))) {
    out = static_cast<std::int64_t>(value.GetDouble());
    return true;
  }
  return false;
}

}  // namespace docklink::samples
