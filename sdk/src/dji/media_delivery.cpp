// MediaUploader: one file's way from the queue's head to the cloud: credentials (cached or asked), the upload
// under object_key_prefix on the TransferManager, then file_upload_callback with the key actually used.
#include "media_state.hpp"

namespace docklink::dji::detail {

MediaReport media_report(const MediaEntry& entry, MediaStage stage, Status status) {
  MediaReport report;
  report.id = entry.id;
  report.file = entry.file;
  report.stage = stage;
  report.status = std::move(status);
  report.object_key = entry.object_key;
  return report;
}

void MediaState::deliver(MediaEntry entry) {
  if (entry.uploaded) return announce(entry, transfer::UploadResult());  // uploaded before a restart
  if (auto config = cached_config()) return upload(std::move(entry), *config);
  ask_config(entry);
}

void MediaState::upload(MediaEntry entry, const StorageConfig& config) {
  const std::string& prefix = config.object_key_prefix;
  entry.object_key = prefix.empty() ? entry.file.key_suffix : prefix + "/" + entry.file.key_suffix;
  transfer::UploadRequest request;
  request.source = entry.file.path;
  request.destination = storage_destination(config, entry.object_key);
  request.content_type = entry.file.content_type;
  request.resume_key = "media-" + std::to_string(entry.id);
  request.max_bytes_per_second = options.max_bytes_per_second;
  auto self = shared_from_this();
  // kInitial gets the credentials the key was chosen with; later reasons ask the cloud again (on the worker).
  request.credentials = [self, initial = config.credentials](transfer::CredentialsReason reason) {
    return self->credentials_for(reason, initial);
  };
  auto submitted = manager.submit_upload(
      std::move(request),
      [self, entry](transfer::TransferId, const transfer::UploadResult& result) { self->uploaded(entry, result); });
  if (!submitted) halt(media_report(entry, MediaStage::kUpload, submitted.status()));
}

// After the uploader is gone nothing more happens to the file: its record (if any) is the next process's.
void MediaState::uploaded(MediaEntry entry, const transfer::UploadResult& result) {
  if (is_closed()) return;
  MediaReport outcome = media_report(entry, MediaStage::kUpload, result.status);
  outcome.upload = result;
  if (!result.status.is_ok()) {
    if (result.error == transfer::TransferError::kCredentials ||
        result.error == transfer::TransferError::kCredentialsExpired) {
      std::lock_guard<std::mutex> lock(mutex);
      cached.reset();  // refused even after a refresh: the next try asks the cloud first
    }
    bool hopeless =
        result.error == transfer::TransferError::kFileIo || result.error == transfer::TransferError::kInvalidRequest;
    if (!hopeless) return halt(std::move(outcome));
    outcome.outcome = MediaOutcome::kDropped;
    return finish(entry, std::move(outcome));
  }
  entry.uploaded = true;
  // Not persisted: after a restart the file is uploaded again under a fresh key, then announced; nothing is lost.
  static_cast<void>(persist(entry));
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (!queue.empty() && queue.front().id == entry.id) queue.front() = entry;
  }
  announce(entry, result);
}

void MediaState::announce(const MediaEntry& entry, const transfer::UploadResult& upload) {
  EventOptions event;
  event.need_reply = true;  // DJI: file_upload_callback asks for events_reply
  auto self = shared_from_this();
  Status sent =
      client.publish_event("file_upload_callback", file_upload_callback_json(entry), event,
                           [self, entry, upload](const Reply& reply) { self->announced(entry, upload, reply); });
  if (!sent) {
    MediaReport outcome = media_report(entry, MediaStage::kCallback, sent);
    outcome.upload = upload;
    halt(std::move(outcome));
  }
}

// The cloud answered (the file leaves the queue, also with a non-zero result: the cloud knows of the object), or
// no answer came (the file stays, uploaded, and only the event is sent again).
void MediaState::announced(const MediaEntry& entry, const transfer::UploadResult& upload, const Reply& reply) {
  if (is_closed()) return;
  MediaReport outcome = media_report(entry, MediaStage::kCallback, reply.status);
  outcome.upload = upload;
  outcome.callback_result = reply.result;
  if (!reply.status.is_ok()) return halt(std::move(outcome));
  if (reply.result != 0) {
    outcome.status =
        Status(StatusCode::kRejected, "file_upload_callback answered with result " + std::to_string(reply.result));
  }
  finish(entry, std::move(outcome));
}

}  // namespace docklink::dji::detail
