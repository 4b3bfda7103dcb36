#include "upload_file.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace docklink::transfer::detail {
namespace {

Status file_error(std::string_view action, const std::string& path, const std::string& why) {
  return Status(StatusCode::kIo, std::string(action) + " " + path + ": " + why);
}

}  // namespace

Result<FileIdentity> file_identity(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))
    return file_error("not a regular file:", path, error ? error.message() : "wrong type");
  std::uint64_t size = std::filesystem::file_size(path, error);
  if (error) return file_error("cannot read the size of", path, error.message());
  auto modified = std::filesystem::last_write_time(path, error);
  if (error) return file_error("cannot read the time of", path, error.message());
  FileIdentity identity;
  identity.size = size;
  identity.modified = std::to_string(static_cast<long long>(modified.time_since_epoch().count()));
  return identity;
}

FileOutcome FileRangeSource::select(std::uint64_t offset, std::uint64_t length) {
  if (!file_.is_open()) {
    file_.open(path_, std::ios::binary);
    if (!file_.is_open()) return {file_error("cannot open", path_, "open failed"), TransferError::kFileIo};
  }
  offset_ = offset;
  length_ = length;
  Status rewound = rewind();
  if (!rewound) return {rewound, TransferError::kFileIo};
  return {};
}

Result<std::size_t> FileRangeSource::read(char* buffer, std::size_t capacity) {
  if (stopped_ && stopped_()) return Status(StatusCode::kShutdown, "upload stopped");
  if (limit_ && capacity > 0) capacity = std::max<std::size_t>(std::min(limit_(capacity), capacity), 1);
  auto read = read_raw(buffer, capacity);
  if (read && read.value() > 0 && on_sent_) on_sent_(read.value());
  return read;
}

Status FileRangeSource::rewind() {
  if (!file_.is_open()) return Status(StatusCode::kInternal, "upload file not open");
  done_ = 0;
  failed_ = false;
  file_.clear();
  file_.seekg(static_cast<std::streamoff>(offset_), std::ios::beg);
  if (!file_) return file_error("cannot seek in", path_, "seek failed");
  return Status::ok();
}

// Up to `capacity` bytes of what is left of the range; a file shorter than the range is an error (it changed).
Result<std::size_t> FileRangeSource::read_raw(char* buffer, std::size_t capacity) {
  if (!file_.is_open()) return Status(StatusCode::kInternal, "upload file not open");
  const std::uint64_t left = length_ - done_;
  const std::size_t wanted = static_cast<std::size_t>(std::min<std::uint64_t>(left, capacity));
  if (wanted == 0) return std::size_t{0};
  file_.read(buffer, static_cast<std::streamsize>(wanted));
  const auto got = static_cast<std::size_t>(file_.gcount());
  if (got == 0) {
    failed_ = true;
    if (file_.bad()) return file_error("cannot read", path_, "read failed");
    return Status(StatusCode::kIo, "file shorter than when its upload began: " + path_);
  }
  done_ += got;
  return got;
}

}  // namespace docklink::transfer::detail
