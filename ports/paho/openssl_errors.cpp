// OpenSSL error queue -> text, for telling TLS failures (kAuth) from network failures (kIo).
#include "openssl_errors.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace docklink::ports::paho {

std::string take_openssl_errors() {
  std::string text;
  while (unsigned long code = ERR_get_error()) {
    // Paho shuts a failed session down after reporting the failure; that leaves this entry behind for the next
    // attempt on the thread, where it would be mistaken for a TLS failure.
    if (ERR_GET_LIB(code) == ERR_LIB_SSL && ERR_GET_REASON(code) == SSL_R_SHUTDOWN_WHILE_IN_INIT) continue;
    char line[256];
    ERR_error_string_n(code, line, sizeof line);
    if (text.size() < 1024) text += (text.empty() ? "" : "; ") + std::string(line);
  }
  return text;
}

}  // namespace docklink::ports::paho
