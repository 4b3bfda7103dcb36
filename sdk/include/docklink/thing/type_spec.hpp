// The value schema of a thing model (thing_models/FORMAT.md "Type spec"): what a property, a service parameter
// set or an event body may hold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/export.hpp"

namespace docklink::thing {

/// The kinds of value a thing model knows.
enum class ValueType : std::uint8_t {
  kInt,     ///< JSON integer.
  kFloat,   ///< Any JSON number (single precision on the device; same check as kDouble).
  kDouble,  ///< Any JSON number.
  kBool,    ///< true/false, and 0/1 (the protocol uses both, docs/protocol.md#quirk-booleans).
  kEnum,    ///< An integer (or, for text enums, a string) from a fixed list.
  kText,    ///< JSON string.
  kStruct,  ///< JSON object with named fields.
  kArray,   ///< JSON array of one element type.
};

/// Returns the format's name of a value type, e.g. "int".
DOCKLINK_API const char* to_string(ValueType type) noexcept;

/// Who may write a value with property/set.
enum class Access : std::uint8_t {
  kInherit,    ///< Not stated here: the enclosing property's or field's access applies.
  kRead,       ///< Read-only.
  kReadWrite,  ///< Writable with property/set.
};

/// One node of a value schema. Struct fields and the array element are nested TypeSpecs.
struct DOCKLINK_API TypeSpec {
  std::string name;                      ///< Field name inside its struct; empty for a top-level spec.
  ValueType type = ValueType::kText;     ///< What the value is.
  std::string unit;                      ///< Unit for numbers, e.g. "m"; empty when none.
  bool has_min = false;                  ///< True when `min` applies.
  bool has_max = false;                  ///< True when `max` applies.
  double min = 0;                        ///< Inclusive lower bound of numbers.
  double max = 0;                        ///< Inclusive upper bound of numbers.
  bool text_enum = false;                ///< For kEnum: the values are strings instead of integers.
  std::vector<std::int64_t> int_values;  ///< For integer enums: the allowed values.
  std::vector<std::string> text_values;  ///< For text enums: the allowed values.
  std::size_t max_length = std::numeric_limits<std::size_t>::max();  ///< For kText: longest value in bytes.
  std::vector<TypeSpec> fields;                                      ///< For kStruct: the declared fields.
  std::vector<std::string> required;  ///< For kStruct: names of the fields that must be present.
  bool closed = false;                ///< For kStruct: undeclared fields are an error.
  std::vector<TypeSpec> element;      ///< For kArray: exactly one entry, the element type.
  std::size_t max_items = std::numeric_limits<std::size_t>::max();  ///< For kArray: longest array.
  Access access = Access::kInherit;  ///< Write access of this field and everything below it.
  /// For kBool: the device sends the value as 0/1, not true/false (`"wire": "int"`, docs/protocol.md#quirk-booleans).
  bool int_wire = false;

  /// The struct field called `field_name`, or nullptr.
  const TypeSpec* find_field(std::string_view field_name) const noexcept;
  /// The element type of an array, or nullptr.
  const TypeSpec* element_type() const noexcept { return element.empty() ? nullptr : &element.front(); }
};

}  // namespace docklink::thing
