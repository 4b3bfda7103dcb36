// The SHA-256 payload hash of a part of the file being uploaded (SigV4 over plain http signs each body's hash).
// Hashing in software costs about as much CPU as sending the bytes, and a part must be hashed before it is sent,
// so done in line the transfer thread would stop for it before every part. Here the next part is hashed ahead on
// a thread of its own while the current one is sent, and the transfer thread only waits when the hashing is the
// slower of the two. Downloads hash on a thread of their own the same way (download_digest.hpp). Memory is one
// read buffer whatever the file's size; each part is hashed once, whatever the number of retries.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "docklink/port/hash.hpp"
#include "docklink/status.hpp"

namespace docklink::transfer::detail {

/// Lower-case hex SHA-256 of bytes [offset, offset + length) of `path`, read through `buffer`; kIo when the file
/// cannot be read or is shorter than the range (it changed). `stop` (may be null) abandons the work when set.
Result<std::string> sha256_of_file_range(const std::string& path, std::uint64_t offset, std::uint64_t length,
                                         const port::Hashing& hashing, std::vector<char>& buffer,
                                         const std::atomic<bool>* stop = nullptr);

/// Hashes one byte range of a file at a time, ahead of its use. Used by one thread (the upload's); the hashing
/// itself runs on a thread of its own, started with the first range and stopped by the destructor.
class PayloadHashAhead {
 public:
  /// `own_thread` false: nothing is hashed ahead and take() hashes on the caller's thread (single-core boards).
  PayloadHashAhead(std::string path, const port::Hashing& hashing, std::size_t buffer_bytes, bool own_thread);
  ~PayloadHashAhead();
  PayloadHashAhead(const PayloadHashAhead&) = delete;
  PayloadHashAhead& operator=(const PayloadHashAhead&) = delete;

  /// Starts hashing [offset, offset + length) on the hashing thread, dropping a range started but not taken.
  void start(std::uint64_t offset, std::uint64_t length);
  /// The hash of [offset, offset + length): waits for it when that range was started, else hashes it now on the
  /// caller's thread.
  Result<std::string> take(std::uint64_t offset, std::uint64_t length);

 private:
  enum class Job : std::uint8_t { kNone, kQueued, kRunning, kDone };
  bool ensure_thread();
  void drop_job(std::unique_lock<std::mutex>& lock);
  void run();

  std::string path_;
  const port::Hashing& hashing_;
  bool own_thread_;
  std::vector<char> buffer_;         // the hashing thread's
  std::vector<char> inline_buffer_;  // the caller's, allocated on first use only
  std::mutex mutex_;
  std::condition_variable changed_;  // both sides wait on it
  Job job_ = Job::kNone;             // guarded by mutex_, as are the fields below
  std::uint64_t offset_ = 0;
  std::uint64_t length_ = 0;
  Result<std::string> result_ = std::string();
  bool closing_ = false;
  std::atomic<bool> dropping_{false};  // abandon the running job (checked between reads, without the lock)
  std::thread thread_;
};

}  // namespace docklink::transfer::detail
