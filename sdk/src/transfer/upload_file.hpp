// The file being uploaded, read in ranges (a part, or the whole file) straight from disk and sent as a request
// body (upload_payload_hash.hpp hashes them). Memory stays one fixed buffer whatever the file's size.
#pragma once

#include <cstdint>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "docklink/port/http.hpp"
#include "part_file.hpp"  // FileOutcome

namespace docklink::transfer::detail {

/// What tells one version of a file from another: its size and modification time.
struct FileIdentity {
  std::uint64_t size = 0;
  std::string modified;  ///< Modification time as decimal text (compared, never interpreted).
};

/// The identity of the file at `path`; kIo (TransferError::kFileIo) when it cannot be read.
Result<FileIdentity> file_identity(const std::string& path);

/// One byte range of a file as a request body. Not thread-safe (the upload's thread uses it).
class FileRangeSource final : public port::HttpBodySource {
 public:
  FileRangeSource(std::string path, std::vector<char>& buffer) : path_(std::move(path)), buffer_(buffer) {}
  FileRangeSource(const FileRangeSource&) = delete;
  FileRangeSource& operator=(const FileRangeSource&) = delete;

  /// Selects bytes [offset, offset + length) of the file (opening it on first use) and starts at its first byte.
  FileOutcome select(std::uint64_t offset, std::uint64_t length);
  /// Called after each piece read for sending, with its size (progress).
  void on_sent(std::function<void(std::size_t)> callback) { on_sent_ = std::move(callback); }
  /// Bounds each read: `limit` gets the client's capacity and returns the most to read now (>= 1; pacing).
  void limit_reads(std::function<std::size_t(std::size_t)> limit) { limit_ = std::move(limit); }
  /// Ends the body with an error once `stopped` says so: a cancelled upload must not send the rest at full speed
  /// (the pacer stops holding reads back when a stop is asked) and be stored whole before the client aborts.
  void stop_when(std::function<bool()> stopped) { stopped_ = std::move(stopped); }

  /// True once a read failed (the file changed or the disk failed): the request failed for a local reason.
  bool failed() const { return failed_; }

  Result<std::size_t> read(char* buffer, std::size_t capacity) override;
  Status rewind() override;

 private:
  Result<std::size_t> read_raw(char* buffer, std::size_t capacity);

  std::string path_;
  std::vector<char>& buffer_;
  std::ifstream file_;
  std::uint64_t offset_ = 0;
  std::uint64_t length_ = 0;
  std::uint64_t done_ = 0;
  bool failed_ = false;
  std::function<void(std::size_t)> on_sent_;
  std::function<std::size_t(std::size_t)> limit_;
  std::function<bool()> stopped_;
};

}  // namespace docklink::transfer::detail
