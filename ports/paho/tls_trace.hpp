// Noticing a failed hostname check: Paho C checks the certificate's names after the handshake and only says so in
// its trace (no OpenSSL error, no distinct return code), so the transport listens to the trace while connecting.
#pragma once

#include <string>

namespace docklink::ports::paho {

/// Starts watching Paho's trace for hostname-check failures (process-wide, counted; call end_tls_watch() once
/// per call). Installs Paho C's trace callback, replacing any other; the trace level is raised only while at
/// least one watch is active.
void begin_tls_watch();
/// Ends one begin_tls_watch().
void end_tls_watch();
/// What the trace said about a TLS failure on the calling thread since the last call (empty: nothing). Paho C
/// checks the host name and reports the failure on the same thread.
std::string take_tls_note();

}  // namespace docklink::ports::paho
