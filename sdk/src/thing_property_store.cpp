// PropertyStore: current values of one device, OSD snapshots by group and state diffing by group.
#include <string>
#include <utility>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "concat.hpp"
#include "docklink/thing/property_store.hpp"
#include "docklink/thing/validation.hpp"
#include "json_parse.hpp"

namespace docklink::thing {

using docklink::detail::concat;

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = path.find('.', start);
    const std::size_t end = dot == std::string_view::npos ? path.size() : dot;
    parts.push_back(path.substr(start, end - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

// A non-owning JSON string for member lookups. It must be a Value: a bare StringRef converts implicitly to
// `const char*`, and FindMember would then read up to a NUL past the view.
rapidjson::Value ref(std::string_view text) {
  return rapidjson::Value(rapidjson::StringRef(text.data(), static_cast<rapidjson::SizeType>(text.size())));
}

// Finds the schema of `path`; on failure returns nullptr and fills `status`.
const TypeSpec* spec_at(const ThingModel& model, const std::vector<std::string_view>& parts,
                        const PropertyDef** property, Status& status) {
  *property = model.property(parts.front());
  if (*property == nullptr) {
    status = Status(StatusCode::kNotFound, concat({"unknown property '", parts.front(), "'"}));
    return nullptr;
  }
  const TypeSpec* spec = &(*property)->type;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    spec = spec->type == ValueType::kStruct ? spec->find_field(parts[i]) : nullptr;
    if (spec == nullptr) {
      status = Status(StatusCode::kNotFound, concat({"unknown field '", parts[i], "' of '", parts.front(), "'"}));
      return nullptr;
    }
  }
  return spec;
}

void collect_leaves(const TypeSpec& spec, const rapidjson::Value& value, const std::string& path,
                    std::vector<std::pair<std::string, const rapidjson::Value*>>& out) {
  if (spec.type == ValueType::kStruct && value.IsObject() && value.MemberCount() > 0) {
    for (const auto& member : value.GetObject()) {
      const std::string child = concat({path, ".", member.name.GetString()});
      const TypeSpec* field = spec.find_field(std::string_view(member.name.GetString(), member.name.GetStringLength()));
      if (field == nullptr) {
        out.emplace_back(child, &member.value);  // set() reports the unknown field
      } else {
        collect_leaves(*field, member.value, child, out);
      }
    }
    return;
  }
  out.emplace_back(path, &value);
}

// A deep copy that owns every string. rapidjson's own copy keeps constant-string references (StringRef) as
// pointers, which would dangle once the caller's buffer is gone.
rapidjson::Value owned_copy(const rapidjson::Value& value, rapidjson::Document::AllocatorType& allocator) {
  if (value.IsString()) return rapidjson::Value(value.GetString(), value.GetStringLength(), allocator);
  if (value.IsArray()) {
    rapidjson::Value array(rapidjson::kArrayType);
    array.Reserve(value.Size(), allocator);
    for (const auto& element : value.GetArray()) array.PushBack(owned_copy(element, allocator), allocator);
    return array;
  }
  if (value.IsObject()) {
    rapidjson::Value object(rapidjson::kObjectType);
    for (const auto& member : value.GetObject()) {
      object.AddMember(rapidjson::Value(member.name.GetString(), member.name.GetStringLength(), allocator),
                       owned_copy(member.value, allocator), allocator);
    }
    return object;
  }
  return rapidjson::Value(value, allocator);  // numbers, booleans, null
}

// docs/protocol.md#quirk-booleans: true when `value` holds a JSON true/false where the model says the device sends
// the boolean as 0/1 (TypeSpec::int_wire).
bool has_bool_sent_as_int(const TypeSpec& spec, const rapidjson::Value& value) {
  if (spec.type == ValueType::kBool) return spec.int_wire && value.IsBool();
  if (spec.type == ValueType::kStruct && value.IsObject()) {
    for (const auto& member : value.GetObject()) {
      const TypeSpec* field = spec.find_field(std::string_view(member.name.GetString(), member.name.GetStringLength()));
      if (field != nullptr && has_bool_sent_as_int(*field, member.value)) return true;
    }
  }
  if (spec.type == ValueType::kArray && value.IsArray() && spec.element_type() != nullptr) {
    for (const auto& element : value.GetArray()) {
      if (has_bool_sent_as_int(*spec.element_type(), element)) return true;
    }
  }
  return false;
}

// An owned copy of `value` in which every boolean the model sends as 0/1 is that integer.
rapidjson::Value with_int_booleans(const TypeSpec& spec, const rapidjson::Value& value,
                                   rapidjson::Document::AllocatorType& allocator) {
  if (spec.type == ValueType::kBool && spec.int_wire && value.IsBool())
    return rapidjson::Value(value.GetBool() ? 1 : 0);
  if (spec.type == ValueType::kStruct && value.IsObject()) {
    rapidjson::Value object(rapidjson::kObjectType);
    for (const auto& member : value.GetObject()) {
      const TypeSpec* field = spec.find_field(std::string_view(member.name.GetString(), member.name.GetStringLength()));
      object.AddMember(
          rapidjson::Value(member.name.GetString(), member.name.GetStringLength(), allocator),
          field == nullptr ? owned_copy(member.value, allocator) : with_int_booleans(*field, member.value, allocator),
          allocator);
    }
    return object;
  }
  if (spec.type == ValueType::kArray && value.IsArray() && spec.element_type() != nullptr) {
    rapidjson::Value array(rapidjson::kArrayType);
    array.Reserve(value.Size(), allocator);
    for (const auto& element : value.GetArray()) {
      array.PushBack(with_int_booleans(*spec.element_type(), element, allocator), allocator);
    }
    return array;
  }
  return owned_copy(value, allocator);
}

std::string to_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

PropertyStore::PropertyStore(std::shared_ptr<const ThingModel> model) : model_(std::move(model)) {
  values_.SetObject();
}

Status PropertyStore::set(std::string_view path, const rapidjson::Value& value) {
  const std::lock_guard<std::mutex> lock(mutex_);
  return set_locked(path, value);
}

Status PropertyStore::set_locked(std::string_view path, const rapidjson::Value& value) {
  const std::vector<std::string_view> parts = split_path(path);
  const PropertyDef* property = nullptr;
  Status status;
  const TypeSpec* spec = spec_at(*model_, parts, &property, status);
  if (spec == nullptr) return status;
  const ValidationResult check = validate_value(*spec, value, path);
  if (!check.ok()) return Status(StatusCode::kInvalidArgument, check.message);
  // Kept as it is sent (docs/protocol.md#quirk-booleans), so that the unchanged check below compares like with like.
  rapidjson::Document::AllocatorType scratch;
  rapidjson::Value as_sent;
  const rapidjson::Value* stored = &value;
  if (has_bool_sent_as_int(*spec, value)) {
    as_sent = with_int_booleans(*spec, value, scratch);
    stored = &as_sent;
  }

  auto& allocator = values_.GetAllocator();
  rapidjson::Value* node = &values_;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    auto found = node->FindMember(ref(parts[i]));
    if (found == node->MemberEnd()) {
      node->AddMember(rapidjson::Value(parts[i].data(), static_cast<rapidjson::SizeType>(parts[i].size()), allocator),
                      rapidjson::Value(rapidjson::kObjectType), allocator);
      found = node->FindMember(ref(parts[i]));
    } else if (!found->value.IsObject()) {
      found->value.SetObject();
    }
    node = &found->value;
  }
  const std::string_view leaf = parts.back();
  const auto existing = node->FindMember(ref(leaf));
  if (existing != node->MemberEnd()) {
    if (existing->value == *stored) return Status::ok();  // unchanged: no state message needed
    existing->value = owned_copy(*stored, allocator);
  } else {
    node->AddMember(rapidjson::Value(leaf.data(), static_cast<rapidjson::SizeType>(leaf.size()), allocator),
                    owned_copy(*stored, allocator), allocator);
  }
  if (property->push == PushMode::kState) changed_groups_.insert(property->state_group);
  return Status::ok();
}

Status PropertyStore::set_int(std::string_view path, std::int64_t value) {
  return set(path, rapidjson::Value(static_cast<int64_t>(value)));
}

Status PropertyStore::set_double(std::string_view path, double value) { return set(path, rapidjson::Value(value)); }

Status PropertyStore::set_bool(std::string_view path, bool value) { return set(path, rapidjson::Value(value)); }

Status PropertyStore::set_text(std::string_view path, std::string_view value) {
  return set(path, ref(value));  // the store copies strings it keeps
}

Status PropertyStore::set_json(std::string_view path, std::string_view json) {
  docklink::detail::JsonDocument document;
  const rapidjson::ParseResult parsed = docklink::detail::parse_json(json, document);
  if (parsed.IsError()) {
    return Status(StatusCode::kInvalidArgument,
                  std::string("value is not valid JSON: ") + rapidjson::GetParseError_En(parsed.Code()));
  }
  return set(path, document);
}

Status PropertyStore::apply(const rapidjson::Value& data) {
  if (!data.IsObject()) return Status(StatusCode::kInvalidArgument, "property data must be an object");
  std::vector<std::pair<std::string, const rapidjson::Value*>> leaves;
  for (const auto& member : data.GetObject()) {
    const PropertyDef* property =
        model_->property(std::string_view(member.name.GetString(), member.name.GetStringLength()));
    if (property == nullptr) {
      return Status(StatusCode::kNotFound, concat({"unknown property '", member.name.GetString(), "'"}));
    }
    collect_leaves(property->type, member.value, member.name.GetString(), leaves);
  }
  const std::lock_guard<std::mutex> lock(mutex_);
  // All or nothing: check every leaf before writing any.
  for (const auto& [path, value] : leaves) {
    const PropertyDef* property = nullptr;
    Status status;
    const TypeSpec* spec = spec_at(*model_, split_path(path), &property, status);
    if (spec == nullptr) return status;
    const ValidationResult check = validate_value(*spec, *value, path);
    if (!check.ok()) return Status(StatusCode::kInvalidArgument, check.message);
  }
  for (const auto& [path, value] : leaves) {
    const Status status = set_locked(path, *value);
    if (!status) return status;
  }
  return Status::ok();
}

Result<std::string> PropertyStore::get_json(std::string_view path) const {
  const std::lock_guard<std::mutex> lock(mutex_);
  const rapidjson::Value* node = &values_;
  for (const std::string_view part : split_path(path)) {
    if (!node->IsObject()) return Status(StatusCode::kNotFound, concat({"no value at ", path}));
    const auto found = node->FindMember(ref(part));
    if (found == node->MemberEnd()) return Status(StatusCode::kNotFound, concat({"no value at ", path}));
    node = &found->value;
  }
  return to_json(*node);
}

bool PropertyStore::has(std::string_view path) const { return get_json(path).is_ok(); }

Result<int> PropertyStore::compose_osd(int group, std::string& out_json) const {
  if (group != kAllOsdGroups && (group < 0 || group >= model_->osd_group_count())) {
    return Status(StatusCode::kInvalidArgument,
                  concat({"OSD group ", std::to_string(group), " does not exist; ", model_->model_key(), " has ",
                          std::to_string(model_->osd_group_count())}));
  }
  const std::lock_guard<std::mutex> lock(mutex_);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  int written = 0;
  for (const auto& [name, property] : model_->properties()) {
    if (property.push != PushMode::kOsd || (group != kAllOsdGroups && property.osd_group != group)) continue;
    const auto value = values_.FindMember(ref(name));
    if (value == values_.MemberEnd()) continue;
    writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    value->value.Accept(writer);
    ++written;
  }
  writer.EndObject();
  out_json.assign(buffer.GetString(), buffer.GetSize());
  return written;
}

std::string PropertyStore::compose_group(const std::string& group) const {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  for (const auto& [name, property] : model_->properties()) {
    if (property.push != PushMode::kState || property.state_group != group) continue;
    const auto value = values_.FindMember(ref(name));
    if (value == values_.MemberEnd()) continue;
    writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    value->value.Accept(writer);
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::vector<StateGroupUpdate> PropertyStore::take_changed_state_groups() {
  const std::lock_guard<std::mutex> lock(mutex_);
  std::vector<StateGroupUpdate> updates;
  updates.reserve(changed_groups_.size());
  for (const std::string& group : changed_groups_) updates.push_back({group, compose_group(group)});
  changed_groups_.clear();
  return updates;
}

void PropertyStore::mark_all_state_groups_changed() {
  const std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [name, property] : model_->properties()) {
    if (property.push == PushMode::kState && values_.HasMember(ref(name))) changed_groups_.insert(property.state_group);
  }
}

Status PropertyStore::mark_state_group_changed(std::string_view path) {
  const std::vector<std::string_view> parts = split_path(path);
  const PropertyDef* property = model_->property(parts.front());
  if (property == nullptr) return Status(StatusCode::kNotFound, concat({"unknown property '", parts.front(), "'"}));
  if (property->push != PushMode::kState) {
    return Status(StatusCode::kInvalidArgument, concat({"'", parts.front(), "' is not a state property"}));
  }
  const std::lock_guard<std::mutex> lock(mutex_);
  if (!values_.HasMember(ref(parts.front()))) {
    return Status(StatusCode::kNotFound, concat({"no value at ", parts.front()}));
  }
  changed_groups_.insert(property->state_group);
  return Status::ok();
}

}  // namespace docklink::thing
