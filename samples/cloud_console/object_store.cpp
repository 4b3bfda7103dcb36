#include "object_store.hpp"

#include "docklink/result_codes.hpp"
#include "json_write.hpp"

namespace docklink::cloud {

std::vector<samples::OptionSpec> object_store_specs() {
  return {
      {"store-endpoint", true,
       "serve, logs: S3-compatible object store for storage_config_get and log uploads, e.g. http://127.0.0.1:9000"},
      {"store-bucket", true, "its bucket (required with --store-endpoint)"},
      {"store-region", true, "its region (default us-east-1)"},
      {"store-access-key", true, "access key id handed to docks (required with --store-endpoint)"},
      {"store-secret-key", true, "secret access key handed to docks (required with --store-endpoint)"},
      {"store-session-token", true, "STS session token handed to docks (default: none)"},
      {"store-expiry-s", true, "credentials.expire, seconds the credentials stay valid (default 3600)"},
      {"store-provider", true, "aws | minio (default) | ali"},
  };
}

bool read_object_store(const samples::CliArgs& args, ObjectStore& store, std::string& error) {
  bool ok = true;
  store.endpoint = args.get("store-endpoint");
  store.bucket = args.get("store-bucket");
  store.region = args.get("store-region", store.region);
  store.access_key = args.get("store-access-key");
  store.secret_key = args.get("store-secret-key");
  store.session_token = args.get("store-session-token");
  store.expiry_s = args.get_int("store-expiry-s", store.expiry_s, ok);
  store.provider = args.get("store-provider", store.provider);
  if (!ok || store.expiry_s <= 0) {
    error = "--store-expiry-s must be a positive number of seconds";
    return false;
  }
  if (store.provider != "aws" && store.provider != "minio" && store.provider != "ali") {
    error = "--store-provider must be aws, minio or ali";
    return false;
  }
  if (!store.configured()) return true;
  // The DJI demo cloud checks the same: the scheme is always present.
  if (store.endpoint.rfind("http://", 0) != 0 && store.endpoint.rfind("https://", 0) != 0) {
    error = "--store-endpoint must start with http:// or https://";
    return false;
  }
  if (store.bucket.empty() || store.access_key.empty() || store.secret_key.empty()) {
    error = "--store-endpoint needs --store-bucket, --store-access-key and --store-secret-key";
    return false;
  }
  return true;
}

std::string storage_config_reply(const ObjectStore& store, std::string_view sn) {
  // No DJI code says "no storage"; 325003 (command failed) tells the dock not to wait for one.
  if (!store.configured()) return samples::JsonBuilder().num("result", result_code::kCommandFailed).finish();
  return samples::JsonBuilder()
      .num("result", 0)
      .open_object("output")
      .str("bucket", store.bucket)
      .open_object("credentials")
      .str("access_key_id", store.access_key)
      .str("access_key_secret", store.secret_key)
      .num("expire", store.expiry_s)
      .str("security_token", store.session_token)
      .close_object()
      .str("endpoint", store.endpoint)
      .str("provider", store.provider)
      .str("region", store.region)
      .str("object_key_prefix", sn)
      .close_object()
      .finish();
}

std::string describe(const ObjectStore& store) {
  return store.endpoint + " bucket " + store.bucket + " (" + store.provider + ", " + store.region + ")";
}

}  // namespace docklink::cloud
