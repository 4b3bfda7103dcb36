#include "download_digest.hpp"

#include <cerrno>
#include <cstring>
#include <system_error>

namespace docklink::transfer::detail {
namespace {

FileOutcome read_error(std::string_view action, const std::string& path, int error_number) {
  std::string message(action);
  message.append(" ").append(path).append(": ").append(std::strerror(error_number));
  return {Status(StatusCode::kIo, std::move(message)), TransferError::kFileIo};
}

// An unbuffered read handle at byte `from`: every read goes to the OS, so no stale end of file is kept between
// the writer's appends.
std::FILE* open_at(const std::string& path, std::uint64_t from, FileOutcome& failure) {
  errno = 0;
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    failure = read_error("cannot open for hashing", path, errno != 0 ? errno : EIO);
    return nullptr;
  }
  std::setvbuf(file, nullptr, _IONBF, 0);
#if defined(__unix__) || defined(__APPLE__)
  bool placed = ::fseeko(file, static_cast<off_t>(from), SEEK_SET) == 0;  // 64-bit off_t on 32-bit targets too
#else
  bool placed = from <= 0x7fffffffu && std::fseek(file, static_cast<long>(from), SEEK_SET) == 0;
#endif
  if (!placed) {
    failure = read_error("cannot seek for hashing", path, errno != 0 ? errno : EIO);
    std::fclose(file);
    return nullptr;
  }
  return file;
}

}  // namespace

BodyDigest::BodyDigest(std::string path, std::unique_ptr<port::Hasher> hasher, std::uint64_t from,
                       BodyDigestOptions options)
    : path_(std::move(path)),
      hasher_(std::move(hasher)),
      own_thread_(options.own_thread && hasher_ != nullptr),
      buffer_(own_thread_ ? std::max<std::size_t>(options.buffer_bytes, 1) : 0),
      max_lag_(std::max<std::uint64_t>(options.max_lag, buffer_.size())),
      written_(from),
      hashed_(from) {
  if (!own_thread_) return;
  file_ = open_at(path_, from, failure_);
  if (file_ == nullptr) return;
  try {
    thread_ = std::thread([this] { run(); });
  } catch (const std::system_error& error) {
    failure_ = {Status(StatusCode::kInternal, std::string("cannot start the hashing thread: ") + error.what()),
                TransferError::kFileIo};
  }
}

BodyDigest::~BodyDigest() {
  stop();
  if (file_ != nullptr) std::fclose(file_);
}

FileOutcome BodyDigest::added(std::string_view piece, std::uint64_t end) {
  if (own_thread_) return written(end);
  if (hasher_ != nullptr) hasher_->update(piece);
  written_ = hashed_ = end;
  return {};
}

FileOutcome BodyDigest::written(std::uint64_t end) {
  std::unique_lock<std::mutex> lock(mutex_);
  written_ = end;
  if (hashing_waits_ && written_ - hashed_ >= wake_lag()) more_written_.notify_one();
  if (failure_.ok() && written_ - hashed_ > max_lag_) {
    // Held back to half the lag, so the two threads do not take turns on every piece.
    writer_waits_ = true;
    more_hashed_.wait(lock, [this] { return !failure_.ok() || written_ - hashed_ <= max_lag_ / 2; });
    writer_waits_ = false;
  }
  return failure_;
}

Result<std::string> BodyDigest::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
  }
  more_written_.notify_one();
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  if (!failure_.ok()) return failure_.status;
  if (hashed_ != written_) return Status(StatusCode::kInternal, "hashing stopped before the end of the file");
  return hasher_ != nullptr ? hasher_->finish() : std::string();
}

void BodyDigest::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    abandoned_ = true;
  }
  more_written_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void BodyDigest::run() {
  std::uint64_t from = 0;
  std::size_t length = 0;
  while (next_range(from, length) && hash_range(from, length)) {
  }
}

// The next bytes to hash: a whole buffer's worth, or the rest once closing; false when there is nothing more.
bool BodyDigest::next_range(std::uint64_t& from, std::size_t& length) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (written_ - hashed_ < buffer_.size()) {
    // Caught up: sleep until a batch is there, so the thread wakes a few times per MiB, not once per piece.
    hashing_waits_ = true;
    more_written_.wait(lock, [this] { return abandoned_ || closing_ || written_ - hashed_ >= wake_lag(); });
    hashing_waits_ = false;
  }
  if (abandoned_ || written_ == hashed_) return false;
  from = hashed_;
  length = static_cast<std::size_t>(std::min<std::uint64_t>(written_ - hashed_, buffer_.size()));
  return true;
}

// Reads bytes [from, from + length) (the handle is already at `from`) and hashes them outside the lock.
bool BodyDigest::hash_range(std::uint64_t from, std::size_t length) {
  errno = 0;
  std::size_t got = std::fread(buffer_.data(), 1, length, file_);
  if (got == length) hasher_->update(std::string_view(buffer_.data(), got));
  std::lock_guard<std::mutex> lock(mutex_);
  if (got != length) {
    failure_ =
        read_error("cannot read back at byte " + std::to_string(from + got) + " of", path_, errno != 0 ? errno : EIO);
  } else {
    hashed_ += got;
  }
  if (writer_waits_ && (!failure_.ok() || written_ - hashed_ <= max_lag_ / 2)) more_hashed_.notify_one();
  return failure_.ok();
}

}  // namespace docklink::transfer::detail
