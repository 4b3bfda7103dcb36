// One uplink the test cloud saw, and small helpers that read its JSON or build service data.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <rapidjson/document.h>

#include "docklink/topics.hpp"

namespace simtest {

using namespace std::chrono_literals;

/// One uplink the cloud saw.
struct Seen {
  docklink::TopicKind kind;
  std::string sn;
  std::shared_ptr<rapidjson::Document> json;
  std::string str(const char* key) const {
    auto it = json->FindMember(key);
    return it != json->MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
  }
  const rapidjson::Value& data() const {
    static const rapidjson::Value kEmpty(rapidjson::kObjectType);
    auto it = json->FindMember("data");
    return it != json->MemberEnd() ? it->value : kEmpty;
  }
  int result() const {
    auto it = data().FindMember("result");
    return it != data().MemberEnd() && it->value.IsInt() ? it->value.GetInt() : -100;
  }
};

/// True for the services_reply to the service with `tid`.
inline bool is_reply_to(const Seen& seen, const std::string& tid) {
  return seen.kind == docklink::TopicKind::kServicesReply && seen.str("tid") == tid;
}

/// The integer member `key` of `object`, or `fallback`.
inline int int_at(const rapidjson::Value& object, const char* key, int fallback = -100) {
  if (!object.IsObject()) return fallback;
  auto it = object.FindMember(key);
  return it != object.MemberEnd() && it->value.IsInt() ? it->value.GetInt() : fallback;
}

/// data.output.status of a reply or event ("" when absent).
inline std::string status_of(const Seen& seen) {
  auto output = seen.data().FindMember("output");
  if (output == seen.data().MemberEnd() || !output->value.IsObject()) return "";
  auto status = output->value.FindMember("status");
  return status != output->value.MemberEnd() && status->value.IsString() ? status->value.GetString() : "";
}

/// The object at `path` (keys separated by '.') below data, or nullptr.
inline const rapidjson::Value* data_at(const Seen& seen, const std::string& path) {
  const rapidjson::Value* at = &seen.data();
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('.', start);
    if (end == std::string::npos) end = path.size();
    if (!at->IsObject()) return nullptr;
    auto it = at->FindMember(path.substr(start, end - start).c_str());
    if (it == at->MemberEnd()) return nullptr;
    at = &it->value;
    start = end + 1;
  }
  return at;
}

/// The integer at `path` below data, or `fallback`.
inline int int_in(const Seen& seen, const std::string& path, int fallback = -100) {
  const rapidjson::Value* value = data_at(seen, path);
  return value != nullptr && value->IsInt() ? value->GetInt() : fallback;
}

/// The string at `path` below data ("" when absent).
inline std::string string_in(const Seen& seen, const std::string& path) {
  const rapidjson::Value* value = data_at(seen, path);
  return value != nullptr && value->IsString() ? value->GetString() : "";
}

/// True for an events uplink of `method`.
inline bool is_event(const Seen& seen, const char* method) {
  return seen.kind == docklink::TopicKind::kEvents && seen.str("method") == method;
}

/// Wall-clock time in milliseconds since the epoch, as the protocol stamps it.
inline std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// flighttask_prepare data for an immediate task (or another task_type with `extra` fields).
inline std::string prepare_data(const std::string& flight_id, int task_type = 0, std::int64_t execute_time = 0,
                                const std::string& extra = "") {
  if (execute_time == 0) execute_time = now_ms();
  return R"({"flight_id":")" + flight_id + R"(","task_type":)" + std::to_string(task_type) + R"(,"execute_time":)" +
         std::to_string(execute_time) +
         R"(,"rth_altitude":20,"file":{"url":"http://127.0.0.1/w.kmz","fingerprint":"00"})" + extra + "}";
}

}  // namespace simtest
