// The partial file of a download ("<destination>.part"): written unbuffered so that after a kill -9 its length
// is exactly the bytes handed to the OS, which is where a resume continues; synced to the disk before a resume
// record claims an offset and before the verified file is handed on, so a power cut loses neither.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/port/hash.hpp"
#include "docklink/status.hpp"
#include "docklink/transfer/transfer_error.hpp"

namespace docklink::transfer::detail {

/// A Status with the TransferError kind that explains it.
struct FileOutcome {
  Status status;
  TransferError error = TransferError::kNone;
  bool ok() const { return status.is_ok(); }
};

/// One open partial file. Not thread-safe (the download's own thread uses it).
class PartFile {
 public:
  explicit PartFile(std::string path) : path_(std::move(path)) {}
  ~PartFile() { close(); }
  PartFile(const PartFile&) = delete;
  PartFile& operator=(const PartFile&) = delete;

  /// Creates the file empty (or empties it) and opens it for writing.
  FileOutcome open_empty();
  /// Opens the existing file for appending after its current end.
  FileOutcome open_append();
  /// Appends `data`; kDiskFull when the file system is full.
  FileOutcome append(std::string_view data);
  /// Flushes the file's data to the disk (fsync); ok when it is not open. kDiskFull / kFileIo on failure.
  FileOutcome sync();
  /// Closes the file (writes nothing more); ok when it was not open.
  FileOutcome close();
  /// Feeds the whole existing file to `hasher` through `buffer`; returns its length. kNotFound when absent.
  /// Without a hasher (null) only the length is taken: the file is not read.
  Result<std::uint64_t> hash_existing(port::Hasher* hasher, std::vector<char>& buffer) const;
  /// The existing file's length, without reading it. kNotFound when absent.
  Result<std::uint64_t> existing_length() const;
  /// Closes and deletes the file; a missing file is fine.
  void remove();
  /// Syncs and closes the file, renames it to `destination` (replacing a file there) and syncs the directory,
  /// so the new name survives a power cut.
  FileOutcome rename_to(const std::string& destination);

  const std::string& path() const { return path_; }

 private:
  FileOutcome open(const char* mode, std::string_view action);

  std::string path_;
  std::FILE* file_ = nullptr;
};

}  // namespace docklink::transfer::detail
