// The object storage a DJI message hands the dock: the `storage_config_get` reply's output (media) and the
// storage members of `fileupload_start` (logs): bucket, endpoint, provider, region, temporary credentials and,
// for media, the object key prefix (docs/protocol.md#files).
#pragma once

#include <cstdint>
#include <string>

#include <rapidjson/document.h>

#include "docklink/export.hpp"
#include "docklink/status.hpp"
#include "docklink/transfer/upload.hpp"

namespace docklink::dji {

/// Object storage and its temporary credentials, as a DJI message gives them.
struct StorageConfig {
  std::string bucket;                         ///< The bucket.
  std::string endpoint;                       ///< "https://host[:port]" (scheme always present).
  std::string provider;                       ///< "ali", "aws" or "minio" (decides the addressing).
  std::string region;                         ///< The SigV4 region; "us-east-1" when the message gives none.
  std::string object_key_prefix;              ///< storage_config_get only: where the dock's media go (no trailing '/').
  transfer::ExpiringCredentials credentials;  ///< With `expire` turned into an absolute deadline.
};

/// The deadline (Unix ms) of a DJI `credentials.expire` received at `now_wall_ms`. DJI's sources disagree on its
/// unit (docs/protocol.md#quirk-credentials-expire), so: at least 10^12 is epoch milliseconds, at least 10^9
/// epoch seconds, anything smaller seconds of validity from receipt. 0 or less: 0 (no deadline known).
DOCKLINK_API std::int64_t credentials_deadline_ms(double expire, std::int64_t now_wall_ms) noexcept;

/// Decodes the storage members of `holder` (a storage_config_get output or fileupload_start data), with
/// `now_wall_ms` the moment it arrived: kInvalidArgument when the bucket, an http(s) endpoint or a credential
/// member (access_key_id, access_key_secret) is missing.
DOCKLINK_API Result<StorageConfig> parse_storage_config(const rapidjson::Value& holder, std::int64_t now_wall_ms);

/// Where object `key` of `config` goes (addressing from the provider, see transfer::s3_addressing_for_provider).
DOCKLINK_API transfer::S3Destination storage_destination(const StorageConfig& config, std::string key);

}  // namespace docklink::dji
