// Firmware upgrade (ota_create + ota_progress, docs/protocol.md#files). A call whose devices name a package
// (file_url) is a real download: the SDK's OtaUpgrader fetches every package into --files-dir on the process's
// TransferManager, checks its size and MD5, reports ota_progress from the bytes received, and hands the verified
// file to install_firmware(), which "installs" it by checking it is there and taking its version. A call without
// any URL (a consistency upgrade, which brings no package) keeps the simulated upgrade: ten progress steps over
// 30 simulated seconds.
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "docklink/generated/types.hpp"
#include "docklink/result_codes.hpp"
#include "docklink/typed_event.hpp"
#include "json_write.hpp"
#include "product_services.hpp"
#include "sim_dock.hpp"
#include "sim_files.hpp"

namespace docklink::sim {

/// A simulated upgrade in progress (a call without packages).
struct OtaRun {
  std::string bid;                                           ///< ota_create's bid: ota_progress carries it.
  std::vector<std::pair<std::string, std::string>> targets;  ///< (sn, new firmware version)
  int percent = 0;
};

namespace {

constexpr int kOtaPercentStep = 10;
constexpr double kOtaStepSeconds = 3.0;  // 30 simulated seconds for a whole simulated upgrade
using OtaStep = generated::shared::OtaProgressEventOutputProgressCurrentStep;

}  // namespace

void SimDock::attach_files(SimFiles& files) {
  files_ = &files;
  dji::OtaOptions options;
  options.download_dir = files.directory();
  options.installer = [this](const dji::OtaPackage& package, const std::string& path) {
    return install_firmware(package, path);
  };
  options.on_finished = [this](std::int32_t code) { finish_upgrade(code); };
  ota_ = std::make_unique<dji::OtaUpgrader>(*client_, files.manager(), std::move(options));
  start_log_uploader();                            // log_upload.cpp
  if (options_.iotda) return attach_iotda(files);  // iotda_files.cpp: $ota, and media over $file_manager
  start_media_uploader();                          // media_upload.cpp
}

// ota_create is a typed service: devices (at most two, every field present) come in decoded from the product's
// own thing model.
void SimDock::register_firmware() {
  visit_services(product_, [this](auto services) {
    using Services = decltype(services);
    serve<typename Services::OtaCreate>(
        [this](const auto& params, ServiceCall& call) { return ota_create(params.devices, call); });
  });
}

template <class Devices>
ServiceReply SimDock::ota_create(const Devices& devices, ServiceCall& call) {
  if (devices.empty()) return ServiceReply::error(result_code::kInvalidParameter);
  auto run = std::make_shared<OtaRun>();
  run->bid = std::string(call.bid());
  bool download = false;
  for (const auto& device : devices) {
    if ((device.sn != sn_ && device.sn != aircraft_sn_) || device.product_version.empty()) {
      return ServiceReply::error(result_code::kInvalidParameter);
    }
    run->targets.emplace_back(device.sn, device.product_version);
    download = download || !device.file_url.empty();
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_.mode_code == DockMode::kFirmwareUpgrading)
      return ServiceReply::error(result_code::kUpgradeAlreadyRunning);
    if (state_.mode_code != DockMode::kIdle || !state_.job_method.empty())
      return ServiceReply::error(result_code::kUpgradeDockBusy);
    state_.mode_code = DockMode::kFirmwareUpgrading;
    state_.firmware_upgrade_status = 1;
  }
  report_state({StateGroup::kDockFirmware});
  if (download) return download_firmware(call);
  scheduler_.after(std::chrono::milliseconds(100), [this, run] { ota_step(run); });
  return ServiceReply::ok(R"({"status":"in_progress"})");
}

// Hands the call to the OtaUpgrader; the dock leaves its upgrading state when the upgrader refuses the call (e.g. an
// MD5 that is not 32 hex digits: 325001) or, through finish_upgrade(), when the job ends.
ServiceReply SimDock::download_firmware(ServiceCall& call) {
  if (ota_ == nullptr || !files_->ensure_directory()) {
    if (log_ != nullptr) log_->write(port::LogLevel::kError, "dock-sim", "ota_create: --files-dir cannot be created");
    finish_upgrade(result_code::kCommandFailed);
    return ServiceReply::error(result_code::kCommandFailed);
  }
  ServiceReply reply = ota_->handle(call);
  if (reply.result != result_code::kSuccess) finish_upgrade(reply.result);
  return reply;
}

// The OtaUpgrader's installer (a dispatcher thread): a package must be where the upgrader put it; the device then
// runs the new version. A device without a package (consistency upgrade beside one with a package) takes it as is.
std::int32_t SimDock::install_firmware(const dji::OtaPackage& package, const std::string& path) {
  std::error_code error;
  if (!path.empty() && !std::filesystem::is_regular_file(path, error)) return result_code::kUpgradeInstallFailed;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    (package.sn == sn_ ? state_.firmware_version : state_.drone_firmware_version) = package.product_version;
  }
  report_state({package.sn == sn_ ? StateGroup::kDockFirmware : StateGroup::kAircraftFirmware});
  return result_code::kSuccess;
}

// The end of a real upgrade, whichever way it ended (`code` 0 or its failure): the dock is idle again.
void SimDock::finish_upgrade(std::int32_t code) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_.mode_code == DockMode::kFirmwareUpgrading) state_.mode_code = DockMode::kIdle;
    state_.firmware_upgrade_status = 0;
  }
  if (code != result_code::kSuccess && log_ != nullptr) {
    log_->write(port::LogLevel::kWarn, "dock-sim", sn_ + ": firmware upgrade failed with " + std::to_string(code));
  }
  report_state({StateGroup::kDockFirmware});
}

// One step of a simulated upgrade on the scheduler thread. The progress event is ota_progress, not the service
// method, so it is published directly with ota_create's bid rather than through a Job.
void SimDock::ota_step(std::shared_ptr<OtaRun> run) {
  run->percent = std::min(100, run->percent + kOtaPercentStep);
  bool done = run->percent >= 100;
  generated::shared::OtaProgressEvent event;
  event.result = result_code::kSuccess;
  auto& output = event.output.emplace();
  output.status = done ? generated::shared::ProgressStatus::kOk : generated::shared::ProgressStatus::kInProgress;
  auto& progress = output.progress.emplace();
  progress.percent = run->percent;
  progress.current_step = run->percent <= 50 ? OtaStep::kDownloadFirmware : OtaStep::kUpgradeFirmware;
  EventOptions options;
  options.need_reply = true;
  options.bid = run->bid;
  samples::warn_if_failed(log_, publish_event(*client_, event, options), event.kMethod);
  if (!done) {
    scheduler_.after(std::chrono::milliseconds(scaled_ms(kOtaStepSeconds)), [this, run] { ota_step(run); });
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& target : run->targets) {
      (target.first == sn_ ? state_.firmware_version : state_.drone_firmware_version) = target.second;
    }
    state_.mode_code = DockMode::kIdle;
    state_.firmware_upgrade_status = 0;
  }
  for (const auto& target : run->targets) {
    report_state({target.first == sn_ ? StateGroup::kDockFirmware : StateGroup::kAircraftFirmware});
  }
}

}  // namespace docklink::sim
