// Sessions are reset when given back, so no pointer into a finished request (its header list, error buffer or
// callback data) stays in a handle.
#include "curl_session.hpp"

#include "docklink/config_defaults.hpp"

namespace docklink::ports::curl {

std::unique_ptr<CurlSession> CurlSession::create() {
  CURL* easy = curl_easy_init();
  CURLM* multi = curl_multi_init();
  if (easy == nullptr || multi == nullptr) {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (multi != nullptr) curl_multi_cleanup(multi);
    return nullptr;
  }
  return std::unique_ptr<CurlSession>(new CurlSession(easy, multi));
}

CurlSession::~CurlSession() {
  curl_easy_cleanup(easy_);  // never attached here: requests remove it from the multi handle when they end
  curl_multi_cleanup(multi_);
}

std::unique_ptr<CurlSession> SessionPool::acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<CurlSession> session = std::move(idle_.back());
      idle_.pop_back();
      return session;
    }
  }
  return CurlSession::create();
}

void SessionPool::release(std::unique_ptr<CurlSession> session) {
  if (!session) return;
  curl_easy_reset(session->easy());  // keeps connections and caches, forgets the finished request's pointers
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.size() < defaults::kHttpIdleHandles) {
      idle_.push_back(std::move(session));
      return;
    }
  }
  session.reset();  // closes its connections outside the lock
}

}  // namespace docklink::ports::curl
