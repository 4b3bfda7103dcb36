// A queued media file as a Store record: what MediaUploader needs to deliver it after a restart (the file and
// its event members, and once uploaded, the key it went to so only the event is left to send). Private.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "docklink/dji/media_upload.hpp"

namespace docklink::dji::detail {

/// One file of the queue.
struct MediaEntry {
  std::uint64_t id = 0;
  MediaFile file;
  bool uploaded = false;   ///< The object exists; only file_upload_callback is left.
  std::string object_key;  ///< Where it went (set once uploaded).
};

/// The record's text (JSON).
std::string encode_media_entry(const MediaEntry& entry);
/// The entry of a record with id `id`; nullopt when it is not one of ours (corrupt, too large, wrong members).
std::optional<MediaEntry> decode_media_entry(std::uint64_t id, std::string_view text);

/// The Store key of entry `id`: `prefix` and the id in 20 digits, so keys sort in queue order.
std::string media_store_key(const std::string& prefix, std::uint64_t id);
/// The id in a key made by media_store_key; nullopt for any other key.
std::optional<std::uint64_t> media_id_from_key(const std::string& prefix, std::string_view key);

/// kInvalidArgument unless `file` can be queued (see MediaUploader::enqueue); fills in the defaults of name and
/// key_suffix.
Status normalise_media_file(MediaFile& file);

/// The data of the file_upload_callback event for `entry` (uploaded).
std::string file_upload_callback_json(const MediaEntry& entry);

}  // namespace docklink::dji::detail
