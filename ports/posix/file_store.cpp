#include "docklink/ports/file_store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "docklink/ports/store_key.hpp"

namespace docklink::ports {

namespace {

// Temporary files carry a '~', which no key may contain, so keys() never reports them.
constexpr std::string_view kTempMarker = ".~tmp";
// The lock file: also not a key (it holds '~'), so keys() never reports it and no put() can replace it.
constexpr const char* kLockName = "~lock";
// Tries with further temporary names when one exists already (a leftover or a planted file or link).
constexpr int kTempNameAttempts = 8;

// "<action><subject>: <strerror>". Taking the pieces keeps the string building out of the many error paths.
Status io_error(std::string_view action, std::string_view subject, int error_number) {
  std::string message(action);
  message.append(subject).append(": ").append(std::strerror(error_number));
  return Status(StatusCode::kIo, std::move(message));
}

// Closes a file descriptor on scope exit.
class FdGuard {
 public:
  explicit FdGuard(int fd) : fd_(fd) {}
  ~FdGuard() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdGuard(const FdGuard&) = delete;
  FdGuard& operator=(const FdGuard&) = delete;
  int get() const { return fd_; }
  // Closes now and reports the result: close() can report a deferred write error.
  int close_now() {
    int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

// mkdir -p with mode 0700 (the queue may hold cloud traffic).
Status make_directories(const std::string& path) {
  if (path.empty()) return Status(StatusCode::kInvalidArgument, "store directory is empty");
  for (std::size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = path.substr(0, slash);
    if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) return io_error("cannot create ", prefix, errno);
    if (slash == std::string::npos) break;
  }
  return Status::ok();
}

// Reads every entry name of the directory open at `directory_fd`.
Result<std::vector<std::string>> list_names(int directory_fd) {
  int fd = ::openat(directory_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot list store directory", {}, errno);
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    int error_number = errno;
    ::close(fd);
    return io_error("cannot list store directory", {}, error_number);
  }
  std::vector<std::string> names;
  errno = 0;
  while (const dirent* entry = ::readdir(dir)) names.emplace_back(entry->d_name);
  int error_number = errno;
  ::closedir(dir);
  if (error_number != 0) return io_error("cannot list store directory", {}, error_number);
  return names;
}

// Takes the directory's exclusive lock, held for the life of the returned descriptor. flock() locks belong to
// the open file, so a second FileStore on the same directory fails too, in this process or any other.
Result<int> lock_directory(int directory_fd, const std::string& directory) {
  int fd = ::openat(directory_fd, kLockName, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return io_error("cannot open the lock file in ", directory, errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return fd;
  int error_number = errno;
  ::close(fd);
  if (error_number == EWOULDBLOCK) {
    return Status(StatusCode::kBusy, "store directory " + directory + " is in use by another FileStore");
  }
  return io_error("cannot lock store directory ", directory, error_number);
}

}  // namespace

Result<std::unique_ptr<FileStore>> FileStore::open(std::string directory) {
  Status made = make_directories(directory);
  if (!made) return made;
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open store directory ", directory, errno);
  auto locked = lock_directory(fd, directory);
  if (!locked) {
    ::close(fd);
    return locked.status();
  }
  std::unique_ptr<FileStore> store(new FileStore(std::move(directory), fd, locked.value()));
  // Leftovers of puts interrupted by a crash: the record they were replacing is still intact.
  auto names = list_names(fd);
  if (!names) return names.status();
  for (const auto& name : names.value()) {
    if (name.find(kTempMarker) != std::string::npos) ::unlinkat(fd, name.c_str(), 0);
  }
  return store;
}

FileStore::FileStore(std::string directory, int directory_fd, int lock_fd)
    : directory_(std::move(directory)), directory_fd_(directory_fd), lock_fd_(lock_fd) {}

FileStore::~FileStore() {
  ::close(lock_fd_);  // releases the lock
  ::close(directory_fd_);
}

Status FileStore::sync_directory() const {
  if (::fsync(directory_fd_) != 0) return io_error("cannot sync store directory ", directory_, errno);
  return Status::ok();
}

int FileStore::create_temp(std::string_view name, std::string& temp_name) {
  int fd = -1;
  for (int attempt = 0; attempt < kTempNameAttempts && fd < 0; ++attempt) {
    temp_name.assign(name).append(kTempMarker).append(std::to_string(next_temp_number_.fetch_add(1)));
    // O_EXCL with O_NOFOLLOW: never write through a link or into a file someone else made.
    fd = ::openat(directory_fd_, temp_name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) break;
  }
  return fd;
}

Status FileStore::put(std::string_view key, std::string_view value) {
  Status valid = check_store_key(key);
  if (!valid) return valid;
  const std::string name(key);
  std::string temp_name;
  FdGuard file(create_temp(name, temp_name));
  if (file.get() < 0) return io_error("cannot create ", temp_name, errno);
  bool written = write_all(file.get(), value) && ::fsync(file.get()) == 0;
  int error_number = errno;
  if (file.close_now() != 0 && written) {
    written = false;
    error_number = errno;
  }
  if (!written || ::renameat(directory_fd_, temp_name.c_str(), directory_fd_, name.c_str()) != 0) {
    if (written) error_number = errno;
    ::unlinkat(directory_fd_, temp_name.c_str(), 0);
    return io_error("cannot write record ", name, error_number);
  }
  return sync_directory();
}

Status FileStore::remove(std::string_view key) {
  Status valid = check_store_key(key);
  if (!valid) return valid;
  const std::string name(key);
  if (::unlinkat(directory_fd_, name.c_str(), 0) != 0) {
    if (errno == ENOENT) return Status::ok();
    return io_error("cannot remove record ", name, errno);
  }
  return sync_directory();
}

Result<std::string> FileStore::get(std::string_view key) const {
  Status valid = check_store_key(key);
  if (!valid) return valid;
  const std::string name(key);
  FdGuard file(::openat(directory_fd_, name.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (file.get() < 0) {
    if (errno == ENOENT) return Status(StatusCode::kNotFound, "no record '" + name + "'");
    return io_error("cannot open record ", name, errno);
  }
  std::string value;
  char buffer[8192];
  for (;;) {
    ssize_t got = ::read(file.get(), buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      return io_error("cannot read record ", name, errno);
    }
    if (got == 0) break;
    value.append(buffer, static_cast<std::size_t>(got));
  }
  return value;
}

Result<std::vector<std::string>> FileStore::keys(std::string_view prefix) const {
  auto names = list_names(directory_fd_);
  if (!names) return names.status();
  std::vector<std::string> matching;
  for (auto& name : names.value()) {
    if (is_valid_store_key(name) && name.compare(0, prefix.size(), prefix) == 0) matching.push_back(std::move(name));
  }
  std::sort(matching.begin(), matching.end());
  return matching;
}

}  // namespace docklink::ports
