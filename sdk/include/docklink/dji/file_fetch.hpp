// Wayline and geofence files of DJI messages, downloaded on a TransferManager with the digest each message names:
// the KMZ of `flighttask_prepare` / `flighttask_resource_get` (`file{url, fingerprint}`, the fingerprint being the
// KMZ's MD5) and the files of the `flight_areas_get` reply (`files[]{name, url, checksum, size}`, the checksum
// being SHA-256) (docs/protocol.md#files).
//
// Threads: callbacks run on the manager's dispatcher strand, like every TransferManager callback.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/export.hpp"
#include "docklink/port/hash.hpp"
#include "docklink/status.hpp"
#include "docklink/transfer/transfer_manager.hpp"

namespace docklink::dji {

/// A file named by a DJI message, with what it must match.
struct DjiFile {
  std::string name;                                           ///< File name (geofence files); empty for a KMZ.
  std::string url;                                            ///< Where it is.
  std::string digest;                                         ///< Hex digest (checked for length and alphabet).
  port::HashAlgorithm algorithm = port::HashAlgorithm::kMd5;  ///< Algorithm of digest.
  std::optional<std::uint64_t> size;                          ///< Its size when the message gives one.
};

/// The KMZ of an object holding `file{url, fingerprint}` (flighttask_prepare data, flighttask_resource_get reply
/// output): kInvalidArgument when the URL is missing or the fingerprint is not 32 hex digits (MD5).
DOCKLINK_API Result<DjiFile> parse_wayline_file(const rapidjson::Value& holder);

/// The KMZ named by an already decoded `file{url, fingerprint}` (e.g. the generated FlighttaskPrepare's `file`):
/// kInvalidArgument when `url` is empty or `fingerprint` is not 32 hex digits (MD5), as parse_wayline_file.
DOCKLINK_API Result<DjiFile> wayline_file(std::string url, std::string fingerprint);

/// The files of a flight_areas_get reply output (`files[]`, possibly empty): kInvalidArgument when an entry lacks
/// its URL, has a checksum that is not 64 hex digits (SHA-256), or a name that is not a plain file name.
DOCKLINK_API Result<std::vector<DjiFile>> parse_flight_area_files(const rapidjson::Value& output);

/// Queues the download of `file` to `destination` on `manager` (size and digest checked, resumable under
/// `resume_key`, see DownloadRequest). `done` receives the result on a dispatcher thread.
DOCKLINK_API Result<transfer::TransferId> fetch_file(transfer::TransferManager& manager, const DjiFile& file,
                                                     std::string destination, std::string resume_key,
                                                     transfer::DownloadDoneCallback done);

/// Receives the results of fetch_files, one per file in the order given, once all ended.
using FilesDoneCallback = std::function<void(const std::vector<transfer::DownloadResult>& results)>;

/// Queues every file (geofence files, named by their `name`) into `directory` on `manager` and calls `done` once
/// when all have ended (at once, on the calling thread, for an empty list). A file that cannot be queued ends
/// with kInvalidRequest in its result.
DOCKLINK_API void fetch_files(transfer::TransferManager& manager, const std::vector<DjiFile>& files,
                              const std::string& directory, FilesDoneCallback done);

}  // namespace docklink::dji
