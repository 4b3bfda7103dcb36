// OtaUpgrader: one ota_create job at a time, its packages downloaded one after the other on the TransferManager,
// then installed. The run's fields are touched only by the handler (before the first download is submitted) and
// by the manager's callbacks, which run one at a time; `busy` is the only field shared across threads.
#include <algorithm>
#include <atomic>
#include <string>
#include <utility>

#include "docklink/dji/ota_job.hpp"
#include "docklink/result_codes.hpp"

namespace docklink::dji {
namespace detail {

struct OtaState {
  Client* client = nullptr;
  transfer::TransferManager* manager = nullptr;
  OtaOptions options;
  std::atomic<bool> busy{false};
};

}  // namespace detail

namespace {

// data of one ota_progress event: {result, output{status, progress{percent, step_key}}}.
std::string ota_progress_json(JobStatus status, int percent, const char* step_key, std::int32_t code) {
  std::string json = R"({"result":)" + std::to_string(code) + R"(,"output":{"status":")" + to_string(status) +
                     R"(","progress":{"percent":)" + std::to_string(percent) + R"(,"step_key":")" + step_key +
                     R"("}}})";
  return json;
}

// One upgrade in flight; kept alive by the callbacks of its current download.
struct OtaRun : std::enable_shared_from_this<OtaRun> {
  std::shared_ptr<detail::OtaState> state;
  std::string bid;  // of the ota_create call: every ota_progress carries it
  std::vector<OtaPackage> packages;
  std::vector<std::string> paths;  // verified file per package ("" when nothing was downloaded)
  std::size_t next = 0;            // the package to download next
  std::uint64_t total_bytes = 0;   // of all packages with a URL
  std::uint64_t done_bytes = 0;    // of the packages already verified
  int last_percent = -1;
  const char* current_step = kOtaStepDownload;

  void publish(JobStatus status, int percent, const char* step_key, std::int32_t code) {
    EventOptions options;
    options.need_reply = true;  // DJI's docks ask for events_reply on ota_progress (docs/protocol.md#events)
    options.bid = bid;
    // A refused publish (offline queue full, client stopped) loses one report; the download goes on regardless.
    static_cast<void>(
        state->client->publish_event("ota_progress", ota_progress_json(status, percent, step_key, code), options));
  }

  void finish(JobStatus status, std::int32_t code) {
    state->busy = false;  // before the final event, so a cloud that reacts to it may start the next upgrade
    publish(status,
            status == JobStatus::kOk ? 100
            : last_percent < 0       ? 0
                                     : last_percent,
            status == JobStatus::kOk ? kOtaStepUpgrade : current_step, code);
    if (state->options.on_finished) state->options.on_finished(code);
  }

  void report_bytes(std::uint64_t bytes_of_current) {
    if (total_bytes == 0) return;
    std::uint64_t in_place = std::min(done_bytes + bytes_of_current, total_bytes);
    int percent = static_cast<int>(in_place * 100U / total_bytes);  // 64-bit: no overflow for large packages
    if (percent == last_percent) return;
    last_percent = percent;
    publish(JobStatus::kInProgress, percent, kOtaStepDownload, result_code::kSuccess);
  }

  void download_next() {
    while (next < packages.size() && packages[next].file_url.empty()) ++next;
    if (next == packages.size()) return install_all();
    const OtaPackage& package = packages[next];
    transfer::DownloadRequest request;
    request.url = package.file_url;
    request.destination = state->options.download_dir + "/ota-" + package.sn + ".bin";
    request.expected_size = package.file_size;
    request.expected_digest = package.md5;
    request.digest_algorithm = port::HashAlgorithm::kMd5;
    request.resume_key = "ota-" + package.sn;
    auto self = shared_from_this();
    request.on_progress = [self](const transfer::TransferProgress& progress) { self->report_bytes(progress.bytes); };
    auto submitted = state->manager->submit_download(
        std::move(request),
        [self](transfer::TransferId, const transfer::DownloadResult& result) { self->downloaded(result); });
    if (!submitted.is_ok()) finish(JobStatus::kFailed, result_code::kUpgradeDockBusy);
  }

  void downloaded(const transfer::DownloadResult& result) {
    if (!result.status.is_ok()) return finish(JobStatus::kFailed, ota_result_code(result.error));
    paths[next] = state->options.download_dir + "/ota-" + packages[next].sn + ".bin";
    done_bytes += packages[next].file_size;
    report_bytes(0);
    ++next;
    download_next();
  }

  void install_all() {
    current_step = kOtaStepUpgrade;
    last_percent = 0;
    publish(JobStatus::kInProgress, 0, kOtaStepUpgrade, result_code::kSuccess);
    for (std::size_t i = 0; i < packages.size(); ++i) {
      std::int32_t code = state->options.installer(packages[i], paths[i]);
      if (code != result_code::kSuccess) return finish(JobStatus::kFailed, code);
    }
    finish(JobStatus::kOk, result_code::kSuccess);
  }
};

ServiceReply start_upgrade(const std::shared_ptr<detail::OtaState>& state, ServiceCall& call) {
  auto packages = parse_ota_create(call.data());
  if (!packages.is_ok()) return ServiceReply::error(result_code::kInvalidParameter);
  if (state->options.download_dir.empty() || !state->options.installer) {
    return ServiceReply::error(result_code::kCommandFailed);
  }
  bool idle = false;
  if (!state->busy.compare_exchange_strong(idle, true)) {
    return ServiceReply::error(result_code::kUpgradeAlreadyRunning);
  }
  auto run = std::make_shared<OtaRun>();
  run->state = state;
  run->packages = std::move(packages).value();
  run->paths.resize(run->packages.size());
  for (const auto& package : run->packages) run->total_bytes += package.file_size;
  run->bid = std::string(call.bid());
  run->download_next();
  return ServiceReply::ok(R"({"status":"in_progress"})");
}

}  // namespace

OtaUpgrader::OtaUpgrader(Client& client, transfer::TransferManager& manager, OtaOptions options)
    : state_(std::make_shared<detail::OtaState>()) {
  state_->client = &client;
  state_->manager = &manager;
  state_->options = std::move(options);
}

OtaUpgrader::~OtaUpgrader() = default;

void OtaUpgrader::attach() {
  // The handler holds the state, not the upgrader, so a client that outlives the upgrader calls nothing freed.
  state_->client->on_service("ota_create", [state = state_](ServiceCall& call) { return start_upgrade(state, call); });
}

ServiceReply OtaUpgrader::handle(ServiceCall& call) { return start_upgrade(state_, call); }

bool OtaUpgrader::busy() const { return state_->busy; }

}  // namespace docklink::dji
