#include "part_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <unistd.h>
#define DOCKLINK_HAS_FSYNC 1
#endif

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

// The directory part of `path` ("." when it has none).
std::string directory_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Makes a rename in `directory` durable. Where the platform has no fsync, the file system is assumed to commit
// metadata on its own (an RTOS port's flash file system).
FileOutcome sync_directory(const std::string& directory) {
#ifdef DOCKLINK_HAS_FSYNC
  int descriptor = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (descriptor < 0) return file_error("cannot open directory", directory, errno);
  int result = ::fsync(descriptor);
  int error_number = errno;
  ::close(descriptor);
  // Some file systems refuse fsync on a directory (EINVAL): nothing more can be done there.
  if (result != 0 && error_number != EINVAL) return file_error("cannot sync directory", directory, error_number);
#else
  static_cast<void>(directory);
#endif
  return {};
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

FileOutcome PartFile::open_empty() {
  FileOutcome opened = open("wb", "cannot create");
  if (!opened.ok()) return opened;
  return sync_directory(directory_of(path_));  // the new name, so a record's claim finds its file after a power cut
}

FileOutcome PartFile::open_append() { return open("ab", "cannot open"); }

FileOutcome PartFile::append(std::string_view data) {
  if (file_ == nullptr) return {Status(StatusCode::kInternal, "partial file not open"), TransferError::kFileIo};
  errno = 0;
  std::size_t written = std::fwrite(data.data(), 1, data.size(), file_);
  if (written != data.size()) return file_error("cannot write", path_, errno != 0 ? errno : EIO);
  return {};
}

FileOutcome PartFile::sync() {
  if (file_ == nullptr) return {};
#ifdef DOCKLINK_HAS_FSYNC
  errno = 0;
  if (::fsync(::fileno(file_)) != 0) return file_error("cannot sync", path_, errno != 0 ? errno : EIO);
#endif
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

Result<std::uint64_t> PartFile::hash_existing(port::Hasher* hasher, std::vector<char>& buffer) const {
  if (hasher == nullptr) return existing_length();
  std::FILE* file = std::fopen(path_.c_str(), "rb");
  if (file == nullptr) {
    if (errno == ENOENT) return Status(StatusCode::kNotFound, "no partial file " + path_);
    return file_error("cannot open", path_, errno).status;
  }
  std::uint64_t length = 0;
  for (;;) {
    std::size_t got = std::fread(buffer.data(), 1, buffer.size(), file);
    if (got > 0) hasher->update(std::string_view(buffer.data(), got));
    length += got;
    if (got < buffer.size()) break;
  }
  bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return Status(StatusCode::kIo, "cannot read " + path_);
  return length;
}

Result<std::uint64_t> PartFile::existing_length() const {
  std::error_code error;
  const std::uintmax_t length = std::filesystem::file_size(path_, error);
  if (!error) return static_cast<std::uint64_t>(length);
  if (error == std::errc::no_such_file_or_directory) return Status(StatusCode::kNotFound, "no partial file " + path_);
  return Status(StatusCode::kIo, "cannot read the size of " + path_ + ": " + error.message());
}

void PartFile::remove() {
  static_cast<void>(close());  // the file goes away: its close error cannot matter
  std::remove(path_.c_str());
}

FileOutcome PartFile::rename_to(const std::string& destination) {
  FileOutcome synced = sync();
  if (!synced.ok()) return synced;
  FileOutcome closed = close();
  if (!closed.ok()) return closed;
  errno = 0;
  if (std::rename(path_.c_str(), destination.c_str()) != 0) return file_error("cannot rename to", destination, errno);
  return sync_directory(directory_of(destination));
}

}  // namespace docklink::transfer::detail
