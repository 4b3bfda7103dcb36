// Typed writes into a PropertyStore: the property is named by its generated descriptor
// (docklink/generated/<product>_properties.hpp), which gives the path, and the value has the descriptor's C++ type,
// e.g. thing::set_property<generated::dock2::Properties::ModeCode>(store, generated::dock2::ModeCode::kWorking).
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>

#include "docklink/generated/json_support.hpp"
#include "docklink/status.hpp"
#include "docklink/thing/property_store.hpp"

namespace docklink::thing {

namespace detail {

/// True for a generated text enum (one that has a wire_text()).
template <class T, class = void>
struct is_text_enum : std::false_type {};
/// A text enum.
template <class T>
struct is_text_enum<T, std::void_t<decltype(wire_text(std::declval<T>()))>> : std::true_type {};

}  // namespace detail

/// Sets the property (or struct field) `Descriptor` names to `value`, checked against the store's model as
/// PropertyStore::set() checks it (kNotFound when the store's model lacks the path, e.g. a descriptor of another
/// product; kInvalidArgument for a value out of range). Integers and integer enums are written as JSON integers,
/// text enums as their protocol text, numbers, bools and text as such, structs and arrays as the generated to_json
/// writes them (unset optional fields left out).
template <class Descriptor>
Status set_property(PropertyStore& store, const typename Descriptor::Value& value) {
  using Value = typename Descriptor::Value;
  if constexpr (std::is_same_v<Value, bool>) {
    return store.set_bool(Descriptor::kPath, value);
  } else if constexpr (std::is_same_v<Value, std::int64_t>) {
    return store.set_int(Descriptor::kPath, value);
  } else if constexpr (std::is_same_v<Value, double>) {
    return store.set_double(Descriptor::kPath, value);
  } else if constexpr (std::is_same_v<Value, std::string>) {
    return store.set_text(Descriptor::kPath, value);
  } else if constexpr (detail::is_text_enum<Value>::value) {
    return store.set_text(Descriptor::kPath, wire_text(value));
  } else if constexpr (std::is_enum_v<Value>) {
    return store.set_int(Descriptor::kPath, static_cast<std::int64_t>(value));
  } else {
    return store.set_json(Descriptor::kPath, generated::to_json_string(value));
  }
}

}  // namespace docklink::thing
