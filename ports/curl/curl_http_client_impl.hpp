// CurlHttpClient's state: its options, the pool of idle libcurl sessions, and the insecure-mode warning clock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string_view>

#include "curl_session.hpp"
#include "docklink/ports/curl_http_client.hpp"
#include "transfer.hpp"

namespace docklink::ports {

class CurlHttpClient::Impl {
 public:
  explicit Impl(CurlHttpClientOptions options) : options_(std::move(options)) {}

  /// See CurlHttpClient::perform.
  Status perform(const port::HttpRequest& request, port::HttpBodySource* body, port::HttpResponseSink& sink);
  /// Logs the insecure-mode warning for `url` (https:// only), at most once a minute.
  void warn_if_insecure(std::string_view url);
  /// Logs a line under component "curl" when a log is set.
  void log(port::LogLevel level, std::string_view message) const;

 private:
  /// Runs the configured transfer on `session` in steps of at most kHttpPollIntervalMs.
  Status drive(curl::CurlSession& session, curl::Transfer& transfer);

  CurlHttpClientOptions options_;
  curl::SessionPool pool_;
  std::atomic<std::int64_t> last_insecure_warning_ms_{-1};
};

}  // namespace docklink::ports
