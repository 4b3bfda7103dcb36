// The resume record of a multipart upload, kept in the Store under "ul.<resume key>": the upload id and every
// finished part's ETag, so a later run (after a restart or kill -9) completes the upload without sending those
// parts again. Servers such as s3rver have no ListParts, so this record is the only memory of the parts. A
// versioned text record, one "name=value" a line in a fixed order, then one "part=<number> <etag>" line per
// finished part in ascending order, closed by an "end" line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/status.hpp"

namespace docklink::transfer::detail {

/// The first line of every record; a record with another first line is not ours (or a future version).
inline constexpr std::string_view kUploadRecordVersion = "docklink-upload 1";

/// One part the server stored.
struct UploadedPart {
  std::uint32_t number = 0;  ///< 1-based.
  std::string etag;          ///< As the server returned it, quotes included.
};

/// What is remembered about a multipart upload in progress.
struct UploadRecord {
  std::string source;               ///< The local file; must match the request.
  std::uint64_t size = 0;           ///< Its size when the upload began; must match the file now.
  std::string modified;             ///< Its modification time (opaque text); must match the file now.
  std::string bucket;               ///< Must match the request.
  std::string key;                  ///< Must match the request.
  std::uint64_t part_size = 0;      ///< The part size in use; must match the request's (after growth).
  std::string upload_id;            ///< From CreateMultipartUpload.
  std::vector<UploadedPart> parts;  ///< Finished parts, ascending by number.
};

/// The Store key of a resume key ("ul." + key).
std::string upload_store_key(std::string_view resume_key);

/// The record as text. kInvalidArgument when a value holds a line break or the text would exceed
/// defaults::kMaxUploadRecordBytes.
Result<std::string> encode_upload_record(const UploadRecord& record);

/// The record from text; kMalformed (naming the problem, never a value) for a wrong version, a missing, unknown
/// or out-of-order field, a bad number, parts not ascending or out of range, or text over the size limit.
Result<UploadRecord> decode_upload_record(std::string_view text);

}  // namespace docklink::transfer::detail
