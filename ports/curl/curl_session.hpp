// A libcurl easy handle with the multi handle that drives it, and the small pool that keeps idle ones. The
// multi handle owns the connection cache, so a session taken from the pool reuses its open connections.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <vector>

namespace docklink::ports::curl {

/// One easy handle and its own multi handle; used by one request at a time.
class CurlSession {
 public:
  /// A new pair, or nullptr when libcurl cannot allocate one.
  static std::unique_ptr<CurlSession> create();
  ~CurlSession();
  CurlSession(const CurlSession&) = delete;
  CurlSession& operator=(const CurlSession&) = delete;

  CURL* easy() const { return easy_; }
  CURLM* multi() const { return multi_; }

 private:
  CurlSession(CURL* easy, CURLM* multi) : easy_(easy), multi_(multi) {}
  CURL* easy_;
  CURLM* multi_;
};

/// Idle sessions, at most defaults::kHttpIdleHandles of them. Thread-safe; the lock guards only the list.
class SessionPool {
 public:
  /// An idle session (its options reset, its connections kept) or a new one; nullptr when none can be made.
  std::unique_ptr<CurlSession> acquire();
  /// Gives a session back after its request; kept when the pool has room, else closed.
  void release(std::unique_ptr<CurlSession> session);

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<CurlSession>> idle_;
};

}  // namespace docklink::ports::curl
