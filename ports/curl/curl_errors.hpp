// From libcurl's result codes to the Status codes of the HttpClient contract.
#pragma once

#include <curl/curl.h>

#include <string_view>

#include "docklink/status.hpp"

namespace docklink::ports::curl {

/// The contract's code for a failed transfer: kTimeout, kAuth (TLS verification: chain, hostname, CA that cannot
/// be loaded), kInvalidArgument (URL), kInternal (memory, libcurl misuse) or kIo (network, TLS handshake, cut
/// connection, too many redirects). `detail` is libcurl's error buffer (may be empty); it names hosts, never
/// query strings.
Status status_from_curl(CURLcode code, std::string_view detail);

}  // namespace docklink::ports::curl
