#include "docklink/transfer/upload.hpp"
#include "real_time_waiter.hpp"
#include "resume_record.hpp"  // is_valid_resume_key
#include "upload_record.hpp"
#include "upload_run.hpp"

namespace docklink::transfer {
namespace {

Status invalid(std::string message) { return Status(StatusCode::kInvalidArgument, std::move(message)); }

Status check_destination(const UploadRequest& request) {
  if (!request.presigned_url.empty()) {
    bool http = request.presigned_url.rfind("http://", 0) == 0 || request.presigned_url.rfind("https://", 0) == 0;
    return http ? Status::ok() : invalid("pre-signed URL must start with http:// or https://");
  }
  if (request.destination.bucket.empty() || request.destination.key.empty()) {
    return invalid("upload needs a bucket and a key (or a pre-signed URL)");
  }
  if (!request.credentials) return invalid("signed upload needs a credentials provider");
  return Status::ok();
}

Status check_request(const UploaderPorts& ports, const UploadRequest& request) {
  if (ports.http == nullptr || ports.hashing == nullptr || ports.clock == nullptr) {
    return invalid("uploader needs an HTTP client, hashing and a clock");
  }
  if (request.source.empty()) return invalid("upload source is empty");
  Status destination = check_destination(request);
  if (!destination) return destination;
  if (request.part_size < defaults::kS3MinPartBytes) return invalid("part size below S3's 5 MiB minimum");
  if (request.multipart_threshold == 0 || request.multipart_threshold > defaults::kS3MaxPutBytes) {
    return invalid("multipart threshold must be 1 byte to 5 GiB (S3's largest single PUT)");
  }
  if (!request.resume_key.empty() && !detail::is_valid_resume_key(request.resume_key)) {
    return invalid("resume key must be 1 to 100 characters of [A-Za-z0-9._-]");
  }
  return Status::ok();
}

}  // namespace

Uploader::Uploader(UploaderPorts ports, UploaderOptions options) : ports_(ports), options_(options) {}

UploadResult Uploader::upload(const UploadRequest& request, TransferControl* control) const {
  if (Status refused = check_request(ports_, request); !refused) {
    UploadResult result;
    result.status = std::move(refused);
    result.error = TransferError::kInvalidRequest;
    return result;
  }
  TransferControl own_control;
  detail::UploadRun run(ports_, options_, request, control != nullptr ? *control : own_control,
                        detail::waiter_or_real_time(options_.waiter));
  return run.run();
}

Status Uploader::discard(const UploadRequest& request) const {
  if (request.resume_key.empty() || ports_.store == nullptr) return Status::ok();
  return ports_.store->remove(detail::upload_store_key(request.resume_key));
}

}  // namespace docklink::transfer
