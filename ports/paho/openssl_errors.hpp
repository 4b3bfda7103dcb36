// Reading OpenSSL's thread-local error queue after a failed TLS handshake.
#pragma once

#include <string>

namespace docklink::ports::paho {

/// Empties the calling thread's OpenSSL error queue and returns its entries joined by "; " (empty when none).
///
/// Why this works: Paho C performs the handshake and reports its failure on the same thread, and without an
/// ssl_error_cb it leaves OpenSSL's errors queued. (Paho C++ 1.2's own TLS error handler cannot be used: it
/// hands Paho C a pointer to a temporary copy of the options, which is gone by the time the handshake fails.)
std::string take_openssl_errors();

}  // namespace docklink::ports::paho
