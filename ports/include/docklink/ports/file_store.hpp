// The Linux store port: one file per record in a directory, written so that a record survives kill -9 and
// power loss once put() returned.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/export.hpp"
#include "docklink/port/store.hpp"
#include "docklink/status.hpp"

namespace docklink::ports {

/// port::Store over a directory. Each key (see is_valid_store_key) is a file name. put() writes a temporary
/// file, fsyncs it, renames it over the record and fsyncs the directory, so a reader sees either the old or the
/// new value, never a torn one. Thread-safe. One FileStore per directory: open() takes an exclusive lock (flock on
/// the file "~lock" in the directory) that lasts until the FileStore is destroyed, so two processes (or two
/// objects) can never delete or resend each other's records. Temporary files are created exclusively and no
/// file is opened through a symbolic link.
class DOCKLINK_API FileStore : public port::Store {
 public:
  /// Opens `directory`, creating it (and missing parents, mode 0700) when absent, and removes temporary files a
  /// crash left behind. kBusy when another FileStore (in any process) has the directory open, kIo when it cannot
  /// be created, opened or locked. Check the result: a failed open holds no store.
  [[nodiscard]] static Result<std::unique_ptr<FileStore>> open(std::string directory);

  ~FileStore() override;
  FileStore(const FileStore&) = delete;
  FileStore& operator=(const FileStore&) = delete;

  /// Durably writes (or replaces) a record. kInvalidArgument for a bad key, kIo when the disk fails.
  Status put(std::string_view key, std::string_view value) override;
  /// Durably removes a record; a missing key is ok.
  Status remove(std::string_view key) override;
  /// Reads a record; kNotFound when absent.
  Result<std::string> get(std::string_view key) const override;
  /// Keys starting with `prefix`, in ascending byte order. Files that are not valid keys are ignored.
  Result<std::vector<std::string>> keys(std::string_view prefix) const override;

  /// The directory this store lives in.
  const std::string& directory() const noexcept { return directory_; }

 private:
  FileStore(std::string directory, int directory_fd, int lock_fd);
  Status sync_directory() const;
  // Creates a fresh temporary file for `name` (its name in `temp_name`); -1 with errno set on failure.
  int create_temp(std::string_view name, std::string& temp_name);

  const std::string directory_;
  const int directory_fd_;
  const int lock_fd_;  ///< Holds the directory's flock.
  std::atomic<std::uint64_t> next_temp_number_{0};
};

}  // namespace docklink::ports
