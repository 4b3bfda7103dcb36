// Typed property setters: the setter receives the value of a property/set leaf decoded into its C++ type (an
// integer, number, bool or text, or a generated enum or struct, docklink/generated/...) instead of raw JSON, e.g.
// on_property_set<std::int64_t>(client, "height_limit", setter), or named by the property's generated descriptor
// (docklink/generated/<product>_properties.hpp), which knows the path and the type:
// on_property_set<generated::m3d::Properties::HeightLimit>(client, setter).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "docklink/client.hpp"
#include "docklink/generated/json_support.hpp"
#include "docklink/result_codes.hpp"

namespace docklink {

/// The setter of a typed property: the decoded value; returns the property's result (result_code::kSuccess, or
/// the code the property/set reply carries for it, as a PropertySetter does).
template <class Value>
using TypedPropertySetter = std::function<std::int32_t(const Value& value)>;

/// Registers `setter` for the property at `path` ("prop" or "prop.field", as Client::on_property_set). The value is
/// decoded into `Value` first (the generated from_json of an enum or struct, found by argument-dependent lookup, or
/// the primitive ones of docklink/generated/json_support.hpp: std::int64_t, double, bool taking true/false and 0/1,
/// std::string); a value that does not decode is answered 325001 and the setter does not run. With a
/// ModelInboundValidator the value was checked against the thing model (range, enum values) before that.
template <class Value>
void on_property_set(Client& client, std::string path, TypedPropertySetter<Value> setter) {
  client.on_property_set(std::move(path), [setter = std::move(setter)](const rapidjson::Value& json) {
    using generated::from_json;
    Value value{};
    std::string error;
    if (!from_json(json, value, &error)) return result_code::kInvalidParameter;
    return setter(value);
  });
}

/// Registers `setter` for the property a generated descriptor names (e.g. generated::dock2::Properties::SilentMode
/// or the field descriptor generated::m3d::Properties::ObstacleAvoidance::Horizon, from
/// docklink/generated/dock2_properties.hpp, m3d_properties.hpp, ...): its path is Descriptor::kPath and its value
/// is decoded into Descriptor::Value, as the overload above does. A descriptor of a read-only property does not
/// compile.
template <class Descriptor>
void on_property_set(Client& client, TypedPropertySetter<typename Descriptor::Value> setter) {
  static_assert(Descriptor::kWritable, "the thing model makes this property read-only (access \"r\")");
  on_property_set<typename Descriptor::Value>(client, Descriptor::kPath, std::move(setter));
}

}  // namespace docklink
