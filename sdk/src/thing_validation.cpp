// Validation of inbound values, service calls and property sets against a thing model.
#include <algorithm>
#include <cmath>
#include <string>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "concat.hpp"
#include "docklink/thing/validation.hpp"
#include "json_checks.hpp"
#include "property_set_reply.hpp"

namespace docklink::thing {

using docklink::detail::concat;

namespace {

ValidationResult fail(std::int32_t code, std::string message) { return ValidationResult{code, std::move(message)}; }

ValidationResult invalid(std::string message) { return fail(result_code::kInvalidParameter, std::move(message)); }

const char* json_kind(const rapidjson::Value& value) {
  if (value.IsNull()) return "null";
  if (value.IsBool()) return "bool";
  if (value.IsInt64() || value.IsUint64()) return "integer";
  if (value.IsNumber()) return "number";
  if (value.IsString()) return "string";
  if (value.IsArray()) return "array";
  return "object";
}

std::string format_number(double number) {
  if (std::floor(number) == number && std::fabs(number) < 1e15) return std::to_string(static_cast<long long>(number));
  std::string text = std::to_string(number);
  while (!text.empty() && text.back() == '0') text.pop_back();
  return text;
}

ValidationResult wrong_type(const TypeSpec& spec, const rapidjson::Value& value, std::string_view where) {
  return invalid(concat({"wrong type at '", where, "': expected ", to_string(spec.type), ", got ", json_kind(value)}));
}

ValidationResult check_range(const TypeSpec& spec, const rapidjson::Value& value, std::string_view where) {
  const double number = value.GetDouble();
  if ((spec.has_min && number < spec.min) || (spec.has_max && number > spec.max)) {
    return invalid(concat({"out of range at '", where, "': ", format_number(number), " is not in [",
                           spec.has_min ? format_number(spec.min) : "-inf", ", ",
                           spec.has_max ? format_number(spec.max) : "inf", "]"}));
  }
  return {};
}

bool is_integral(const rapidjson::Value& value) { return value.IsInt64() || value.IsUint64(); }

ValidationResult check_enum(const TypeSpec& spec, const rapidjson::Value& value, std::string_view where) {
  if (spec.text_enum) {
    if (!value.IsString())
      return invalid(concat({"wrong type at '", where, "': expected enum string, got ", json_kind(value)}));
    const std::string_view text(value.GetString(), value.GetStringLength());
    if (std::find(spec.text_values.begin(), spec.text_values.end(), text) == spec.text_values.end()) {
      return invalid(concat({"not in enum at '", where, "': \"", text, "\""}));
    }
    return {};
  }
  if (!value.IsInt64())
    return invalid(concat({"wrong type at '", where, "': expected enum integer, got ", json_kind(value)}));
  const std::int64_t number = value.GetInt64();
  if (std::find(spec.int_values.begin(), spec.int_values.end(), number) == spec.int_values.end()) {
    return invalid(concat({"not in enum at '", where, "': ", std::to_string(number)}));
  }
  return {};
}

ValidationResult check_struct(const TypeSpec& spec, const rapidjson::Value& value, const std::string& where) {
  if (!value.IsObject()) return wrong_type(spec, value, where);
  for (const std::string& name : spec.required) {
    if (!value.HasMember(name.c_str())) return invalid(concat({"missing required field '", where, ".", name, "'"}));
  }
  for (const auto& member : value.GetObject()) {
    const std::string_view name(member.name.GetString(), member.name.GetStringLength());
    const TypeSpec* field = spec.find_field(name);
    if (field == nullptr) {
      if (spec.closed) return invalid(concat({"unknown field '", where, ".", name, "'"}));
      continue;  // open structs ignore unknown fields (docs/protocol.md#tolerance)
    }
    ValidationResult result = validate_value(*field, member.value, concat({where, ".", name}));
    if (!result.ok()) return result;
  }
  return {};
}

ValidationResult check_array(const TypeSpec& spec, const rapidjson::Value& value, const std::string& where) {
  if (!value.IsArray()) return wrong_type(spec, value, where);
  if (value.Size() > spec.max_items) {
    return invalid(concat(
        {"too many items at '", where, "': ", std::to_string(value.Size()), " > ", std::to_string(spec.max_items)}));
  }
  const TypeSpec* element = spec.element_type();
  if (element == nullptr) return {};
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    ValidationResult result = validate_value(*element, value[i], concat({where, "[", std::to_string(i), "]"}));
    if (!result.ok()) return result;
  }
  return {};
}

// Walks a property-set value down to its leaves, appending one result per leaf.
void check_set_leaves(const TypeSpec& spec, const rapidjson::Value& value, Access inherited,
                      std::vector<std::string>& path, PropertySetResults& out) {
  const Access access = spec.access == Access::kInherit ? inherited : spec.access;
  if (spec.type == ValueType::kStruct && value.IsObject() && value.MemberCount() > 0) {
    for (const auto& member : value.GetObject()) {
      path.emplace_back(member.name.GetString(), member.name.GetStringLength());
      const TypeSpec* field = spec.find_field(path.back());
      if (field == nullptr) {
        out.push_back({path, result_code::kInvalidParameter, concat({"unknown field '", path.back(), "'"})});
      } else {
        check_set_leaves(*field, member.value, access, path, out);
      }
      path.pop_back();
    }
    return;
  }
  std::string where;
  for (const std::string& part : path) where.append(where.empty() ? "" : ".").append(part);
  if (access != Access::kReadWrite) {
    out.push_back({path, kPropertyReadOnly, concat({"property '", where, "' is read-only"})});
    return;
  }
  if (spec.type == ValueType::kStruct && value.IsObject()) {
    out.push_back({path, result_code::kInvalidParameter, concat({"empty object for '", where, "'"})});
    return;
  }
  ValidationResult result = validate_value(spec, value, where);
  out.push_back({path, result.code, std::move(result.message)});
}

const TypeSpec* walk_to_leaf(const ThingModel& model, std::string_view path, Access& access, std::string& error) {
  const std::size_t dot = path.find('.');
  const std::string_view name = path.substr(0, dot);
  const PropertyDef* property = model.property(name);
  if (property == nullptr) {
    error = concat({"unknown property '", name, "'"});
    return nullptr;
  }
  access = property->access;
  const TypeSpec* spec = &property->type;
  std::string_view rest = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  while (!rest.empty()) {
    const std::size_t next = rest.find('.');
    const std::string_view field_name = rest.substr(0, next);
    const TypeSpec* field = spec->type == ValueType::kStruct ? spec->find_field(field_name) : nullptr;
    if (field == nullptr) {
      error = concat({"unknown field '", field_name, "' in '", path, "'"});
      return nullptr;
    }
    spec = field;
    if (spec->access != Access::kInherit) access = spec->access;
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
  }
  return spec;
}

}  // namespace

ValidationResult validate_value(const TypeSpec& spec, const rapidjson::Value& value, std::string_view where) {
  switch (spec.type) {
    case ValueType::kInt:
      if (!is_integral(value)) return wrong_type(spec, value, where);
      return check_range(spec, value, where);
    case ValueType::kFloat:
    case ValueType::kDouble:
      if (!value.IsNumber()) return wrong_type(spec, value, where);
      // RapidJSON reads e.g. 9e308 as +inf: no range admits it and no JSON writer could send it back.
      if (!std::isfinite(value.GetDouble())) return invalid(concat({"not a finite number at '", where, "'"}));
      return check_range(spec, value, where);
    case ValueType::kBool:
      // docs/protocol.md#quirk-booleans: booleans travel as true/false and as 0/1.
      if (value.IsBool() || (value.IsInt64() && (value.GetInt64() == 0 || value.GetInt64() == 1))) return {};
      return wrong_type(spec, value, where);
    case ValueType::kEnum:
      return check_enum(spec, value, where);
    case ValueType::kText:
      if (!value.IsString()) return wrong_type(spec, value, where);
      if (value.GetStringLength() > spec.max_length) {
        return invalid(concat({"text too long at '", where, "': ", std::to_string(value.GetStringLength()), " > ",
                               std::to_string(spec.max_length), " bytes"}));
      }
      return {};
    case ValueType::kStruct:
      return check_struct(spec, value, std::string(where));
    case ValueType::kArray:
      return check_array(spec, value, std::string(where));
  }
  return {};
}

ValidationResult validate_service(const ThingModel& model, std::string_view method, const rapidjson::Value& data) {
  const ServiceDef* service = model.service(method);
  if (service == nullptr) {
    return invalid(concat({"unknown method '", method, "' for ", model.model_key()}));
  }
  // docs/protocol.md#tolerance: parameterless calls arrive with {}, "" or null.
  const bool empty = data.IsNull() || (data.IsString() && data.GetStringLength() == 0);
  if (!service->has_params) {
    if (empty || data.IsObject()) return {};
    return invalid(concat({"wrong type at 'data': ", method, " takes no parameters, got ", json_kind(data)}));
  }
  if (empty) {
    const rapidjson::Value no_fields(rapidjson::kObjectType);
    return validate_value(service->params, no_fields, "data");
  }
  return validate_value(service->params, data, "data");
}

ValidationResult validate_property_set(const std::vector<const ThingModel*>& models, const rapidjson::Value& data,
                                       PropertySetResults& out) {
  out.clear();
  if (!data.IsObject() || data.MemberCount() == 0) {
    return invalid(concat({"property set data must be a non-empty object, got ", json_kind(data)}));
  }
  // A name given twice leaves no single value to write (RapidJSON keeps both), so the set fails as a whole.
  if (docklink::detail::has_repeated_member(data)) return invalid("property set data names a member twice");
  std::vector<std::string> path;
  for (const auto& member : data.GetObject()) {
    path.assign(1, std::string(member.name.GetString(), member.name.GetStringLength()));
    const PropertyDef* property = nullptr;
    for (const ThingModel* model : models) {
      if (model != nullptr && (property = model->property(path.front())) != nullptr) break;
    }
    if (property == nullptr) {
      out.push_back({path, result_code::kInvalidParameter, concat({"unknown property '", path.front(), "'"})});
      continue;
    }
    check_set_leaves(property->type, member.value, property->access, path, out);
  }
  for (const PropertySetResult& result : out) {
    if (result.code != result_code::kSuccess) return fail(result.code, result.message);
  }
  return {};
}

ValidationResult validate_property_set(const ThingModel& model, const rapidjson::Value& data, PropertySetResults& out) {
  return validate_property_set(std::vector<const ThingModel*>{&model}, data, out);
}

ValidationResult validate_property_write(const ThingModel& model, std::string_view path,
                                         const rapidjson::Value& value) {
  Access access = Access::kRead;
  std::string error;
  const TypeSpec* spec = walk_to_leaf(model, path, access, error);
  if (spec == nullptr) return invalid(error);
  if (access != Access::kReadWrite) return fail(kPropertyReadOnly, concat({"property '", path, "' is read-only"}));
  return validate_value(*spec, value, path);
}

bool compose_property_set_reply(const PropertySetResults& results, std::string& out_json) {
  // The paths own their names and outlive the builder, which keeps views of them.
  docklink::detail::PropertySetReply reply;
  std::vector<std::string_view> path;
  bool all_placed = true;
  for (const PropertySetResult& result : results) {
    path.assign(result.path.begin(), result.path.end());
    all_placed = reply.add(path, result.code) && all_placed;
  }
  reply.write(out_json);
  return all_placed;
}

}  // namespace docklink::thing
