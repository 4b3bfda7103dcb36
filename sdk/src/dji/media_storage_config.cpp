// Decoding the storage members of DJI messages (storage_config_get output, fileupload_start data).
#include <cmath>

#include "docklink/dji/storage_config.hpp"
#include "json_read.hpp"

namespace docklink::dji {
namespace {

using docklink::detail::string_member;

// `expire` arrives as a number, or as a numeric string from some clouds.
double expire_member(const rapidjson::Value& credentials) {
  auto member = credentials.FindMember("expire");
  if (member == credentials.MemberEnd()) return 0;
  if (member->value.IsNumber()) return member->value.GetDouble();
  if (member->value.IsString()) return std::strtod(member->value.GetString(), nullptr);
  return 0;
}

Status invalid(const char* what) { return Status(StatusCode::kInvalidArgument, std::string("storage: ") + what); }

std::string without_trailing_slashes(std::string text) {
  while (!text.empty() && text.back() == '/') text.pop_back();
  return text;
}

}  // namespace

std::int64_t credentials_deadline_ms(double expire, std::int64_t now_wall_ms) noexcept {
  if (!(expire > 0) || !std::isfinite(expire)) return 0;
  if (expire >= 1e12) return static_cast<std::int64_t>(expire);          // epoch milliseconds
  if (expire >= 1e9) return static_cast<std::int64_t>(expire * 1000.0);  // epoch seconds
  return now_wall_ms + static_cast<std::int64_t>(expire * 1000.0);       // seconds of validity from now
}

Result<StorageConfig> parse_storage_config(const rapidjson::Value& holder, std::int64_t now_wall_ms) {
  if (!holder.IsObject()) return invalid("not an object");
  StorageConfig config;
  config.bucket = string_member(holder, "bucket");
  config.endpoint = string_member(holder, "endpoint");
  config.provider = string_member(holder, "provider");
  config.region = string_member(holder, "region");
  config.object_key_prefix = without_trailing_slashes(string_member(holder, "object_key_prefix"));
  if (config.region.empty()) config.region = "us-east-1";
  if (config.bucket.empty()) return invalid("bucket missing");
  if (config.endpoint.rfind("http://", 0) != 0 && config.endpoint.rfind("https://", 0) != 0) {
    return invalid("endpoint must start with http:// or https://");
  }
  auto credentials = holder.FindMember("credentials");
  if (credentials == holder.MemberEnd() || !credentials->value.IsObject()) return invalid("credentials missing");
  auto& keys = config.credentials.credentials;
  keys.access_key_id = string_member(credentials->value, "access_key_id");
  keys.secret_access_key = string_member(credentials->value, "access_key_secret");
  keys.session_token = string_member(credentials->value, "security_token");
  if (keys.access_key_id.empty() || keys.secret_access_key.empty()) return invalid("access key id or secret missing");
  config.credentials.expire_unix_ms = credentials_deadline_ms(expire_member(credentials->value), now_wall_ms);
  return config;
}

transfer::S3Destination storage_destination(const StorageConfig& config, std::string key) {
  transfer::S3Destination destination;
  destination.endpoint = config.endpoint;
  destination.bucket = config.bucket;
  destination.key = std::move(key);
  destination.region = config.region;
  destination.addressing = transfer::s3_addressing_for_provider(config.provider);
  return destination;
}

}  // namespace docklink::dji
