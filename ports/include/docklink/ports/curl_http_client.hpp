// The Linux HTTP(S) port: port::HttpClient on libcurl (Debian's OpenSSL flavour, the same OpenSSL as Paho).
// libcurl's headers stay out of this header so that users of the SDK need not compile against them.
#pragma once

#include <memory>
#include <string>

#include "docklink/export.hpp"
#include "docklink/port/http.hpp"
#include "docklink/port/log.hpp"
#include "docklink/status.hpp"

namespace docklink::ports {

/// Everything a CurlHttpClient needs; plain fields with safe defaults. Proxies come from the environment
/// (http_proxy, https_proxy, no_proxy), as libcurl reads them by default.
struct CurlHttpClientOptions {
  /// PEM file with the CA certificate(s) an https:// server's certificate must chain to. Empty: the system's
  /// trust store (Debian: /etc/ssl/certs).
  std::string ca_file;
  /// Directory of hashed CA certificates (c_rehash layout), as an alternative or addition to `ca_file`.
  std::string ca_directory;
  /// Skips server certificate AND hostname verification. Only for labs: anyone on the path can impersonate the
  /// server and alter what is downloaded. create() and https:// requests (at most once a minute) log a warning.
  bool insecure_skip_verify = false;
  /// The User-Agent header of every request (a request's own User-Agent header replaces it).
  std::string user_agent = "DockLink";
  /// Diagnostics sink (component "curl"); not owned, may be nullptr. URLs' queries (pre-signed signatures and
  /// tokens) and header values are never logged.
  port::Log* log = nullptr;
};

/// port::HttpClient over libcurl 7.88.
///
/// Each perform() runs on the calling thread with its own libcurl handle, taken from a small pool of idle ones,
/// so consecutive requests reuse open connections (HTTP/1.1 keep-alive); several threads may perform at once.
/// The request is driven in steps of at most 100 ms, so the cancel flag and the stall timeout are checked at
/// least that often. Redirects are followed (at most 5); an Authorization header is not sent to another host.
/// libcurl adds no Accept-Encoding (byte offsets stay those of the file), no Expect: 100-continue and no default
/// Content-Type unless the request names them.
class DOCKLINK_API CurlHttpClient final : public port::HttpClient {
 public:
  /// Initialises libcurl for the process (once) and checks the options: kInvalidArgument for a CA file or
  /// directory that cannot be read, kInternal when libcurl lacks TLS support or fails to start.
  static Result<std::unique_ptr<CurlHttpClient>> create(CurlHttpClientOptions options);

  /// Closes the idle handles and their connections. No perform() may still be running.
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  /// See port::HttpClient::perform. Also kInvalidArgument for a header name or value holding CR or LF, a body
  /// without a source, or a timeout that is not positive; a source that ends before body_size bytes: kIo.
  Status perform(const port::HttpRequest& request, port::HttpBodySource* body, port::HttpResponseSink& sink) override;

  /// The implementation; public only so that the .cpp files can name it.
  class DOCKLINK_INTERNAL Impl;  // not exported: its members are the port's internals

 private:
  explicit CurlHttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace docklink::ports
