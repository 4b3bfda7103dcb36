// MediaUploader: the persisted queue, delivered head first, one file at a time.
#include <algorithm>

#include "media_state.hpp"

namespace docklink::dji {
namespace detail {

// Starts delivering the head of the queue unless one is delivering, the queue is halted or empty.
void MediaState::pump() {
  MediaEntry head;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (!started || busy || halted || closed || queue.empty()) return;
    busy = true;
    head = queue.front();
  }
  deliver(std::move(head));
}

// The head left the queue (delivered or dropped): its record goes, the next file starts.
void MediaState::finish(const MediaEntry& entry, MediaReport outcome) {
  if (store != nullptr) {
    Status removed = store->remove(media_store_key(options.store_prefix, entry.id));
    // A record left behind is delivered again after a restart: a duplicate event, never a lost file.
    static_cast<void>(removed);
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (!queue.empty() && queue.front().id == entry.id) queue.pop_front();
    busy = false;
  }
  report(outcome);
  pump();
}

void MediaState::halt(MediaReport outcome) {
  outcome.outcome = MediaOutcome::kHalted;
  {
    std::lock_guard<std::mutex> lock(mutex);
    busy = false;
    halted = true;
  }
  report(outcome);
}

void MediaState::report(const MediaReport& outcome) {
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (closed) return;
  }
  if (options.on_report) options.on_report(outcome);
}

bool MediaState::is_closed() const {
  std::lock_guard<std::mutex> lock(mutex);
  return closed;
}

Status MediaState::persist(const MediaEntry& entry) {
  if (store == nullptr) return Status::ok();
  return store->put(media_store_key(options.store_prefix, entry.id), encode_media_entry(entry));
}

}  // namespace detail

MediaUploader::MediaUploader(Client& client, transfer::TransferManager& manager, port::Platform platform,
                             MediaUploaderOptions options)
    : state_(std::make_shared<detail::MediaState>(client, manager, platform, std::move(options))) {}

MediaUploader::~MediaUploader() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->closed = true;
}

Result<std::size_t> MediaUploader::start() {
  if (state_->clock == nullptr) return Status(StatusCode::kInvalidArgument, "media uploader needs a clock");
  std::deque<detail::MediaEntry> loaded;
  if (state_->store != nullptr) {
    auto keys = state_->store->keys(state_->options.store_prefix);
    if (!keys) return keys.status();
    for (const auto& key : keys.value()) {
      auto id = detail::media_id_from_key(state_->options.store_prefix, key);
      auto text = id ? state_->store->get(key) : Result<std::string>(Status(StatusCode::kNotFound, key));
      auto entry = text ? detail::decode_media_entry(*id, text.value()) : std::nullopt;
      if (entry) {
        loaded.push_back(std::move(*entry));
      } else if (id) {
        static_cast<void>(state_->store->remove(key));  // not ours to deliver; a failed removal changes nothing
      }
    }
  }
  std::size_t count = loaded.size();
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    if (state_->started) return Status(StatusCode::kInvalidArgument, "media uploader already started");
    for (auto& entry : loaded) state_->next_id = std::max(state_->next_id, entry.id + 1);
    state_->queue = std::move(loaded);
    state_->started = true;
  }
  state_->pump();
  return count;
}

Result<std::uint64_t> MediaUploader::enqueue(MediaFile file) {
  Status valid = detail::normalise_media_file(file);
  if (!valid) return valid;
  detail::MediaEntry entry;
  entry.file = std::move(file);
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    // Before start() the persisted ids are unknown: a new record could overwrite one.
    if (!state_->started) return Status(StatusCode::kInvalidArgument, "media uploader not started");
    if (state_->queue.size() >= state_->options.max_queued) {
      return Status(StatusCode::kBusy, "media queue holds " + std::to_string(state_->options.max_queued) + " files");
    }
    entry.id = state_->next_id++;
  }
  Status persisted = state_->persist(entry);
  if (!persisted) return persisted;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    auto at = std::upper_bound(state_->queue.begin(), state_->queue.end(), entry.id,
                               [](std::uint64_t id, const detail::MediaEntry& queued) { return id < queued.id; });
    state_->queue.insert(at, entry);
    state_->halted = false;
  }
  state_->pump();
  return entry.id;
}

void MediaUploader::retry() {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->halted = false;
  }
  state_->pump();
}

std::size_t MediaUploader::remaining() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->queue.size();
}

void MediaUploader::forget_credentials() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->cached.reset();
}

}  // namespace docklink::dji
