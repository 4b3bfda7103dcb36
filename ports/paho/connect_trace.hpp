// Watching Paho C's trace while a client connects. Paho C reports three things only there:
//  - a failed hostname check after the TLS handshake (no OpenSSL error, no distinct return code),
//  - a client certificate refused after a TLS 1.3 handshake before any alert was read (a failed CONNECT write), and
//  - the descriptor of the new socket ("<fd> <client id> -> CONNECT ..."), which is how the transport sets
//    TCP_NODELAY on exactly its own socket without scanning every descriptor of the process (toolchain note P3).
#pragma once

#include <string>

namespace docklink::ports::paho {

/// Starts watching Paho's trace for one connect attempt of `client_id` (process-wide, counted; call
/// end_connect_watch() once per call). With `set_tcp_nodelay`, the socket that sends this client's CONNECT
/// gets TCP_NODELAY as soon as the trace names it. Installs Paho C's trace callback, replacing any other;
/// the trace output level is raised only while at least one watch is active.
void begin_connect_watch(const std::string& client_id, bool set_tcp_nodelay);
/// Ends one begin_connect_watch() of `client_id`.
void end_connect_watch(const std::string& client_id);
/// True when, since begin_connect_watch(), the trace named `client_id`'s socket and TCP_NODELAY was set on it.
bool tcp_nodelay_was_set(const std::string& client_id);
/// What the trace said about a TLS failure on the calling thread since the last call (empty: nothing): a failed
/// hostname check, a fatal alert, or a CONNECT write that failed right after a handshake in which the server
/// asked for a client certificate (TLS 1.3 refusal). Paho C does the handshake, writes CONNECT and reports that
/// failure on the same thread.
std::string take_tls_note();

}  // namespace docklink::ports::paho
