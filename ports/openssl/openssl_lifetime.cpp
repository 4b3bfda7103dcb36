#include "openssl_lifetime.hpp"

#include <openssl/crypto.h>

namespace docklink::ports::openssl {

bool keep_until_process_end() {
  // A function-local static: one initialisation even when several threads create ports at once.
  static const bool initialised = OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr) == 1;
  return initialised;
}

}  // namespace docklink::ports::openssl
