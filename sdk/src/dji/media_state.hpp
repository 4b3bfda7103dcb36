// The state behind MediaUploader, shared by the uploader and the callbacks of its requests, uploads and events
// (so a callback that outlives the uploader touches nothing freed). One file is delivered at a time: the head of
// the queue. Fields under `mutex` are shared across threads; nothing is called on the client, the manager, the
// Store or the application while it is held. Private.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

#include "docklink/dji/media_upload.hpp"
#include "media_record.hpp"

namespace docklink::dji::detail {

struct MediaState : std::enable_shared_from_this<MediaState> {
  MediaState(Client& client_, transfer::TransferManager& manager_, port::Platform platform,
             MediaUploaderOptions options_)
      : client(client_),
        manager(manager_),
        store(platform.store),
        clock(platform.clock),
        options(std::move(options_)) {}

  // media_uploader.cpp: the queue.
  void pump();
  void finish(const MediaEntry& entry, MediaReport report);
  void halt(MediaReport report);
  void report(const MediaReport& report);
  Status persist(const MediaEntry& entry);
  bool is_closed() const;

  // media_delivery.cpp: upload and announcement.
  void deliver(MediaEntry entry);
  void upload(MediaEntry entry, const StorageConfig& config);
  void uploaded(MediaEntry entry, const transfer::UploadResult& result);
  void announce(const MediaEntry& entry, const transfer::UploadResult& upload);
  void announced(const MediaEntry& entry, const transfer::UploadResult& upload, const Reply& reply);

  // media_credentials.cpp: storage_config_get and its cache.
  void ask_config(const MediaEntry& entry);
  void config_arrived(const MediaEntry& entry, const Reply& reply);
  std::optional<StorageConfig> cached_config();
  Result<StorageConfig> fetch_config_blocking();
  Result<transfer::ExpiringCredentials> credentials_for(transfer::CredentialsReason reason,
                                                        const transfer::ExpiringCredentials& initial);
  void cache(const StorageConfig& fresh);
  std::chrono::milliseconds request_timeout() const { return std::chrono::milliseconds(options.request_timeout_ms); }

  Client& client;
  transfer::TransferManager& manager;
  port::Store* store;
  const port::Clock* clock;  // checked by start(): nothing runs without it
  const MediaUploaderOptions options;

  mutable std::mutex mutex;
  std::deque<MediaEntry> queue;         // in id order; the head is the one delivering
  std::optional<StorageConfig> cached;  // the last storage_config_get answer
  std::uint64_t next_id = 1;
  bool started = false;
  bool busy = false;    // the head is being delivered
  bool halted = false;  // a failure stopped the queue until retry()
  bool closed = false;  // the uploader is gone: nothing new starts, no report is made
};

}  // namespace docklink::dji::detail

namespace docklink::dji::detail {

/// A report of `entry` at `stage` with `status` (outcome kDelivered until set otherwise).
MediaReport media_report(const MediaEntry& entry, MediaStage stage, Status status);

}  // namespace docklink::dji::detail
