// libcurl's process-wide start-up, done once whatever the number of clients or threads.
#pragma once

#include "docklink/status.hpp"

namespace docklink::ports::curl {

/// Runs curl_global_init exactly once per process (thread-safe) and checks that libcurl speaks TLS. Returns the
/// same result on every call. There is no matching cleanup: libcurl's global state lives until the process ends,
/// because curl_global_cleanup is not thread-safe and another client may still be using it.
Status ensure_curl_ready();

}  // namespace docklink::ports::curl
