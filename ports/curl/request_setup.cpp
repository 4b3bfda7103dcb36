// HTTP/1.1 on purpose: one connection per transfer, byte-exact bodies, keep-alive across requests; HTTP/2's
// multiplexing buys a device moving one file at a time nothing.
#include "request_setup.hpp"

#include <string>
#include <string_view>

#include "docklink/config_defaults.hpp"
#include "header_lines.hpp"

namespace docklink::ports::curl {
namespace {

Status invalid(std::string message) { return Status(StatusCode::kInvalidArgument, std::move(message)); }

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && same_header_name(text.substr(0, prefix.size()), prefix);
}

bool has_header(const port::HttpRequest& request, std::string_view name) {
  for (const port::HttpHeader& header : request.headers) {
    if (same_header_name(header.name, name)) return true;
  }
  return false;
}

Status check_header(const port::HttpHeader& header) {
  if (header.name.empty() || header.name.find_first_of(":\r\n \t") != std::string::npos) {
    return invalid("bad HTTP header name");
  }
  if (header.value.find_first_of("\r\n") != std::string::npos) {
    return invalid("the value of HTTP header " + header.name + " holds a line break");
  }
  if (same_header_name(header.name, "Content-Length")) return invalid("Content-Length comes from body_size");
  return Status::ok();
}

bool method_has_body(const std::string& method) { return method == "PUT" || method == "POST"; }

}  // namespace

Status check_request(const port::HttpRequest& request, const port::HttpBodySource* body) {
  if (!starts_with_ignoring_case(request.url, "http://") && !starts_with_ignoring_case(request.url, "https://")) {
    return invalid("the URL must start with http:// or https://");
  }
  const std::string& method = request.method;
  if (method != "GET" && method != "HEAD" && method != "PUT" && method != "POST" && method != "DELETE") {
    return invalid("unsupported HTTP method '" + method + "'");
  }
  if (request.body_size > 0 && !method_has_body(method)) return invalid(method + " carries no request body");
  if (request.body_size > 0 && body == nullptr) return invalid("body_size > 0 needs a body source");
  if (request.connect_timeout.count() <= 0 || request.stall_timeout.count() <= 0) {
    return invalid("connect_timeout and stall_timeout must be positive");
  }
  for (const port::HttpHeader& header : request.headers) {
    if (Status ok = check_header(header); !ok) return ok;
  }
  return Status::ok();
}

namespace {

void set_method(CURL* easy, const port::HttpRequest& request) {
  const auto size = static_cast<curl_off_t>(request.body_size);
  if (request.method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else if (request.method == "PUT") {
    curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, size);
  } else if (request.method == "POST") {
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, size);
  } else if (request.method == "DELETE") {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, "DELETE");
  } else {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  }
}

// "Name: value" as given; "Name;" is libcurl's spelling of an empty value, "Name:" removes a header of its own.
Status build_headers(const port::HttpRequest& request, HeaderList& list) {
  auto append = [&list](const std::string& line) {
    curl_slist* longer = curl_slist_append(list.get(), line.c_str());
    if (longer == nullptr) return false;
    list.release();
    list.reset(longer);
    return true;
  };
  bool ok = true;
  for (const port::HttpHeader& header : request.headers) {
    ok = ok && append(header.value.empty() ? header.name + ";" : header.name + ": " + header.value);
  }
  // libcurl would wait up to 1 s for a 100 Continue before big bodies, and label POSTs as form data.
  if (method_has_body(request.method) && !has_header(request, "Expect")) ok = ok && append("Expect:");
  if (request.method == "POST" && !has_header(request, "Content-Type")) ok = ok && append("Content-Type:");
  if (!ok) return Status(StatusCode::kInternal, "out of memory building the header list");
  return Status::ok();
}

void set_tls(CURL* easy, const CurlHttpClientOptions& options) {
  if (!options.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, options.ca_file.c_str());
  if (!options.ca_directory.empty()) curl_easy_setopt(easy, CURLOPT_CAPATH, options.ca_directory.c_str());
  const bool verify = !options.insecure_skip_verify;
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, verify ? 1L : 0L);  // chain to a trusted CA, validity dates
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L);  // the certificate names the host dialled
}

void set_callbacks(CURL* easy, const port::HttpRequest& request, Transfer& transfer) {
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
  if (method_has_body(request.method)) {
    curl_easy_setopt(easy, CURLOPT_READFUNCTION, &Transfer::on_read);
    curl_easy_setopt(easy, CURLOPT_READDATA, &transfer);
    if (request.body_size > 0) {
      curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, &Transfer::on_seek);
      curl_easy_setopt(easy, CURLOPT_SEEKDATA, &transfer);
    }
  }
  curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &Transfer::on_progress);
  curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, &Transfer::on_connected);
  curl_easy_setopt(easy, CURLOPT_PREREQDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.error_buffer());
}

}  // namespace

Status configure_request(CURL* easy, const port::HttpRequest& request, const CurlHttpClientOptions& options,
                         Transfer& transfer, HeaderList& headers) {
  if (Status built = build_headers(request, headers); !built) return built;
  if (curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str()) != CURLE_OK) return invalid("libcurl refused the URL");
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for DNS timeouts: other threads run too
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(easy, CURLOPT_MAXREDIRS, static_cast<long>(defaults::kHttpMaxRedirects));
  curl_easy_setopt(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);  // a proxy's CONNECT answer is not the response
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()));
  if (!options.user_agent.empty()) curl_easy_setopt(easy, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers.get());
  set_method(easy, request);
  set_tls(easy, options);
  set_callbacks(easy, request, transfer);
  return Status::ok();
}

}  // namespace docklink::ports::curl
