// The digest of a download's body. By default it is computed on a thread of its own from the partial file as it
// grows: the thread that receives the body only writes it, and the hashing (MD5 or SHA-256 in software, the
// costliest step of a fast download) runs beside it on another core. The bytes are read back from the file, so
// the digest covers what is in the file that will be handed on, and memory stays one buffer whatever the file's
// size. On a single core a thread only adds switches: there each piece is hashed as it is written.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "docklink/port/hash.hpp"
#include "part_file.hpp"

namespace docklink::transfer::detail {

/// Where and how the digest is computed.
struct BodyDigestOptions {
  bool own_thread = true;        ///< Hash on a thread of its own, reading the file back; false: inline.
  std::size_t buffer_bytes = 0;  ///< Read-back buffer (own thread only).
  std::uint64_t max_lag = 0;     ///< How far the hashing may fall behind the writer (own thread only).
};

/// The digest of one partial file from byte `from` on (the bytes before it already went into the hasher). The
/// writer reports each append with added(); finish() waits for the hashing to catch up. The writer calls its
/// members from one thread; with own_thread the hashing runs on a thread of its own until finish() or
/// destruction. Without a hasher (a download with no digest to compare) nothing is hashed and no thread runs.
class BodyDigest {
 public:
  /// Starts the digest of `path` from byte `from` with `hasher` (null: nothing is hashed). `max_lag` bounds how far the
  /// hashing may fall behind the writer (added() waits beyond it), so the bytes are read back while still in the page
  /// cache.
  BodyDigest(std::string path, std::unique_ptr<port::Hasher> hasher, std::uint64_t from, BodyDigestOptions options);
  ~BodyDigest();
  BodyDigest(const BodyDigest&) = delete;
  BodyDigest& operator=(const BodyDigest&) = delete;

  /// `piece` was appended and the file now holds `end` bytes. With own_thread, waits while the hashing lags more
  /// than max_lag behind; a read failure of the hashing thread comes back here (kFileIo) so the download stops
  /// instead of writing on for nothing. Inline, hashes `piece`.
  FileOutcome added(std::string_view piece, std::uint64_t end);
  /// Waits until every written byte is hashed, stops the thread and returns the raw digest (kFileIo when the file
  /// could not be read back; empty without a hasher). Once only.
  Result<std::string> finish();

 private:
  FileOutcome written(std::uint64_t end);
  void run();
  bool next_range(std::uint64_t& from, std::size_t& length);
  bool hash_range(std::uint64_t from, std::size_t length);
  void stop();
  std::uint64_t wake_lag() const { return std::max<std::uint64_t>(max_lag_ / 4, 1); }  // never 0: see next_range

  std::string path_;
  std::unique_ptr<port::Hasher> hasher_;
  bool own_thread_;
  std::vector<char> buffer_;
  std::uint64_t max_lag_;
  std::FILE* file_ = nullptr;  // the hashing thread's own read handle
  std::mutex mutex_;
  std::condition_variable more_written_;  // the hashing thread waits on it
  std::condition_variable more_hashed_;   // the writer waits on it
  std::uint64_t written_;                 // guarded by mutex_, as are the fields below
  std::uint64_t hashed_;
  bool closing_ = false;    // finish(): hash what is written, then end
  bool abandoned_ = false;  // destruction: end at once
  bool hashing_waits_ = false;
  bool writer_waits_ = false;
  FileOutcome failure_;
  std::thread thread_;
};

}  // namespace docklink::transfer::detail
