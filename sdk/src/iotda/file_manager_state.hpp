// FileManager's shared state: the transfers waiting for their URL, each with its timeout timer. Internal.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "docklink/iotda/file_manager.hpp"
#include "executor.hpp"

namespace docklink::iotda::detail {

/// One upload or download between its URL request and the platform's answer.
struct WaitingFile {
  std::uint64_t id = 0;
  bool upload = true;
  std::string event_id;  ///< Of the request ("file-<id>"), in case the platform echoes it.
  std::string file_name;
  FileUpload up;      ///< When `upload`.
  FileDownload down;  ///< When not.
  FileDoneCallback done;
  docklink::detail::TimerId timer = 0;

  const std::string& device_sn() const { return upload ? up.device_sn : down.device_sn; }
};

struct FileManagerState : std::enable_shared_from_this<FileManagerState> {
  Client* client = nullptr;
  transfer::TransferManager* manager = nullptr;
  docklink::detail::Executor* executor = nullptr;
  std::shared_ptr<docklink::detail::Strand> timers;  ///< Runs the URL timeouts.
  FileManagerOptions options;

  mutable std::mutex mutex;
  std::vector<WaitingFile> waiting;  ///< Oldest first; guarded by mutex.
  std::uint64_t next_id = 1;         ///< Guarded by mutex.
  bool closed = false;               ///< The FileManager is gone; guarded by mutex.

  /// Takes the waiting transfer an answer of `device_sn` about `object_name` is for (see FileManager); false when
  /// none waits.
  bool take_answered(bool upload, std::string_view device_sn, std::string_view event_id, std::string_view object_name,
                     WaitingFile& out);
  /// Takes the waiting transfer `id`; false when it is no longer waiting.
  bool take(std::uint64_t id, WaitingFile& out);
};

/// Runs a transfer whose URL arrived, then reports it and calls its callback (file_manager_transfer.cpp).
void start_transfer(const std::shared_ptr<FileManagerState>& state, WaitingFile file, const SystemEvent& answer);

}  // namespace docklink::iotda::detail
