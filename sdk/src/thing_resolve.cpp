// Resolves `extends` chains of model files (merge rules: thing_models/FORMAT.md).
#include <algorithm>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "concat.hpp"
#include "docklink/thing/thing_model.hpp"
#include "json_parse.hpp"

namespace docklink::thing {

using docklink::detail::concat;

namespace {

constexpr std::size_t kMaxExtendsDepth = 8;
constexpr const char* kScalarKeys[] = {"format_version", "model_key",  "product", "kind",
                                       "thing_version",  "osd_groups", "note",    "drc_heartbeat_timeout_s"};
constexpr const char* kMemberSections[] = {"types",    "properties", "services", "events",
                                           "requests", "drc_down",   "drc_up"};

using docklink::detail::JsonDocument;
using Allocator = JsonDocument::AllocatorType;

Status invalid(std::string_view file, std::string_view what) {
  return Status(StatusCode::kInvalidArgument, concat({file, ": ", what}));
}

bool is_merge_member(const rapidjson::Value& member) {
  if (!member.IsObject()) return false;
  const auto merge = member.FindMember("merge");
  return merge != member.MemberEnd() && merge->value.IsBool() && merge->value.GetBool();
}

// Objects merge key by key (patch wins); anything else is replaced.
void deep_merge(rapidjson::Value& base, const rapidjson::Value& patch, Allocator& allocator, bool skip_merge_key) {
  if (!base.IsObject() || !patch.IsObject()) {
    base.CopyFrom(patch, allocator);
    return;
  }
  for (const auto& entry : patch.GetObject()) {
    if (skip_merge_key && std::string_view(entry.name.GetString(), entry.name.GetStringLength()) == "merge") continue;
    const auto existing = base.FindMember(entry.name);
    if (existing != base.MemberEnd()) {
      deep_merge(existing->value, entry.value, allocator, false);
    } else {
      base.AddMember(rapidjson::Value(entry.name, allocator), rapidjson::Value(entry.value, allocator), allocator);
    }
  }
}

class Resolver {
 public:
  explicit Resolver(const ModelFileReader& read_file) : read_file_(read_file) {}

  Status resolve(std::string_view relative_path, JsonDocument& out) {
    const std::string path(relative_path);
    if (std::find(chain_.begin(), chain_.end(), path) != chain_.end()) return invalid(path, "extends cycle");
    if (chain_.size() >= kMaxExtendsDepth) return invalid(path, "extends nested too deeply");
    Result<std::string> text = read_file_(path);
    if (!text) return text.status();
    JsonDocument raw;
    const rapidjson::ParseResult parsed = docklink::detail::parse_json(text.value(), raw);
    if (parsed.IsError()) {
      return invalid(path, concat({"not valid JSON: ", rapidjson::GetParseError_En(parsed.Code()), " at offset ",
                                   std::to_string(parsed.Offset())}));
    }
    if (!raw.IsObject()) return invalid(path, "must be a JSON object");
    const auto extends = raw.FindMember("extends");
    if (extends == raw.MemberEnd()) return take_base(path, raw, out);
    if (!extends->value.IsString()) return invalid(path, "extends must be a string");
    chain_.push_back(path);
    Status status = resolve(std::string_view(extends->value.GetString(), extends->value.GetStringLength()), out);
    chain_.pop_back();
    if (!status) return status;
    return apply(path, raw, out);
  }

 private:
  Status take_base(const std::string& path, JsonDocument& raw, JsonDocument& out) {
    if (raw.HasMember("remove")) return invalid(path, "remove without extends");
    for (const char* section : kMemberSections) {
      const auto members = raw.FindMember(section);
      if (members == raw.MemberEnd() || !members->value.IsObject()) continue;
      for (const auto& entry : members->value.GetObject()) {
        if (is_merge_member(entry.value)) {
          return invalid(path, concat({section, ".", entry.name.GetString(), " has merge but no base"}));
        }
      }
    }
    out.Swap(raw);
    return Status::ok();
  }

  static rapidjson::Value& section_of(JsonDocument& doc, const char* section) {
    auto found = doc.FindMember(section);
    if (found == doc.MemberEnd()) {
      doc.AddMember(rapidjson::StringRef(section), rapidjson::Value(rapidjson::kObjectType), doc.GetAllocator());
      found = doc.FindMember(section);
    }
    return found->value;
  }

  Status apply(const std::string& path, const JsonDocument& raw, JsonDocument& out) {
    Allocator& allocator = out.GetAllocator();
    for (const char* key : kScalarKeys) {
      const auto value = raw.FindMember(key);
      if (value == raw.MemberEnd()) continue;
      const auto existing = out.FindMember(key);
      if (existing != out.MemberEnd()) {
        existing->value.CopyFrom(value->value, allocator);
      } else {
        out.AddMember(rapidjson::StringRef(key), rapidjson::Value(value->value, allocator), allocator);
      }
    }
    const auto remove = raw.FindMember("remove");
    if (remove != raw.MemberEnd() && !remove->value.IsObject()) return invalid(path, "remove must be an object");
    for (const char* section : kMemberSections) {
      const auto removed = remove == raw.MemberEnd() ? raw.MemberEnd() : remove->value.FindMember(section);
      const auto added = raw.FindMember(section);
      const bool has_removed = remove != raw.MemberEnd() && removed != remove->value.MemberEnd();
      if (!has_removed && added == raw.MemberEnd()) continue;
      rapidjson::Value& members = section_of(out, section);
      if (!members.IsObject()) return invalid(path, concat({"base ", section, " is not an object"}));
      if (has_removed) {
        if (!removed->value.IsArray()) return invalid(path, concat({"remove.", section, " must be an array"}));
        for (const auto& name : removed->value.GetArray()) {
          if (!name.IsString() || !members.HasMember(name)) {
            return invalid(path, concat({"remove.", section, " names a member the base does not have: ",
                                         name.IsString() ? name.GetString() : "?"}));
          }
          members.EraseMember(name);
        }
      }
      if (added == raw.MemberEnd()) continue;
      if (!added->value.IsObject()) return invalid(path, concat({section, " must be an object"}));
      for (const auto& entry : added->value.GetObject()) {
        const auto existing = members.FindMember(entry.name);
        if (is_merge_member(entry.value)) {
          if (existing == members.MemberEnd()) {
            return invalid(
                path, concat({section, ".", entry.name.GetString(), " has merge but the base has no such member"}));
          }
          deep_merge(existing->value, entry.value, allocator, true);
        } else if (existing != members.MemberEnd()) {
          existing->value.CopyFrom(entry.value, allocator);
        } else {
          members.AddMember(rapidjson::Value(entry.name, allocator), rapidjson::Value(entry.value, allocator),
                            allocator);
        }
      }
    }
    out.RemoveMember("extends");  // a base's own extends was consumed when it was resolved
    return Status::ok();
  }

  const ModelFileReader& read_file_;
  std::vector<std::string> chain_;
};

}  // namespace

Result<std::string> resolve_model_json(std::string_view relative_path, const ModelFileReader& read_file) {
  if (!read_file) return Status(StatusCode::kInvalidArgument, "no file reader");
  JsonDocument resolved;
  Resolver resolver(read_file);
  const Status status = resolver.resolve(relative_path, resolved);
  if (!status) return status;
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  resolved.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace docklink::thing
