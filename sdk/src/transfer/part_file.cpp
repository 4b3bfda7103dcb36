#include "part_file.hpp"

#include <cerrno>
#include <cstring>

namespace docklink::transfer::detail {
namespace {

// ENOSPC and a full quota both mean: free space, then resume.
bool is_disk_full(int error_number) {
#ifdef EDQUOT
  if (error_number == EDQUOT) return true;
#endif
  return error_number == ENOSPC;
}

FileOutcome file_error(std::string_view action, const std::string& path, int error_number) {
  std::string message(action);
  message.append(" ").append(path).append(": ").append(std::strerror(error_number));
  if (is_disk_full(error_number)) return {Status(StatusCode::kIo, std::move(message)), TransferError::kDiskFull};
  return {Status(StatusCode::kIo, std::move(message)), TransferError::kFileIo};
}

}  // namespace

FileOutcome PartFile::open(const char* mode, std::string_view action) {
  static_cast<void>(close());  // a former handle's close error does not matter: its data is re-read or discarded
  errno = 0;
  file_ = std::fopen(path_.c_str(), mode);
  if (file_ == nullptr) return file_error(action, path_, errno);
  // Unbuffered: every append reaches the OS before the next piece is accepted, so the file's length is the
  // resume offset even after a kill -9 (the engine's pieces are the HTTP client's, no extra copy is needed).
  std::setvbuf(file_, nullptr, _IONBF, 0);
  return {};
}

FileOutcome PartFile::open_empty() { return open("wb", "cannot create"); }

FileOutcome PartFile::open_append() { return open("ab", "cannot open"); }

FileOutcome PartFile::append(std::string_view data) {
  if (file_ == nullptr) return {Status(StatusCode::kInternal, "partial file not open"), TransferError::kFileIo};
  errno = 0;
  std::size_t written = std::fwrite(data.data(), 1, data.size(), file_);
  if (written != data.size()) return file_error("cannot write", path_, errno != 0 ? errno : EIO);
  return {};
}

FileOutcome PartFile::close() {
  if (file_ == nullptr) return {};
  errno = 0;
  int result = std::fclose(file_);
  file_ = nullptr;
  if (result != 0) return file_error("cannot close", path_, errno != 0 ? errno : EIO);
  return {};
}

Result<std::uint64_t> PartFile::hash_existing(port::Hasher& hasher, std::vector<char>& buffer) const {
  std::FILE* file = std::fopen(path_.c_str(), "rb");
  if (file == nullptr) {
    if (errno == ENOENT) return Status(StatusCode::kNotFound, "no partial file " + path_);
    return file_error("cannot open", path_, errno).status;
  }
  std::uint64_t length = 0;
  for (;;) {
    std::size_t got = std::fread(buffer.data(), 1, buffer.size(), file);
    if (got > 0) hasher.update(std::string_view(buffer.data(), got));
    length += got;
    if (got < buffer.size()) break;
  }
  bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return Status(StatusCode::kIo, "cannot read " + path_);
  return length;
}

void PartFile::remove() {
  static_cast<void>(close());  // the file goes away: its close error cannot matter
  std::remove(path_.c_str());
}

FileOutcome PartFile::rename_to(const std::string& destination) {
  FileOutcome closed = close();
  if (!closed.ok()) return closed;
  errno = 0;
  if (std::rename(path_.c_str(), destination.c_str()) != 0) return file_error("cannot rename to", destination, errno);
  return {};
}

}  // namespace docklink::transfer::detail
