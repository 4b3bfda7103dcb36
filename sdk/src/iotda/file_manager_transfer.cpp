// FileManager, after the URL came: the PUT or the verified GET on the TransferManager, then the result report to
// the platform and the application's callback.
#include <utility>

#include "docklink/iotda/events.hpp"
#include "file_manager_state.hpp"
#include "inbound_item.hpp"
#include "json_read.hpp"
#include "text_rules.hpp"

namespace docklink::iotda::detail {
namespace {

using docklink::detail::is_http_url;
using docklink::detail::quoted_json;
using docklink::detail::string_member;

/// Reports the outcome to the platform (when it named an object) and then to the application.
void finish(const std::shared_ptr<FileManagerState>& state, const WaitingFile& file, FileTransferResult result) {
  if (!result.object_name.empty()) {
    std::string paras =
        "{\"object_name\":" + quoted_json(result.object_name) + ",\"result_code\":" + (result.status ? "0" : "1");
    if (result.http_status != 0) paras += ",\"status_code\":" + std::to_string(result.http_status);
    paras += ",\"status_description\":" + quoted_json(result.status ? "success" : result.status.message()) + "}";
    // A refused report (queue full, client stopped) is lost; the application still hears the outcome.
    static_cast<void>(state->client->publish_system_event(
        file.device_sn(), service::kFileManager,
        file.upload ? event_type::kUploadResultReport : event_type::kDownloadResultReport, paras));
  }
  file.done(result);
}

Result<transfer::TransferId> submit_upload(const std::shared_ptr<FileManagerState>& state,
                                           const std::shared_ptr<WaitingFile>& file, FileTransferResult base,
                                           const std::string& url) {
  transfer::UploadRequest request;
  request.source = file->up.path;
  request.presigned_url = url;
  request.content_type = file->up.content_type;
  request.max_bytes_per_second = state->options.max_bytes_per_second;
  return state->manager->submit_upload(std::move(request),
                                       [state, file, base](transfer::TransferId, const transfer::UploadResult& done) {
                                         FileTransferResult result = base;
                                         result.status = done.status;
                                         result.http_status = done.http_status;
                                         result.error = done.error;
                                         finish(state, *file, std::move(result));
                                       });
}

Result<transfer::TransferId> submit_download(const std::shared_ptr<FileManagerState>& state,
                                             const std::shared_ptr<WaitingFile>& file, FileTransferResult base,
                                             const std::string& url, const rapidjson::Value& attributes) {
  transfer::DownloadRequest request;
  request.url = url;
  request.destination = file->down.destination;
  request.expected_digest = file->down.sha256.empty() ? string_member(attributes, "hash_code") : file->down.sha256;
  request.digest_algorithm = port::HashAlgorithm::kSha256;
  request.allow_unverified = file->down.allow_unverified && request.expected_digest.empty();
  auto size = attributes.IsObject() ? attributes.FindMember("size") : attributes.MemberEnd();
  if (attributes.IsObject() && size != attributes.MemberEnd() && size->value.IsUint64()) {
    request.expected_size = size->value.GetUint64();
  }
  request.max_bytes_per_second = state->options.max_bytes_per_second;
  return state->manager->submit_download(
      std::move(request), [state, file, base](transfer::TransferId, const transfer::DownloadResult& done) {
        FileTransferResult result = base;
        result.status = done.status;
        result.http_status = done.http_status;
        result.error = done.error;
        finish(state, *file, std::move(result));
      });
}

}  // namespace

void start_transfer(const std::shared_ptr<FileManagerState>& state, WaitingFile waiting, const SystemEvent& answer) {
  auto file = std::make_shared<WaitingFile>(std::move(waiting));
  FileTransferResult base;
  base.object_name = string_member(answer.paras, "object_name");
  if (base.object_name.empty()) base.object_name = file->file_name;
  const std::string url = string_member(answer.paras, "url");
  if (!is_http_url(url)) {
    base.status = Status(StatusCode::kMalformed, "$file_manager: the answer has no http(s) url");
    base.error = transfer::TransferError::kInvalidRequest;
    return finish(state, *file, std::move(base));
  }
  auto attributes = answer.paras.FindMember("file_attributes");
  static const rapidjson::Value kNone;
  const rapidjson::Value& known = attributes != answer.paras.MemberEnd() ? attributes->value : kNone;
  if (!file->upload && file->down.sha256.empty() && string_member(known, "hash_code").empty() &&
      !file->down.allow_unverified) {
    base.status = Status(StatusCode::kInvalidArgument, "$file_manager: no SHA-256 to verify the download with");
    base.error = transfer::TransferError::kInvalidRequest;
    return finish(state, *file, std::move(base));
  }
  auto submitted =
      file->upload ? submit_upload(state, file, base, url) : submit_download(state, file, base, url, known);
  if (!submitted) {
    base.status = submitted.status();
    return finish(state, *file, std::move(base));
  }
}

}  // namespace docklink::iotda::detail
