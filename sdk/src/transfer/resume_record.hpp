// The resume record of a download, kept in the Store under "dl.<resume key>": what a later run (after a
// restart or kill -9) needs to continue the partial file safely. A versioned text record, one "name=value" a line,
// closed by an "end" line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "docklink/status.hpp"

namespace docklink::transfer::detail {

/// The first line of every record; a record with another first line is not ours (or a future version).
inline constexpr std::string_view kResumeRecordVersion = "docklink-download 1";

/// What is remembered about a partial download.
struct ResumeRecord {
  std::string url;                    ///< The URL last used (kept for diagnosis; a refreshed URL may replace it).
  std::string destination;            ///< Where the file goes; must match the request.
  std::optional<std::uint64_t> size;  ///< Expected size; must match the request.
  std::string algorithm;              ///< "md5", "sha256" or "none".
  std::string digest;                 ///< Expected digest, lower-case hex; must match the request.
  std::string etag;                   ///< The strong ETag of the first response (empty when none or weak).
  std::string last_modified;          ///< Its Last-Modified (used in If-Range only without an ETag).
  std::uint64_t offset = 0;           ///< Bytes on disk at the last checkpoint.
};

/// The Store key of a resume key ("dl." + key).
std::string resume_store_key(std::string_view resume_key);

/// True when `key` is 1 to 100 characters of [A-Za-z0-9._-] (a store key on every file system).
bool is_valid_resume_key(std::string_view key);

/// The record as text. kInvalidArgument when a value holds a line break (no URL or header value may).
Result<std::string> encode_resume_record(const ResumeRecord& record);

/// The record from text; kMalformed (naming the problem, never a value) for a wrong version, a missing or
/// unknown field, a bad number or text over defaults::kMaxResumeRecordBytes.
Result<ResumeRecord> decode_resume_record(std::string_view text);

}  // namespace docklink::transfer::detail
