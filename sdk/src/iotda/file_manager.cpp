// FileManager: URL requests with their timeouts, and the matching of the platform's answers to them.
#include <filesystem>
#include <system_error>
#include <utility>

#include "docklink/iotda/events.hpp"
#include "docklink/iotda/file_manager.hpp"
#include "file_manager_state.hpp"
#include "inbound_item.hpp"
#include "runtime_access.hpp"

namespace docklink::iotda {
namespace detail {

bool FileManagerState::take_answered(bool upload, std::string_view device_sn, std::string_view event_id,
                                     std::string_view object_name, WaitingFile& out) {
  std::lock_guard<std::mutex> lock(mutex);
  auto chosen = waiting.end();
  for (auto it = waiting.begin(); it != waiting.end(); ++it) {
    if (it->upload != upload || it->device_sn() != device_sn) continue;
    if ((!event_id.empty() && it->event_id == event_id) || it->file_name == object_name) {
      chosen = it;
      break;
    }
    if (chosen == waiting.end()) chosen = it;  // the oldest, unless one matches by id or name
  }
  if (chosen == waiting.end()) return false;
  out = std::move(*chosen);
  waiting.erase(chosen);
  return true;
}

bool FileManagerState::take(std::uint64_t id, WaitingFile& out) {
  std::lock_guard<std::mutex> lock(mutex);
  for (auto it = waiting.begin(); it != waiting.end(); ++it) {
    if (it->id != id) continue;
    out = std::move(*it);
    waiting.erase(it);
    return true;
  }
  return false;
}

}  // namespace detail

namespace {

using docklink::detail::quoted_json;

/// Checks, numbers and queues `file` as waiting, and arms its timeout; kBusy when full or its name already waits.
Status enqueue(const std::shared_ptr<detail::FileManagerState>& state, detail::WaitingFile& file) {
  if (file.device_sn().empty()) return Status(StatusCode::kInvalidArgument, "$file_manager: no device");
  if (file.file_name.empty() || file.file_name.size() > defaults::kIotdaMaxNameLength) {
    return Status(StatusCode::kInvalidArgument, "$file_manager: file name empty or too long");
  }
  std::lock_guard<std::mutex> lock(state->mutex);
  if (state->closed) return Status(StatusCode::kShutdown, "$file_manager: stopped");
  if (state->waiting.size() >= state->options.max_waiting) {
    return Status(StatusCode::kBusy, "$file_manager: too many transfers wait for a URL");
  }
  for (const auto& other : state->waiting) {
    if (other.upload == file.upload && other.device_sn() == file.device_sn() && other.file_name == file.file_name) {
      return Status(StatusCode::kBusy, "$file_manager: that file already waits for a URL");
    }
  }
  file.id = state->next_id++;
  file.event_id = "file-" + std::to_string(file.id);
  std::weak_ptr<detail::FileManagerState> weak = state;
  const std::uint64_t id = file.id;
  file.timer = state->executor->schedule(
      state->executor->clock().monotonic_ms() + state->options.url_timeout_ms, state->timers, [weak, id] {
        auto alive = weak.lock();
        detail::WaitingFile expired;
        if (!alive || !alive->take(id, expired)) return;  // answered meanwhile
        FileTransferResult result;
        result.status = Status(StatusCode::kTimeout, "$file_manager: the platform sent no URL");
        expired.done(result);
      });
  state->waiting.push_back(file);
  return Status::ok();
}

/// Publishes the URL request of a queued `file`; on failure it no longer waits.
Status ask(const std::shared_ptr<detail::FileManagerState>& state, const detail::WaitingFile& file,
           const std::string& paras) {
  Status sent = state->client->publish_system_event(
      file.device_sn(), service::kFileManager, file.upload ? event_type::kGetUploadUrl : event_type::kGetDownloadUrl,
      paras, file.event_id);
  if (!sent) {
    detail::WaitingFile dropped;
    if (state->take(file.id, dropped)) state->executor->cancel(dropped.timer);
  }
  return sent;
}

void handle_file_event(const std::shared_ptr<detail::FileManagerState>& state, const SystemEvent& event) {
  if (event.service_id != service::kFileManager) return;
  const bool upload = event.event_type == event_type::kGetUploadUrlResponse;
  if (!upload && event.event_type != event_type::kGetDownloadUrlResponse) return;
  auto object = event.paras.FindMember("object_name");
  const std::string_view object_name =
      object != event.paras.MemberEnd() && object->value.IsString() ? object->value.GetString() : "";
  detail::WaitingFile file;
  if (!state->take_answered(upload, event.device_sn, event.event_id, object_name, file)) return;  // not ours
  state->executor->cancel(file.timer);
  detail::start_transfer(state, std::move(file), event);
}

}  // namespace

FileManager::FileManager(Client& client, transfer::TransferManager& manager, Runtime& runtime,
                         FileManagerOptions options)
    : state_(std::make_shared<detail::FileManagerState>()) {
  state_->client = &client;
  state_->manager = &manager;
  state_->executor = &docklink::detail::RuntimeAccess::executor(runtime);
  state_->timers = state_->executor->make_strand();
  state_->options = options;
}

FileManager::~FileManager() {
  std::vector<detail::WaitingFile> left;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->closed = true;
    left.swap(state_->waiting);
  }
  for (const auto& file : left) state_->executor->cancel(file.timer);
  state_->timers->close_and_wait();  // a timeout running now ends before the callbacks below
  FileTransferResult result;
  result.status = Status(StatusCode::kShutdown, "$file_manager: destroyed while waiting for a URL");
  for (const auto& file : left) file.done(result);
}

void FileManager::attach() {
  // The handler holds the state, not the manager, so a client that outlives the FileManager calls nothing freed.
  state_->client->on_system_event(std::string(service::kFileManager),
                                  [state = state_](const SystemEvent& event) { handle_file_event(state, event); });
}

void FileManager::handle(const SystemEvent& event) { handle_file_event(state_, event); }

Status FileManager::upload(FileUpload file, FileDoneCallback done) {
  std::error_code error;
  const std::uint64_t size = std::filesystem::file_size(file.path, error);
  if (file.path.empty() || error) return Status(StatusCode::kInvalidArgument, "$file_manager: cannot read the file");
  detail::WaitingFile waiting;
  waiting.upload = true;
  waiting.file_name = file.file_name.empty() ? std::filesystem::path(file.path).filename().string() : file.file_name;
  waiting.up = std::move(file);
  waiting.done = std::move(done);
  Status queued = enqueue(state_, waiting);
  if (!queued) return queued;
  std::string paras = "{\"file_name\":" + quoted_json(waiting.file_name) + ",\"file_attributes\":{";
  if (!waiting.up.sha256.empty()) paras += "\"hash_code\":" + quoted_json(waiting.up.sha256) + ",";
  paras += "\"size\":" + std::to_string(size) + "}}";
  return ask(state_, waiting, paras);
}

Status FileManager::download(FileDownload file, FileDoneCallback done) {
  if (file.destination.empty()) return Status(StatusCode::kInvalidArgument, "$file_manager: no destination");
  detail::WaitingFile waiting;
  waiting.upload = false;
  waiting.file_name = file.file_name;
  waiting.down = std::move(file);
  waiting.done = std::move(done);
  Status queued = enqueue(state_, waiting);
  if (!queued) return queued;
  return ask(state_, waiting, "{\"file_name\":" + quoted_json(waiting.file_name) + "}");
}

std::size_t FileManager::waiting() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->waiting.size();
}

}  // namespace docklink::iotda
