// OtaUpgrader: one upgrade at a time, downloaded on the TransferManager, then installed. The run's fields are
// touched only by the event handler (before its download is submitted) and by the manager's callbacks, which run
// one at a time; `busy` is the only field shared across threads.
#include <algorithm>
#include <atomic>
#include <string>
#include <utility>

#include "docklink/iotda/events.hpp"
#include "docklink/iotda/ota.hpp"
#include "inbound_item.hpp"

namespace docklink::iotda {
namespace detail {

struct OtaState {
  Client* client = nullptr;
  transfer::TransferManager* manager = nullptr;
  OtaOptions options;
  std::atomic<bool> busy{false};
};

}  // namespace detail

namespace {

using docklink::detail::quoted_json;

/// The version an upgrade of `package`'s kind reports as the device's current one.
std::string current_version(const detail::OtaState& state, const OtaPackage& package) {
  DeviceVersions versions = state.options.versions(package.device_sn);
  return package.software ? versions.sw_version : versions.fw_version;
}

/// Publishes one upgrade_progress_report; a refused publish (queue full, client stopped) loses this report only.
void report_progress(const detail::OtaState& state, const std::string& device_sn, std::int32_t code, int progress,
                     const std::string& version, std::string_view description) {
  std::string paras = "{\"result_code\":" + std::to_string(code) + ",\"progress\":" + std::to_string(progress) +
                      ",\"version\":" + quoted_json(version);
  if (!description.empty()) paras += ",\"description\":" + quoted_json(description);
  paras += "}";
  static_cast<void>(
      state.client->publish_system_event(device_sn, service::kOta, event_type::kUpgradeProgressReport, paras));
}

Status publish_versions(const detail::OtaState& state, const std::string& device_sn) {
  DeviceVersions versions = state.options.versions(device_sn);
  std::string paras = "{";
  if (!versions.sw_version.empty()) paras += "\"sw_version\":" + quoted_json(versions.sw_version);
  if (!versions.fw_version.empty()) {
    paras += (paras.size() > 1 ? "," : "") + std::string("\"fw_version\":") + quoted_json(versions.fw_version);
  }
  paras += "}";
  return state.client->publish_system_event(device_sn, service::kOta, event_type::kVersionReport, paras);
}

// One upgrade in flight; kept alive by the callbacks of its download.
struct OtaRun : std::enable_shared_from_this<OtaRun> {
  std::shared_ptr<detail::OtaState> state;
  OtaPackage package;
  std::string path;
  int last_percent = 0;

  void fail(std::int32_t code, std::string_view why) {
    state->busy = false;  // before the report, so a platform that reacts to it may start the next upgrade
    report_progress(*state, package.device_sn, code, last_percent, current_version(*state, package), why);
  }

  void report_bytes(const transfer::TransferProgress& progress) {
    const std::uint64_t total = package.file_size != 0 ? package.file_size : progress.total;
    if (total == 0) return;
    // 64-bit arithmetic (no overflow for large packages); 100 is kept for the installed upgrade.
    const int percent = static_cast<int>(std::min<std::uint64_t>(progress.bytes * 100U / total, 99U));
    if (percent <= last_percent) return;
    last_percent = percent;
    report_progress(*state, package.device_sn, ota_result::kSuccess, percent, current_version(*state, package), {});
  }

  void start() {
    report_progress(*state, package.device_sn, ota_result::kSuccess, 0, current_version(*state, package), {});
    transfer::DownloadRequest request;
    request.url = package.url;
    if (!package.access_token.empty()) request.headers.push_back({"Authorization", "Bearer " + package.access_token});
    request.destination = path;
    if (package.file_size != 0) request.expected_size = package.file_size;
    request.expected_digest = package.sign;
    request.digest_algorithm = port::HashAlgorithm::kSha256;
    request.resume_key = "iotda-ota-" + package.device_sn;
    auto self = shared_from_this();
    request.on_progress = [self](const transfer::TransferProgress& progress) { self->report_bytes(progress); };
    auto submitted = state->manager->submit_download(
        std::move(request),
        [self](transfer::TransferId, const transfer::DownloadResult& result) { self->downloaded(result); });
    if (!submitted) fail(ota_result::kBusy, "the transfer queue is full");
  }

  void downloaded(const transfer::DownloadResult& result) {
    if (!result.status) return fail(ota_result_code(result.error), result.status.message());
    const std::int32_t code = state->options.installer(package, path);
    if (code != ota_result::kSuccess) return fail(code, "the installer refused the package");
    state->busy = false;
    report_progress(*state, package.device_sn, ota_result::kSuccess, 100, package.version, {});
    static_cast<void>(publish_versions(*state, package.device_sn));  // a lost report: the next query asks again
  }
};

void start_upgrade(const std::shared_ptr<detail::OtaState>& state, const SystemEvent& event) {
  const std::string device_sn(event.device_sn);
  auto parsed = parse_upgrade(event.device_sn, event.event_type, event.paras);
  if (!parsed) {
    OtaPackage unusable;  // only what names the version to report
    unusable.device_sn = device_sn;
    unusable.software = event.event_type.find("software") != std::string_view::npos;
    return report_progress(*state, device_sn, ota_result::kInternalError, 0, current_version(*state, unusable),
                           parsed.status().message());
  }
  OtaPackage package = std::move(parsed).value();
  const std::string version = current_version(*state, package);
  if (version == package.version) {
    return report_progress(*state, device_sn, ota_result::kAlreadyLatest, 0, version, "already that version");
  }
  // Never installed unverified: a missing or malformed digest fails the upgrade (IoTDA's own SDK passes it).
  if (!sign_is_valid(package.sign)) {
    return report_progress(*state, device_sn, ota_result::kVerifyFailed, 0, version, "sign is not a SHA-256 digest");
  }
  if (state->options.download_dir.empty() || !state->options.installer) {
    return report_progress(*state, device_sn, ota_result::kInternalError, 0, version, "no installer configured");
  }
  const std::int32_t ready = state->options.precheck ? state->options.precheck(package) : ota_result::kSuccess;
  if (ready != ota_result::kSuccess) return report_progress(*state, device_sn, ready, 0, version, "refused");
  bool idle = false;
  if (!state->busy.compare_exchange_strong(idle, true)) {
    return report_progress(*state, device_sn, ota_result::kBusy, 0, version, "another upgrade is running");
  }
  auto run = std::make_shared<OtaRun>();
  run->state = state;
  run->package = std::move(package);
  run->path = state->options.download_dir + "/iotda-ota-" + device_sn + ".bin";
  run->start();
}

void handle_ota(const std::shared_ptr<detail::OtaState>& state, const SystemEvent& event) {
  if (event.service_id != service::kOta || !state->options.versions) return;
  if (event.event_type == event_type::kVersionQuery) {
    static_cast<void>(publish_versions(*state, std::string(event.device_sn)));  // refused: the platform asks again
    return;
  }
  start_upgrade(state, event);
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
  state_->client->on_system_event(std::string(service::kOta),
                                  [state = state_](const SystemEvent& event) { handle_ota(state, event); });
  if (state_->options.report_on_connect.empty() || !state_->options.versions) return;
  state_->client->add_connection_listener([state = state_](bool connected, const Status&) {
    if (!connected) return;
    for (const std::string& device_sn : state->options.report_on_connect) {
      static_cast<void>(publish_versions(*state, device_sn));  // refused: the platform can still ask (version_query)
    }
  });
}

void OtaUpgrader::handle(const SystemEvent& event) { handle_ota(state_, event); }

Status OtaUpgrader::report_versions(const std::string& device_sn) {
  if (!state_->options.versions) return Status(StatusCode::kInvalidArgument, "no version source configured");
  return publish_versions(*state_, device_sn);
}

bool OtaUpgrader::busy() const { return state_->busy; }

}  // namespace docklink::iotda
