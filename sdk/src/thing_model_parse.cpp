// ThingModel::parse: turns a resolved model (JSON) into lookup tables of TypeSpecs.
#include <cerrno>
#include <cstdlib>
#include <string>
#include <utility>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "concat.hpp"
#include "docklink/thing/thing_model.hpp"
#include "json_parse.hpp"

namespace docklink::thing {

using docklink::detail::concat;

namespace {

// Refs may point at refs; a bound keeps a malformed model from recursing without end.
constexpr int kMaxSpecDepth = 32;

// Views, not strings: most callers pass literals, which would otherwise each build and free a temporary string.
Status invalid(std::string_view where, std::string_view what) {
  std::string message(where);
  message.append(": ").append(what);
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

bool parse_value_type(std::string_view name, ValueType& out) {
  static constexpr std::pair<std::string_view, ValueType> kNames[] = {
      {"int", ValueType::kInt},       {"float", ValueType::kFloat}, {"double", ValueType::kDouble},
      {"bool", ValueType::kBool},     {"enum", ValueType::kEnum},   {"text", ValueType::kText},
      {"struct", ValueType::kStruct}, {"array", ValueType::kArray}};
  for (const auto& [text, type] : kNames) {
    if (text == name) {
      out = type;
      return true;
    }
  }
  return false;
}

bool parse_int_key(const std::string& text, std::int64_t& out) {
  if (text.empty()) return false;
  errno = 0;
  char* end = nullptr;
  const long long parsed = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || end != text.c_str() + text.size()) return false;
  out = static_cast<std::int64_t>(parsed);
  return true;
}

std::string_view view(const rapidjson::Value& string_value) {
  return std::string_view(string_value.GetString(), string_value.GetStringLength());
}

}  // namespace

/// Builds a ThingModel from a resolved model document (friend of ThingModel).
class ModelParser {
 public:
  explicit ModelParser(const rapidjson::Value& root) : root_(root) {
    const auto types = root.FindMember("types");
    if (types != root.MemberEnd() && types->value.IsObject()) types_ = &types->value;
  }

  Status parse(ThingModel& model) {
    if (root_.HasMember("extends"))
      return invalid("model", "still has extends; resolve it first (load_embedded, load_file)");
    Status status = read_header(model);
    if (!status) return status;
    if (!(status = read_properties(model))) return status;
    if (!(status = read_services(model))) return status;
    if (!(status = read_events(model))) return status;
    if (!(status = read_requests(model))) return status;
    if (!(status = read_drc_section("drc_down", true, model.drc_down_))) return status;
    if (!(status = read_drc_section("drc_up", false, model.drc_up_))) return status;
    return read_drc_timeout(model);
  }

 private:
  const rapidjson::Value* section(const char* name, Status& status) const {
    const auto member = root_.FindMember(name);
    if (member == root_.MemberEnd()) return nullptr;
    if (!member->value.IsObject()) status = invalid(name, "must be an object");
    return member->value.IsObject() ? &member->value : nullptr;
  }

  Status read_header(ThingModel& model) {
    const auto key = root_.FindMember("model_key");
    if (key == root_.MemberEnd() || !key->value.IsString()) return invalid("model", "model_key missing");
    model.model_key_ = key->value.GetString();
    const auto kind = root_.FindMember("kind");
    if (kind == root_.MemberEnd() || !kind->value.IsString()) return invalid(model.model_key_, "kind missing");
    const std::string_view kind_text = view(kind->value);
    if (kind_text != "dock" && kind_text != "aircraft")
      return invalid(model.model_key_, "kind must be dock or aircraft");
    model.is_dock_ = kind_text == "dock";
    const auto product = root_.FindMember("product");
    if (product != root_.MemberEnd() && product->value.IsString()) model.product_ = product->value.GetString();
    const auto version = root_.FindMember("thing_version");
    if (version != root_.MemberEnd() && version->value.IsString()) model.thing_version_ = version->value.GetString();
    const auto groups = root_.FindMember("osd_groups");
    if (groups != root_.MemberEnd()) {
      if (!groups->value.IsInt() || groups->value.GetInt() < 1)
        return invalid(model.model_key_, "osd_groups must be >= 1");
      model.osd_group_count_ = groups->value.GetInt();
    }
    where_prefix_ = model.model_key_ + " ";
    return Status::ok();
  }

  Status read_access(const rapidjson::Value& json, const std::string& where, Access& out) const {
    const auto access = json.FindMember("access");
    if (access == json.MemberEnd()) return Status::ok();
    if (!access->value.IsString()) return invalid(where, "access must be a string");
    const std::string_view text = view(access->value);
    if (text == "r") {
      out = Access::kRead;
    } else if (text == "rw") {
      out = Access::kReadWrite;
    } else {
      return invalid(where, "access must be r or rw");
    }
    return Status::ok();
  }

  Status read_bound(const rapidjson::Value& json, const char* key, const std::string& where, bool& has,
                    double& out) const {
    const auto member = json.FindMember(key);
    if (member == json.MemberEnd()) return Status::ok();
    if (!member->value.IsNumber()) return invalid(where, concat({key, " must be a number"}));
    has = true;
    out = member->value.GetDouble();
    return Status::ok();
  }

  Status read_size(const rapidjson::Value& json, const char* key, const std::string& where, std::size_t& out) const {
    const auto member = json.FindMember(key);
    if (member == json.MemberEnd()) return Status::ok();
    if (!member->value.IsUint()) return invalid(where, concat({key, " must be a non-negative integer"}));
    out = member->value.GetUint();
    return Status::ok();
  }

  Status read_enum_values(const rapidjson::Value& json, const std::string& where, TypeSpec& out) const {
    const auto value_type = json.FindMember("value_type");
    if (value_type != json.MemberEnd()) {
      if (!value_type->value.IsString()) return invalid(where, "value_type must be a string");
      out.text_enum = view(value_type->value) == "text";
    }
    const auto values = json.FindMember("values");
    if (values == json.MemberEnd() || !values->value.IsObject() || values->value.MemberCount() == 0) {
      return invalid(where, "enum needs a non-empty values object");
    }
    for (const auto& entry : values->value.GetObject()) {
      const std::string key(entry.name.GetString(), entry.name.GetStringLength());
      if (out.text_enum) {
        out.text_values.push_back(key);
        continue;
      }
      std::int64_t number = 0;
      if (!parse_int_key(key, number)) return invalid(where, concat({"enum key '", key, "' is not an integer"}));
      out.int_values.push_back(number);
    }
    return Status::ok();
  }

  // "wire": how a device sends the boolean, "bool" (true/false, the default) or "int" (0/1).
  Status read_bool_wire(const rapidjson::Value& json, const std::string& where, TypeSpec& out) const {
    const auto wire = json.FindMember("wire");
    if (wire == json.MemberEnd()) return Status::ok();
    const std::string_view text = wire->value.IsString() ? view(wire->value) : std::string_view();
    if (text != "bool" && text != "int") return invalid(where, "wire must be bool or int");
    out.int_wire = text == "int";
    return Status::ok();
  }

  Status read_struct(const rapidjson::Value& json, const std::string& where, int depth, TypeSpec& out) const {
    const auto fields = json.FindMember("fields");
    if (fields == json.MemberEnd() || !fields->value.IsObject()) return invalid(where, "struct needs a fields object");
    for (const auto& entry : fields->value.GetObject()) {
      TypeSpec field;
      field.name.assign(entry.name.GetString(), entry.name.GetStringLength());
      const Status status = read_spec(entry.value, concat({where, ".", field.name}), depth + 1, field);
      if (!status) return status;
      out.fields.push_back(std::move(field));
    }
    const auto required = json.FindMember("required");
    if (required != json.MemberEnd()) {
      if (!required->value.IsArray()) return invalid(where, "required must be an array");
      for (const auto& name : required->value.GetArray()) {
        if (!name.IsString()) return invalid(where, "required names must be strings");
        if (out.find_field(view(name)) == nullptr) {
          return invalid(where, concat({"required field '", name.GetString(), "' is not declared"}));
        }
        out.required.emplace_back(name.GetString(), name.GetStringLength());
      }
    }
    const auto closed = json.FindMember("closed");
    if (closed != json.MemberEnd()) {
      if (!closed->value.IsBool()) return invalid(where, "closed must be a boolean");
      out.closed = closed->value.GetBool();
    }
    return Status::ok();
  }

  Status read_spec(const rapidjson::Value& json, const std::string& where, int depth, TypeSpec& out) const {
    if (depth > kMaxSpecDepth) return invalid(where, "type specs nested too deeply (ref cycle?)");
    if (!json.IsObject()) return invalid(where, "type spec must be an object");
    const auto ref = json.FindMember("ref");
    if (ref != json.MemberEnd()) {
      if (!ref->value.IsString()) return invalid(where, "ref must be a string");
      const auto target = types_ == nullptr ? json.MemberEnd() : types_->FindMember(ref->value);
      if (types_ == nullptr || target == types_->MemberEnd()) {
        return invalid(where, concat({"ref '", ref->value.GetString(), "' is not a type"}));
      }
      std::string name = std::move(out.name);
      Status status = read_spec(target->value, where, depth + 1, out);
      out.name = std::move(name);
      if (!status) return status;
      return read_access(json, where, out.access);  // the referencing spec may restate access
    }
    const auto type = json.FindMember("type");
    if (type == json.MemberEnd() || !type->value.IsString()) return invalid(where, "needs type or ref");
    if (!parse_value_type(view(type->value), out.type)) {
      return invalid(where, concat({"unknown type '", type->value.GetString(), "'"}));
    }
    const auto unit = json.FindMember("unit");
    if (unit != json.MemberEnd() && unit->value.IsString()) out.unit = unit->value.GetString();
    Status status = read_access(json, where, out.access);
    if (!status) return status;
    switch (out.type) {
      case ValueType::kInt:
      case ValueType::kFloat:
      case ValueType::kDouble:
        if (!(status = read_bound(json, "min", where, out.has_min, out.min))) return status;
        return read_bound(json, "max", where, out.has_max, out.max);
      case ValueType::kEnum:
        return read_enum_values(json, where, out);
      case ValueType::kText:
        return read_size(json, "max_length", where, out.max_length);
      case ValueType::kStruct:
        return read_struct(json, where, depth, out);
      case ValueType::kArray: {
        const auto element = json.FindMember("element");
        if (element == json.MemberEnd()) return invalid(where, "array needs an element");
        TypeSpec element_spec;
        if (!(status = read_spec(element->value, concat({where, "[]"}), depth + 1, element_spec))) return status;
        out.element.push_back(std::move(element_spec));
        return read_size(json, "max_items", where, out.max_items);
      }
      case ValueType::kBool:
        return read_bool_wire(json, where, out);
    }
    return Status::ok();
  }

  Status read_properties(ThingModel& model) const {
    Status status;
    const rapidjson::Value* properties = section("properties", status);
    if (properties == nullptr) return status;
    for (const auto& entry : properties->GetObject()) {
      PropertyDef def;
      def.name.assign(entry.name.GetString(), entry.name.GetStringLength());
      const std::string where = concat({where_prefix_, "properties.", def.name});
      const rapidjson::Value& json = entry.value;
      if (!(status = read_spec(json, where, 0, def.type))) return status;
      if (!(status = read_access(json, where, def.access))) return status;
      if (def.access == Access::kInherit) def.access = Access::kRead;
      def.type.access = def.access;
      const auto push = json.FindMember("push");
      if (push == json.MemberEnd() || !push->value.IsString()) return invalid(where, "push missing");
      if (view(push->value) == "osd") {
        def.push = PushMode::kOsd;
        const auto group = json.FindMember("osd_group");
        if (group != json.MemberEnd()) {
          if (!group->value.IsInt()) return invalid(where, "osd_group must be an integer");
          def.osd_group = group->value.GetInt();
        }
        if (def.osd_group < 0 || def.osd_group >= model.osd_group_count_)
          return invalid(where, "osd_group out of range");
      } else if (view(push->value) == "state") {
        def.push = PushMode::kState;
        const auto group = json.FindMember("state_group");
        if (group == json.MemberEnd() || !group->value.IsString())
          return invalid(where, "state property needs state_group");
        def.state_group = group->value.GetString();
      } else {
        return invalid(where, "push must be osd or state");
      }
      model.properties_.emplace(def.name, std::move(def));
    }
    return Status::ok();
  }

  Status read_optional_spec(const rapidjson::Value& json, const char* key, const std::string& where, bool& has,
                            TypeSpec& out) const {
    const auto member = json.FindMember(key);
    if (member == json.MemberEnd()) return Status::ok();
    has = true;
    return read_spec(member->value, concat({where, ".", key}), 0, out);
  }

  Status read_services(ThingModel& model) const {
    Status status;
    const rapidjson::Value* services = section("services", status);
    if (services == nullptr) return status;
    for (const auto& entry : services->GetObject()) {
      ServiceDef def;
      def.method.assign(entry.name.GetString(), entry.name.GetStringLength());
      const std::string where = concat({where_prefix_, "services.", def.method});
      const rapidjson::Value& json = entry.value;
      if (!json.IsObject()) return invalid(where, "must be an object");
      const auto kind = json.FindMember("kind");
      if (kind == json.MemberEnd() || !kind->value.IsString()) return invalid(where, "kind missing");
      def.is_job = view(kind->value) == "job";
      if (!def.is_job && view(kind->value) != "cmd") return invalid(where, "kind must be cmd or job");
      if (!(status = read_optional_spec(json, "params", where, def.has_params, def.params))) return status;
      if (def.has_params && def.params.type != ValueType::kStruct) return invalid(where, "params must be a struct");
      if (!(status = read_optional_spec(json, "reply", where, def.has_reply, def.reply))) return status;
      if (def.is_job) {
        def.progress_event = def.method;
        const auto progress = json.FindMember("progress_event");
        if (progress != json.MemberEnd() && progress->value.IsString())
          def.progress_event = progress->value.GetString();
      }
      const auto steps = json.FindMember("step_keys");
      if (steps != json.MemberEnd() && steps->value.IsArray()) {
        for (const auto& step : steps->value.GetArray()) {
          if (step.IsString()) def.step_keys.emplace_back(step.GetString(), step.GetStringLength());
        }
      }
      model.services_.emplace(def.method, std::move(def));
    }
    return Status::ok();
  }

  Status read_events(ThingModel& model) const {
    Status status;
    const rapidjson::Value* events = section("events", status);
    if (events == nullptr) return status;
    for (const auto& entry : events->GetObject()) {
      EventDef def;
      def.method.assign(entry.name.GetString(), entry.name.GetStringLength());
      const std::string where = concat({where_prefix_, "events.", def.method});
      const rapidjson::Value& json = entry.value;
      if (!json.IsObject()) return invalid(where, "must be an object");
      const auto need_reply = json.FindMember("need_reply");
      if (need_reply != json.MemberEnd()) {
        def.need_reply = need_reply->value.IsBool() ? need_reply->value.GetBool()
                                                    : (need_reply->value.IsInt() && need_reply->value.GetInt() == 1);
      }
      bool has_data = false;
      if (!(status = read_optional_spec(json, "data", where, has_data, def.data))) return status;
      if (!has_data) return invalid(where, "data missing");
      model.events_.emplace(def.method, std::move(def));
    }
    return Status::ok();
  }

  Status read_requests(ThingModel& model) const {
    Status status;
    const rapidjson::Value* requests = section("requests", status);
    if (requests == nullptr) return status;
    for (const auto& entry : requests->GetObject()) {
      RequestDef def;
      def.method.assign(entry.name.GetString(), entry.name.GetStringLength());
      const std::string where = concat({where_prefix_, "requests.", def.method});
      if (!entry.value.IsObject()) return invalid(where, "must be an object");
      bool has = false;
      if (!(status = read_optional_spec(entry.value, "params", where, has, def.params))) return status;
      if (!(status = read_optional_spec(entry.value, "reply", where, has, def.reply))) return status;
      model.requests_.emplace(def.method, std::move(def));
    }
    return Status::ok();
  }

  Status read_drc_method(const rapidjson::Value& json, const std::string& where, bool down, DrcMethodDef& def) const {
    if (!json.IsObject()) return invalid(where, "must be an object");
    const auto seq = json.FindMember("seq");
    if (seq != json.MemberEnd()) {
      if (!seq->value.IsString() || (view(seq->value) != "required" && view(seq->value) != "optional"))
        return invalid(where, "seq must be required or optional");
      def.seq_required = view(seq->value) == "required";
    }
    Status status = read_optional_spec(json, "data", where, def.has_data, def.data);
    if (!status) return status;
    if (def.has_data && def.data.type != ValueType::kStruct) return invalid(where, "data must be a struct");
    if (!(status = read_optional_spec(json, "reply", where, def.has_reply, def.reply))) return status;
    if (def.has_reply && !down) return invalid(where, "a drc/up push has no reply");
    if (def.has_reply && def.reply.type != ValueType::kStruct) return invalid(where, "reply must be a struct");
    def.reply_has_result = def.has_reply && def.reply.find_field("result") != nullptr;
    return Status::ok();
  }

  Status read_drc_section(const char* name, bool down, std::map<std::string, DrcMethodDef, std::less<>>& out) const {
    Status status;
    const rapidjson::Value* methods = section(name, status);
    if (methods == nullptr) return status;
    for (const auto& entry : methods->GetObject()) {
      DrcMethodDef def;
      def.method.assign(entry.name.GetString(), entry.name.GetStringLength());
      if (!(status = read_drc_method(entry.value, concat({where_prefix_, name, ".", def.method}), down, def)))
        return status;
      out.emplace(def.method, std::move(def));
    }
    return Status::ok();
  }

  Status read_drc_timeout(ThingModel& model) const {
    const auto timeout = root_.FindMember("drc_heartbeat_timeout_s");
    if (timeout == root_.MemberEnd()) return Status::ok();
    if (!timeout->value.IsInt() || timeout->value.GetInt() < 1)
      return invalid(model.model_key_, "drc_heartbeat_timeout_s must be >= 1");
    model.drc_heartbeat_timeout_s_ = timeout->value.GetInt();
    return Status::ok();
  }

  const rapidjson::Value& root_;
  const rapidjson::Value* types_ = nullptr;
  std::string where_prefix_;
};

Result<ThingModel> ThingModel::parse(std::string_view resolved_json) {
  docklink::detail::JsonDocument document;
  const rapidjson::ParseResult parsed = docklink::detail::parse_json(resolved_json, document);
  if (parsed.IsError()) {
    return Status(StatusCode::kInvalidArgument,
                  concat({"model is not valid JSON: ", rapidjson::GetParseError_En(parsed.Code()), " at offset ",
                          std::to_string(parsed.Offset())}));
  }
  if (!document.IsObject()) return Status(StatusCode::kInvalidArgument, "model must be a JSON object");
  ThingModel model;
  ModelParser parser(document);
  Status status = parser.parse(model);
  if (!status) return status;
  return model;
}

const PropertyDef* ThingModel::property(std::string_view name) const noexcept {
  const auto found = properties_.find(name);
  return found == properties_.end() ? nullptr : &found->second;
}

const ServiceDef* ThingModel::service(std::string_view method) const noexcept {
  const auto found = services_.find(method);
  return found == services_.end() ? nullptr : &found->second;
}

const EventDef* ThingModel::event(std::string_view method) const noexcept {
  const auto found = events_.find(method);
  return found == events_.end() ? nullptr : &found->second;
}

const RequestDef* ThingModel::request(std::string_view method) const noexcept {
  const auto found = requests_.find(method);
  return found == requests_.end() ? nullptr : &found->second;
}

const DrcMethodDef* ThingModel::drc_down(std::string_view method) const noexcept {
  const auto found = drc_down_.find(method);
  return found == drc_down_.end() ? nullptr : &found->second;
}

const DrcMethodDef* ThingModel::drc_up(std::string_view method) const noexcept {
  const auto found = drc_up_.find(method);
  return found == drc_up_.end() ? nullptr : &found->second;
}

}  // namespace docklink::thing
