// CurlHttpClient: a request runs on the caller's thread on a pooled libcurl session, driven through the multi
// interface so that the cancel flag and the stall timeout are checked at least every 100 ms even while no byte
// moves (curl_easy_perform would wait up to a second between progress calls).
#include "docklink/ports/curl_http_client.hpp"

#include <unistd.h>

#include <string>

#include "curl_errors.hpp"
#include "curl_global.hpp"
#include "curl_http_client_impl.hpp"
#include "docklink/config_defaults.hpp"
#include "request_setup.hpp"

namespace docklink::ports {
namespace {

Status check_options(const CurlHttpClientOptions& options) {
  if (!options.ca_file.empty() && access(options.ca_file.c_str(), R_OK) != 0) {
    return Status(StatusCode::kInvalidArgument, "CA file cannot be read: " + options.ca_file);
  }
  if (!options.ca_directory.empty() && access(options.ca_directory.c_str(), R_OK | X_OK) != 0) {
    return Status(StatusCode::kInvalidArgument, "CA directory cannot be read: " + options.ca_directory);
  }
  return Status::ok();
}

// Scheme and authority only: a pre-signed URL's query holds a signature and maybe a session token.
std::string_view origin_of(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  return url.substr(0, url.find_first_of("/?#", scheme_end + 3));
}

// The result of the finished transfer, if libcurl has one.
bool take_result(CURLM* multi, CURLcode& result) {
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi, &left)) {
    if (message->msg == CURLMSG_DONE) {
      result = message->data.result;
      return true;
    }
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<CurlHttpClient>> CurlHttpClient::create(CurlHttpClientOptions options) {
  if (Status ready = curl::ensure_curl_ready(); !ready) return ready;
  if (Status valid = check_options(options); !valid) return valid;
  const bool insecure = options.insecure_skip_verify;
  auto impl = std::make_unique<Impl>(std::move(options));
  if (insecure) {
    impl->log(port::LogLevel::kWarn,
              "INSECURE: this HTTP client does not verify TLS certificates or hostnames; "
              "anyone on the network path can impersonate a server and alter the files");
  }
  return std::unique_ptr<CurlHttpClient>(new CurlHttpClient(std::move(impl)));
}

CurlHttpClient::CurlHttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

CurlHttpClient::~CurlHttpClient() = default;

Status CurlHttpClient::perform(const port::HttpRequest& request, port::HttpBodySource* body,
                               port::HttpResponseSink& sink) {
  return impl_->perform(request, body, sink);
}

Status CurlHttpClient::Impl::perform(const port::HttpRequest& request, port::HttpBodySource* body,
                                     port::HttpResponseSink& sink) {
  if (Status valid = curl::check_request(request, body); !valid) return valid;
  warn_if_insecure(request.url);
  std::unique_ptr<curl::CurlSession> session = pool_.acquire();
  if (!session) return Status(StatusCode::kInternal, "libcurl could not allocate a handle");
  curl::Transfer transfer(request, body, sink);
  curl::HeaderList headers;
  Status result = curl::configure_request(session->easy(), request, options_, transfer, headers);
  if (result) result = drive(*session, transfer);
  pool_.release(std::move(session));
  return result;
}

Status CurlHttpClient::Impl::drive(curl::CurlSession& session, curl::Transfer& transfer) {
  if (curl_multi_add_handle(session.multi(), session.easy()) != CURLM_OK) {
    return Status(StatusCode::kInternal, "libcurl could not start the request");
  }
  CURLcode result = CURLE_OK;
  bool finished = false;
  Status failure;
  while (!finished) {
    int running = 0;
    if (curl_multi_perform(session.multi(), &running) != CURLM_OK) {
      failure = Status(StatusCode::kInternal, "libcurl's multi handle failed");
      break;
    }
    finished = take_result(session.multi(), result);
    if (finished || !transfer.keep_going(curl::Transfer::Clock::now())) break;
    curl_multi_poll(session.multi(), nullptr, 0, static_cast<int>(defaults::kHttpPollIntervalMs), nullptr);
  }
  curl_multi_remove_handle(session.multi(), session.easy());  // an unfinished transfer's connection is closed
  if (!transfer.error().is_ok()) return transfer.error();
  if (!failure.is_ok()) return failure;
  if (!finished) return Status(StatusCode::kInternal, "libcurl stopped without a result");
  if (result == CURLE_OK && !transfer.status_delivered()) {
    return Status(StatusCode::kIo, "the server sent no final response");
  }
  return curl::status_from_curl(result, transfer.error_buffer());
}

void CurlHttpClient::Impl::warn_if_insecure(std::string_view url) {
  if (!options_.insecure_skip_verify || url.substr(0, 8) != "https://") return;
  const std::int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count();
  std::int64_t last = last_insecure_warning_ms_.load();
  if (last >= 0 && now_ms - last < 60000) return;
  if (!last_insecure_warning_ms_.compare_exchange_strong(last, now_ms)) return;  // another thread warns
  log(port::LogLevel::kWarn, "INSECURE: TLS certificate and hostname verification are OFF (" +
                                 std::string(origin_of(url)) +
                                 "); anyone on the network path can impersonate the server and alter the files");
}

void CurlHttpClient::Impl::log(port::LogLevel level, std::string_view message) const {
  if (options_.log != nullptr && options_.log->enabled(level)) options_.log->write(level, "curl", message);
}

}  // namespace docklink::ports
