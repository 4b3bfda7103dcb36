#include "media_record.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "docklink/config_defaults.hpp"
#include "json_write.hpp"

namespace docklink::dji::detail {
namespace {

using docklink::detail::JsonWriter;
using docklink::detail::write_string_member;

std::string read_string(const rapidjson::Value& object, const char* name, bool& ok) {
  auto member = object.FindMember(name);
  if (member == object.MemberEnd()) return {};
  if (!member->value.IsString()) {
    ok = false;
    return {};
  }
  return std::string(member->value.GetString(), member->value.GetStringLength());
}

bool is_json_object(const std::string& text) {
  if (text.empty()) return true;
  rapidjson::Document document;
  document.Parse(text.c_str(), text.size());
  return !document.HasParseError() && document.IsObject();
}

bool is_key_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

// Segments of [A-Za-z0-9._-] joined by '/', none empty, "." or "..": a key that stays below the prefix.
bool is_safe_key_suffix(std::string_view suffix) {
  if (suffix.empty() || suffix.size() > 512) return false;
  std::size_t start = 0;
  for (;;) {
    std::size_t slash = suffix.find('/', start);
    std::string_view segment = suffix.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    for (char c : segment) {
      if (!is_key_character(c)) return false;
    }
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

std::string base_name(const std::string& path) {
  std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void write_raw_object(JsonWriter& writer, const char* name, const std::string& json, bool always) {
  if (json.empty() && !always) return;
  writer.Key(name);
  const std::string& text = json.empty() ? std::string("{}") : json;
  writer.RawValue(text.c_str(), text.size(), rapidjson::kObjectType);
}

}  // namespace

std::string encode_media_entry(const MediaEntry& entry) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  write_string_member(writer, "path", entry.file.path);
  write_string_member(writer, "key_suffix", entry.file.key_suffix);
  write_string_member(writer, "name", entry.file.name);
  write_string_member(writer, "event_path", entry.file.event_path);
  write_string_member(writer, "ext", entry.file.ext_json);
  write_string_member(writer, "metadata", entry.file.metadata_json);
  write_string_member(writer, "flight_task", entry.file.flight_task_json);
  write_string_member(writer, "content_type", entry.file.content_type);
  writer.Key("uploaded");
  writer.Bool(entry.uploaded);
  write_string_member(writer, "object_key", entry.object_key);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::optional<MediaEntry> decode_media_entry(std::uint64_t id, std::string_view text) {
  if (text.size() > defaults::kMaxMediaRecordBytes) return std::nullopt;
  rapidjson::Document document;
  document.Parse(text.data(), text.size());
  if (document.HasParseError() || !document.IsObject()) return std::nullopt;
  MediaEntry entry;
  entry.id = id;
  bool ok = true;
  entry.file.path = read_string(document, "path", ok);
  entry.file.key_suffix = read_string(document, "key_suffix", ok);
  entry.file.name = read_string(document, "name", ok);
  entry.file.event_path = read_string(document, "event_path", ok);
  entry.file.ext_json = read_string(document, "ext", ok);
  entry.file.metadata_json = read_string(document, "metadata", ok);
  entry.file.flight_task_json = read_string(document, "flight_task", ok);
  entry.file.content_type = read_string(document, "content_type", ok);
  entry.object_key = read_string(document, "object_key", ok);
  auto uploaded = document.FindMember("uploaded");
  entry.uploaded = uploaded != document.MemberEnd() && uploaded->value.IsBool() && uploaded->value.GetBool();
  if (!ok || (entry.uploaded && entry.object_key.empty())) return std::nullopt;
  if (!normalise_media_file(entry.file)) return std::nullopt;  // a record we never wrote
  return entry;
}

std::string media_store_key(const std::string& prefix, std::uint64_t id) {
  std::string digits = std::to_string(id);
  return prefix + std::string(20 - digits.size(), '0') + digits;
}

std::optional<std::uint64_t> media_id_from_key(const std::string& prefix, std::string_view key) {
  if (key.size() != prefix.size() + 20 || key.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::uint64_t id = 0;
  for (char c : key.substr(prefix.size())) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return id;
}

Status normalise_media_file(MediaFile& file) {
  if (file.path.empty()) return Status(StatusCode::kInvalidArgument, "media file without a path");
  if (file.name.empty()) file.name = base_name(file.path);
  if (file.key_suffix.empty()) file.key_suffix = base_name(file.path);
  if (!is_safe_key_suffix(file.key_suffix)) {
    return Status(StatusCode::kInvalidArgument,
                  "media key suffix must be segments of [A-Za-z0-9._-]: " + file.key_suffix);
  }
  if (!is_json_object(file.ext_json) || !is_json_object(file.metadata_json) || !is_json_object(file.flight_task_json)) {
    return Status(StatusCode::kInvalidArgument, "media ext, metadata and flight_task must be JSON objects");
  }
  return Status::ok();
}

// {"file":{"object_key","path","name","ext",["metadata"]},["flight_task"]}
std::string file_upload_callback_json(const MediaEntry& entry) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("file");
  writer.StartObject();
  write_string_member(writer, "object_key", entry.object_key);
  write_string_member(writer, "path", entry.file.event_path);
  write_string_member(writer, "name", entry.file.name);
  write_raw_object(writer, "ext", entry.file.ext_json, true);
  write_raw_object(writer, "metadata", entry.file.metadata_json, false);
  writer.EndObject();
  write_raw_object(writer, "flight_task", entry.file.flight_task_json, false);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace docklink::dji::detail
