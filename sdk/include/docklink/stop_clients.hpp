// Stopping many clients at once: a process hosting a fleet (a gateway, a simulator) that stopped its clients one
// after another would wait for every clean MQTT DISCONNECT in turn, which adds up to tens of seconds at 10,000 docks.
#pragma once

#include <vector>

#include "docklink/client.hpp"
#include "docklink/export.hpp"
#include "docklink/status.hpp"

namespace docklink {

/// Stops every client of `clients` with the guarantees of Client::stop() for each, their disconnects overlapping.
///
/// First every client is marked stopping, its timers are cancelled and its pending replies are taken (no client
/// reconnects or resends from then on); then the transports disconnect, at most defaults::kStopClientsThreads at a
/// time, each waiting for its clean MQTT DISCONNECT (the transport contract's disconnect() blocks) and for a
/// running handler of its client; last the callbacks of the pending replies get kShutdown, on the calling thread.
/// Null entries are ignored; a client listed twice, or stopped already, is stopped once. The clients may belong to
/// different Runtimes and must outlive the call.
///
/// Returns ok when every client is stopped. Called from a handler or callback of one of the clients (its own strand,
/// which it would wait for), it stops none of them and returns kBusy. Blocks; never throws (when the worker threads
/// cannot be started the calling thread does their share).
DOCKLINK_API Status stop_clients(const std::vector<Client*>& clients);

}  // namespace docklink
