// LogUploader: the fileupload_start and fileupload_update handlers.
#include "docklink/result_codes.hpp"
#include "log_state.hpp"

namespace docklink::dji {
namespace detail {
namespace {

// A request the application has no file for fails at once (reported with the first progress event).
std::vector<LogFile> map_files(const LogState& state, const std::vector<LogRequest>& requests) {
  std::vector<LogFile> files;
  for (const auto& request : requests) {
    LogFile file;
    file.request = request;
    auto path = state.options.map_file(request);
    if (path.is_ok() && !path.value().empty()) {
      file.path = std::move(path).value();
    } else {
      file.status = LogFileStatus::kFailed;
      file.result = result_code::kLogFileUnavailable;
      file.finish_time_ms = state.clock->wall_ms();
    }
    files.push_back(std::move(file));
  }
  return files;
}

ServiceReply start_run(const std::shared_ptr<LogState>& state, ServiceCall& call) {
  if (!state->options.map_file || state->clock == nullptr) return ServiceReply::error(result_code::kCommandFailed);
  auto start = parse_fileupload_start(call.data(), state->clock->wall_ms(), state->client.sn());
  if (!start) return ServiceReply::error(result_code::kInvalidParameter);
  auto run = std::make_shared<LogRun>();
  run->state = state;
  run->bid = std::string(call.bid());
  run->storage = std::move(start.value().storage);
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    if (state->run) return ServiceReply::error(result_code::kExportingLogs);
    state->run = run;
  }
  auto files = map_files(*state, start.value().requests);
  {
    std::lock_guard<std::mutex> lock(run->mutex);
    run->files = std::move(files);
  }
  run->start_next();
  return ServiceReply::ok();
}

ServiceReply update_run(const std::shared_ptr<LogState>& state, ServiceCall& call) {
  const auto& data = call.data();
  auto status = data.FindMember("status");
  if (status == data.MemberEnd() || !status->value.IsString())
    return ServiceReply::error(result_code::kInvalidParameter);
  if (std::string(status->value.GetString()) != "cancel") return ServiceReply::error(result_code::kInvalidParameter);
  std::vector<std::string> modules;
  auto list = data.FindMember("module_list");
  if (list != data.MemberEnd() && list->value.IsArray()) {
    for (const auto& module : list->value.GetArray()) {
      if (module.IsString()) modules.emplace_back(module.GetString());
      if (module.IsInt64()) modules.push_back(std::to_string(module.GetInt64()));
    }
  }
  std::shared_ptr<LogRun> run;
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    run = state->run;
  }
  if (run) run->cancel(modules);  // nothing running: nothing to stop, which is what the cloud asked
  return ServiceReply::ok();
}

}  // namespace
}  // namespace detail

LogUploader::LogUploader(Client& client, transfer::TransferManager& manager, port::Platform platform,
                         LogUploaderOptions options)
    : state_(std::make_shared<detail::LogState>(client, manager, platform, std::move(options))) {}

LogUploader::~LogUploader() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->closed = true;
}

void LogUploader::attach() {
  // The handlers hold the state, not the uploader, so a client that outlives the uploader calls nothing freed.
  state_->client.on_service("fileupload_start",
                            [state = state_](ServiceCall& call) { return detail::start_run(state, call); });
  state_->client.on_service("fileupload_update",
                            [state = state_](ServiceCall& call) { return detail::update_run(state, call); });
}

ServiceReply LogUploader::handle_start(ServiceCall& call) { return detail::start_run(state_, call); }

ServiceReply LogUploader::handle_update(ServiceCall& call) { return detail::update_run(state_, call); }

bool LogUploader::busy() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->run != nullptr;
}

}  // namespace docklink::dji
