// value_conforms: thing::validate_value() without messages, so a valid value costs no allocation.
#include "value_conforms.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

namespace docklink::detail {

namespace {

using thing::TypeSpec;
using thing::ValueType;

bool in_range(const TypeSpec& spec, double number) {
  return !(spec.has_min && number < spec.min) && !(spec.has_max && number > spec.max);
}

bool enum_conforms(const TypeSpec& spec, const rapidjson::Value& value) {
  if (spec.text_enum) {
    if (!value.IsString()) return false;
    const std::string_view text(value.GetString(), value.GetStringLength());
    return std::find(spec.text_values.begin(), spec.text_values.end(), text) != spec.text_values.end();
  }
  return value.IsInt64() &&
         std::find(spec.int_values.begin(), spec.int_values.end(), value.GetInt64()) != spec.int_values.end();
}

bool struct_conforms(const TypeSpec& spec, const rapidjson::Value& value) {
  if (!value.IsObject()) return false;
  for (const std::string& name : spec.required) {
    if (!value.HasMember(name.c_str())) return false;
  }
  for (const auto& member : value.GetObject()) {
    const TypeSpec* field = spec.find_field(std::string_view(member.name.GetString(), member.name.GetStringLength()));
    if (field == nullptr) {
      if (spec.closed) return false;
      continue;  // open structs ignore unknown fields (docs/protocol.md#tolerance)
    }
    if (!value_conforms(*field, member.value)) return false;
  }
  return true;
}

bool array_conforms(const TypeSpec& spec, const rapidjson::Value& value) {
  if (!value.IsArray() || value.Size() > spec.max_items) return false;
  const TypeSpec* element = spec.element_type();
  if (element == nullptr) return true;
  for (const auto& item : value.GetArray()) {
    if (!value_conforms(*element, item)) return false;
  }
  return true;
}

}  // namespace

bool value_conforms(const TypeSpec& spec, const rapidjson::Value& value) noexcept {
  switch (spec.type) {
    case ValueType::kInt:
      return (value.IsInt64() || value.IsUint64()) && in_range(spec, value.GetDouble());
    case ValueType::kFloat:
    case ValueType::kDouble:
      return value.IsNumber() && std::isfinite(value.GetDouble()) && in_range(spec, value.GetDouble());
    case ValueType::kBool:
      // docs/protocol.md#quirk-booleans: booleans travel as true/false and as 0/1.
      return value.IsBool() || (value.IsInt64() && (value.GetInt64() == 0 || value.GetInt64() == 1));
    case ValueType::kEnum:
      return enum_conforms(spec, value);
    case ValueType::kText:
      return value.IsString() && value.GetStringLength() <= spec.max_length;
    case ValueType::kStruct:
      return struct_conforms(spec, value);
    case ValueType::kArray:
      return array_conforms(spec, value);
  }
  return true;
}

}  // namespace docklink::detail
