#include "upload_payload_hash.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "digest_text.hpp"  // lower_hex

namespace docklink::transfer::detail {
namespace {

Status read_error(std::string_view action, const std::string& path, int error_number) {
  std::string message(action);
  message.append(" ").append(path).append(": ").append(std::strerror(error_number != 0 ? error_number : EIO));
  return Status(StatusCode::kIo, std::move(message));
}

// Closes the handle whichever way the hashing ends.
struct FileCloser {
  std::FILE* file;
  ~FileCloser() {
    if (file != nullptr) std::fclose(file);
  }
};

bool seek_to(std::FILE* file, std::uint64_t offset) {
#if defined(__unix__) || defined(__APPLE__)
  return ::fseeko(file, static_cast<off_t>(offset), SEEK_SET) == 0;  // 64-bit off_t on 32-bit targets too
#else
  return offset <= 0x7fffffffu && std::fseek(file, static_cast<long>(offset), SEEK_SET) == 0;
#endif
}

}  // namespace

Result<std::string> sha256_of_file_range(const std::string& path, std::uint64_t offset, std::uint64_t length,
                                         const port::Hashing& hashing, std::vector<char>& buffer,
                                         const std::atomic<bool>* stop) {
  errno = 0;
  FileCloser file{std::fopen(path.c_str(), "rb")};
  if (file.file == nullptr) return read_error("cannot open for hashing", path, errno);
  std::setvbuf(file.file, nullptr, _IONBF, 0);  // reads go straight into our buffer
  if (!seek_to(file.file, offset)) return read_error("cannot seek for hashing", path, errno);
  auto hasher = hashing.new_hasher(port::HashAlgorithm::kSha256);
  for (std::uint64_t left = length; left > 0;) {
    if (stop != nullptr && stop->load(std::memory_order_relaxed))
      return Status(StatusCode::kShutdown, "hashing dropped");
    const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size()));
    const std::size_t got = std::fread(buffer.data(), 1, wanted, file.file);
    if (got == 0) {
      if (std::ferror(file.file)) return read_error("cannot read", path, errno);
      return Status(StatusCode::kIo, "file shorter than when its upload began: " + path);
    }
    hasher->update(std::string_view(buffer.data(), got));
    left -= got;
  }
  return lower_hex(hasher->finish());
}

PayloadHashAhead::PayloadHashAhead(std::string path, const port::Hashing& hashing, std::size_t buffer_bytes,
                                   bool own_thread)
    : path_(std::move(path)),
      hashing_(hashing),
      own_thread_(own_thread),
      buffer_(std::max<std::size_t>(buffer_bytes, 1)) {}

PayloadHashAhead::~PayloadHashAhead() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
    dropping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PayloadHashAhead::start(std::uint64_t offset, std::uint64_t length) {
  if (!own_thread_ || !ensure_thread()) return;  // take() hashes it then
  std::unique_lock<std::mutex> lock(mutex_);
  drop_job(lock);
  job_ = Job::kQueued;
  offset_ = offset;
  length_ = length;
  changed_.notify_all();
}

Result<std::string> PayloadHashAhead::take(std::uint64_t offset, std::uint64_t length) {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (job_ != Job::kNone && offset_ == offset && length_ == length) {
      changed_.wait(lock, [this] { return job_ == Job::kDone; });
      job_ = Job::kNone;
      return std::move(result_);
    }
    drop_job(lock);  // another range (the plan changed): not needed
  }
  if (inline_buffer_.empty()) inline_buffer_.resize(buffer_.size());
  return sha256_of_file_range(path_, offset, length, hashing_, inline_buffer_);
}

bool PayloadHashAhead::ensure_thread() {
  if (thread_.joinable()) return true;
  try {
    thread_ = std::thread([this] { run(); });
  } catch (const std::system_error&) {
    own_thread_ = false;  // no thread to be had: hash in line, as on a single core
  }
  return own_thread_;
}

// Abandons the job in hand, waiting for the hashing thread to let go of it. Called with the lock held.
void PayloadHashAhead::drop_job(std::unique_lock<std::mutex>& lock) {
  if (job_ == Job::kRunning) {
    dropping_ = true;
    changed_.wait(lock, [this] { return job_ != Job::kRunning; });
    dropping_ = false;
  }
  job_ = Job::kNone;
}

void PayloadHashAhead::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return closing_ || job_ == Job::kQueued; });
    if (closing_) return;
    job_ = Job::kRunning;
    const std::uint64_t offset = offset_, length = length_;
    lock.unlock();
    Result<std::string> hash = sha256_of_file_range(path_, offset, length, hashing_, buffer_, &dropping_);
    lock.lock();
    result_ = std::move(hash);
    job_ = Job::kDone;
    changed_.notify_all();
  }
}

}  // namespace docklink::transfer::detail
