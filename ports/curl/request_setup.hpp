// Checking a port::HttpRequest and turning it into libcurl options on a (freshly reset) easy handle.
#pragma once

#include <curl/curl.h>

#include <memory>

#include "docklink/port/http.hpp"
#include "docklink/ports/curl_http_client.hpp"
#include "docklink/status.hpp"
#include "transfer.hpp"

namespace docklink::ports::curl {

/// Frees a libcurl header list.
struct HeaderListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
/// The request's header lines; must outlive the transfer that uses them.
using HeaderList = std::unique_ptr<curl_slist, HeaderListDeleter>;

/// kInvalidArgument for what libcurl would send wrongly or not at all: a URL that is not http(s)://, an unknown
/// method, a body without a source or on a method without one, a header holding CR or LF, a Content-Length
/// header, a timeout that is not positive.
Status check_request(const port::HttpRequest& request, const port::HttpBodySource* body);

/// Sets every option of one request on `easy`; `headers` receives the header list to keep alive meanwhile.
Status configure_request(CURL* easy, const port::HttpRequest& request, const CurlHttpClientOptions& options,
                         Transfer& transfer, HeaderList& headers);

}  // namespace docklink::ports::curl
