// curl_global_init is called from a function-local static: C++ guarantees one initialisation even when several
// threads create clients at once.
#include "curl_global.hpp"

#include "../openssl/openssl_lifetime.hpp"

#include <curl/curl.h>

#include <string>

namespace docklink::ports::curl {
namespace {

Status initialise() {
  // Before libcurl initialises OpenSSL with an exit handler (openssl_lifetime.hpp).
  if (!openssl::keep_until_process_end()) return Status(StatusCode::kInternal, "OpenSSL could not be initialised");
  const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (code != CURLE_OK) {
    return Status(StatusCode::kInternal, std::string("curl_global_init failed: ") + curl_easy_strerror(code));
  }
  const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  if (info == nullptr || (info->features & CURL_VERSION_SSL) == 0) {
    return Status(StatusCode::kInternal, "this libcurl has no TLS support (install libcurl4-openssl-dev)");
  }
  return Status::ok();
}

}  // namespace

Status ensure_curl_ready() {
  static const Status status = initialise();
  return status;
}

}  // namespace docklink::ports::curl
