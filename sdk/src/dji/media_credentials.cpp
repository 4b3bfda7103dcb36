// MediaUploader's credentials: storage_config_get (module 0) through the client's request API, cached until
// shortly before their deadline; asked again on the upload's worker when the Uploader finds them expiring or
// refused (it refreshes once after a refusal, never in a loop).
#include <atomic>
#include <future>

#include <rapidjson/document.h>

#include "media_state.hpp"

namespace docklink::dji::detail {
namespace {

constexpr const char* kStorageConfigData = R"({"module":0})";  // 0: media (1 would be PSDK UI resources)

Result<StorageConfig> config_from_reply(const Reply& reply, std::int64_t now_wall_ms) {
  if (!reply.status.is_ok()) return reply.status;
  if (reply.result != 0) {
    return Status(StatusCode::kRejected, "storage_config_get answered with result " + std::to_string(reply.result));
  }
  rapidjson::Document output;
  output.Parse(reply.output_json.c_str(), reply.output_json.size());
  if (output.HasParseError()) return Status(StatusCode::kMalformed, "storage_config_get output is not JSON");
  return parse_storage_config(output, now_wall_ms);
}

// Hands one reply to a waiting thread; a second reply (there should be none) is ignored.
struct ReplySlot {
  std::promise<Reply> promise;
  std::atomic<bool> filled{false};
  void fill(const Reply& reply) {
    if (!filled.exchange(true)) promise.set_value(reply);
  }
};

}  // namespace

void MediaState::ask_config(const MediaEntry& entry) {
  auto self = shared_from_this();
  Status sent = client.send_request(
      "storage_config_get", kStorageConfigData,
      [self, entry](const Reply& reply) { self->config_arrived(entry, reply); }, request_timeout());
  if (!sent) halt(media_report(entry, MediaStage::kCredentials, sent));
}

void MediaState::config_arrived(const MediaEntry& entry, const Reply& reply) {
  if (is_closed()) return;
  auto config = config_from_reply(reply, clock->wall_ms());
  if (!config) return halt(media_report(entry, MediaStage::kCredentials, config.status()));
  cache(config.value());
  upload(entry, config.value());
}

std::optional<StorageConfig> MediaState::cached_config() {
  std::int64_t now = clock->wall_ms();
  std::lock_guard<std::mutex> lock(mutex);
  if (!cached) return std::nullopt;
  std::int64_t deadline = cached->credentials.expire_unix_ms;
  if (deadline != 0 && deadline - now < options.reuse_margin_ms) return std::nullopt;
  return cached;
}

void MediaState::cache(const StorageConfig& fresh) {
  std::lock_guard<std::mutex> lock(mutex);
  cached = fresh;
}

// On the upload's worker: the client answers every request (a reply, kTimeout after its deadline, kShutdown when
// it stops), so the wait ends.
Result<StorageConfig> MediaState::fetch_config_blocking() {
  auto slot = std::make_shared<ReplySlot>();
  auto answered = slot->promise.get_future();
  Status sent = client.send_request(
      "storage_config_get", kStorageConfigData, [slot](const Reply& reply) { slot->fill(reply); }, request_timeout());
  if (!sent) return sent;
  return config_from_reply(answered.get(), clock->wall_ms());
}

Result<transfer::ExpiringCredentials> MediaState::credentials_for(transfer::CredentialsReason reason,
                                                                  const transfer::ExpiringCredentials& initial) {
  if (reason == transfer::CredentialsReason::kInitial) return initial;
  {
    std::lock_guard<std::mutex> lock(mutex);
    cached.reset();  // expiring or refused: never handed out again
  }
  auto fresh = fetch_config_blocking();
  if (!fresh) return fresh.status();
  cache(fresh.value());
  return fresh.value().credentials;
}

}  // namespace docklink::dji::detail
