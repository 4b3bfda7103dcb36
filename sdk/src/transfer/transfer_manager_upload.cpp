// An upload as a TransferJob: the manager's Uploader on a worker thread, progress through the context.
#include "transfer_manager_queue.hpp"

namespace docklink::transfer::detail {
namespace {

class UploadJob final : public TransferJob {
 public:
  UploadJob(const Uploader& uploader, UploadRequest request, std::shared_ptr<UploadResult> result)
      : uploader_(uploader), request_(std::move(request)), result_(std::move(result)) {}

  TransferOutcome run(TransferContext& context) override {
    // The report goes to the dispatcher; the callback the submitter gave is called there, not here.
    request_.on_progress = [&context](const TransferProgress& progress) { context.report_progress(progress); };
    *result_ = uploader_.upload(request_, &context.control());
    request_.on_progress = nullptr;  // it refers to the context, which ends with this call
    return {result_->status, result_->error, result_->status.is_ok() ? result_->size : result_->sent};
  }

 private:
  const Uploader& uploader_;
  UploadRequest request_;
  std::shared_ptr<UploadResult> result_;
};

}  // namespace

std::unique_ptr<TransferJob> make_upload_job(const Uploader& uploader, UploadRequest request,
                                             std::shared_ptr<UploadResult> result) {
  return std::make_unique<UploadJob>(uploader, std::move(request), std::move(result));
}

}  // namespace docklink::transfer::detail
