// A download as a TransferJob: the manager's Downloader on a worker thread, progress through the context.
#include "transfer_manager_queue.hpp"

namespace docklink::transfer::detail {
namespace {

class DownloadJob final : public TransferJob {
 public:
  DownloadJob(const Downloader& downloader, DownloadRequest request, std::shared_ptr<DownloadResult> result)
      : downloader_(downloader), request_(std::move(request)), result_(std::move(result)) {}

  TransferOutcome run(TransferContext& context) override {
    // The report goes to the dispatcher; the callback the submitter gave is called there, not here.
    request_.on_progress = [&context](const TransferProgress& progress) { context.report_progress(progress); };
    *result_ = downloader_.download(request_, &context.control());
    request_.on_progress = nullptr;  // it refers to the context, which ends with this call
    return {result_->status, result_->error, result_->size};
  }

 private:
  const Downloader& downloader_;
  DownloadRequest request_;
  std::shared_ptr<DownloadResult> result_;
};

}  // namespace

std::unique_ptr<TransferJob> make_download_job(const Downloader& downloader, DownloadRequest request,
                                               std::shared_ptr<DownloadResult> result) {
  return std::make_unique<DownloadJob>(downloader, std::move(request), std::move(result));
}

}  // namespace docklink::transfer::detail
