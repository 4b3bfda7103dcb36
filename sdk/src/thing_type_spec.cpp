// TypeSpec helpers.
#include "docklink/thing/type_spec.hpp"

namespace docklink::thing {

const char* to_string(ValueType type) noexcept {
  switch (type) {
    case ValueType::kInt:
      return "int";
    case ValueType::kFloat:
      return "float";
    case ValueType::kDouble:
      return "double";
    case ValueType::kBool:
      return "bool";
    case ValueType::kEnum:
      return "enum";
    case ValueType::kText:
      return "text";
    case ValueType::kStruct:
      return "struct";
    case ValueType::kArray:
      return "array";
  }
  return "?";
}

const TypeSpec* TypeSpec::find_field(std::string_view field_name) const noexcept {
  for (const TypeSpec& field : fields) {
    if (field.name == field_name) return &field;
  }
  return nullptr;
}

}  // namespace docklink::thing
