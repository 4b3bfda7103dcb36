// Decoding fileupload_start: its storage members and params.files[]{object_key, module, list[]{boot_index},
// device_sn}.
#include "log_state.hpp"

namespace docklink::dji {

const char* to_string(LogFileStatus status) noexcept {
  switch (status) {
    case LogFileStatus::kWaiting:
      return "sent";
    case LogFileStatus::kInProgress:
      return "in_progress";
    case LogFileStatus::kOk:
      return "ok";
    case LogFileStatus::kFailed:
      return "failed";
    case LogFileStatus::kCanceled:
      return "canceled";
  }
  return "failed";
}

namespace detail {
namespace {

Status invalid(const std::string& what) { return Status(StatusCode::kInvalidArgument, "fileupload_start: " + what); }

// `module` is typed as an enum but sent as text in DJI's example: accept both, keep it as text.
std::string module_text(const rapidjson::Value& value) {
  if (value.IsString()) return std::string(value.GetString(), value.GetStringLength());
  if (value.IsInt64()) return std::to_string(value.GetInt64());
  return {};
}

Result<LogRequest> parse_entry(const rapidjson::Value& entry, const std::string& gateway_sn) {
  if (!entry.IsObject()) return invalid("files[] entry is not an object");
  LogRequest request;
  auto key = entry.FindMember("object_key");
  if (key == entry.MemberEnd() || !key->value.IsString() || key->value.GetStringLength() == 0) {
    return invalid("files[] entry without object_key");
  }
  request.object_key = key->value.GetString();
  auto module = entry.FindMember("module");
  if (module != entry.MemberEnd()) request.module = module_text(module->value);
  if (request.module.empty()) return invalid("files[] entry without module");
  auto sn = entry.FindMember("device_sn");
  request.device_sn = sn != entry.MemberEnd() && sn->value.IsString() ? sn->value.GetString() : gateway_sn;
  auto list = entry.FindMember("list");
  if (list != entry.MemberEnd() && list->value.IsArray()) {
    for (const auto& item : list->value.GetArray()) {
      if (!item.IsObject() || !item.HasMember("boot_index") || !item["boot_index"].IsInt64()) {
        return invalid("list[] entry without an integer boot_index");
      }
      request.boot_indexes.push_back(item["boot_index"].GetInt64());
    }
  }
  return request;
}

}  // namespace

Result<LogStart> parse_fileupload_start(const rapidjson::Value& data, std::int64_t now_wall_ms,
                                        const std::string& gateway_sn) {
  auto storage = parse_storage_config(data, now_wall_ms);
  if (!storage) return storage.status();
  LogStart start;
  start.storage = std::move(storage).value();
  auto params = data.FindMember("params");
  if (params == data.MemberEnd() || !params->value.IsObject()) return invalid("params missing");
  auto files = params->value.FindMember("files");
  if (files == params->value.MemberEnd() || !files->value.IsArray() || files->value.Empty()) {
    return invalid("params.files missing or empty");
  }
  for (const auto& entry : files->value.GetArray()) {
    auto request = parse_entry(entry, gateway_sn);
    if (!request) return request.status();
    start.requests.push_back(std::move(request).value());
  }
  return start;
}

}  // namespace detail
}  // namespace docklink::dji
