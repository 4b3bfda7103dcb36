// The S3-compatible object store dock-cloud hands to docks: `storage_config_get` (module 0, media) is answered with
// its endpoint, bucket, region and temporary key pair (docs/protocol.md#files), and `logs` hands the same to
// fileupload_start. Given on the command line (--store-*); without it the request is answered with an error, as a
// cloud without storage would.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cli_args.hpp"

namespace docklink::cloud {

/// One object store and the credentials docks get for it.
struct ObjectStore {
  std::string endpoint;  ///< "http[s]://host[:port]"; empty: no store.
  std::string bucket;    ///< Required with an endpoint.
  std::string region = "us-east-1";
  std::string access_key;          ///< Required with an endpoint.
  std::string secret_key;          ///< Required with an endpoint; never printed.
  std::string session_token;       ///< STS session token; empty: long-lived keys. Never printed.
  std::int64_t expiry_s = 3600;    ///< credentials.expire: seconds of validity from receipt.
  std::string provider = "minio";  ///< aws | minio | ali: how the dock addresses the bucket.

  /// True when a store was given.
  bool configured() const { return !endpoint.empty(); }
};

/// The --store-* options, for the program's option table.
std::vector<samples::OptionSpec> object_store_specs();

/// Reads the --store-* options into `store`; false with `error` set when they are incomplete or out of range.
bool read_object_store(const samples::CliArgs& args, ObjectStore& store, std::string& error);

/// The data of storage_config_get's reply for dock `sn`: the store with object_key_prefix = the SN, or an error
/// result when no store is configured (the dock then keeps its media).
std::string storage_config_reply(const ObjectStore& store, std::string_view sn);

/// "endpoint bucket (provider, region)": what may be printed about the store (never its keys).
std::string describe(const ObjectStore& store);

}  // namespace docklink::cloud
