// docklink-exit-probe paho|curl: creates the given port the way an application does, returns from main, and
// reports through its exit status whether OpenSSL's global state was still intact at the very end of exit():
// 0 intact, 3 torn down, 2 bad usage or the port could not be created. tests/integration/openssl_exit_test.cpp
// runs it.
//
// Why it matters: Paho C's threads are detached and may still be ending (running OpenSSL's per-thread cleanup)
// when main returns; if OpenSSL's own exit handler frees its global state at that moment, glibc aborts with
// "double free or corruption". Seen in dock-cloud under qemu (backtrace: OPENSSL_cleanup from exit() on the main
// thread, free() from a Paho thread's exit on another).
#include <openssl/crypto.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "docklink/ports/curl_http_client.hpp"
#include "docklink/ports/paho_transport.hpp"

namespace {

// Registered before anything touches OpenSSL, so it runs after every exit handler OpenSSL registers.
void report_openssl_state() { _exit(OPENSSL_init_crypto(0, nullptr) == 1 ? 0 : 3); }

// Creates a Paho transport and lets it start a connect (which creates the Paho client) to a port where nobody
// listens; the transport is destroyed at once.
bool use_paho() {
  docklink::ports::PahoTransportOptions options;
  options.server_uri = "tcp://127.0.0.1:1";
  options.default_client_id = "exit-probe";
  auto transport = docklink::ports::PahoTransport::create(std::move(options));
  if (!transport) return false;
  static_cast<void>(transport.value()->connect());  // refused or not, the Paho client exists now
  return true;
}

bool use_curl() { return static_cast<bool>(docklink::ports::CurlHttpClient::create({})); }

}  // namespace

int main(int argc, char** argv) {
  std::atexit(report_openssl_state);
  if (argc != 2) return 2;
  const bool created = std::strcmp(argv[1], "paho") == 0   ? use_paho()
                       : std::strcmp(argv[1], "curl") == 0 ? use_curl()
                                                           : false;
  return created ? 0 : 2;
}
