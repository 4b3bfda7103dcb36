// Starting a benchmark's client and waiting until it is connected, shared by the benchmarks that need one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "docklink/client.hpp"

namespace docklink::bench {

/// Starts `client` and waits up to `timeout` for its first connection; false if it did not come up. Takes the
/// client's connection handler for itself.
inline bool start_and_wait_connected(Client& client, std::chrono::seconds timeout) {
  auto mutex = std::make_shared<std::mutex>();
  auto changed = std::make_shared<std::condition_variable>();
  auto up = std::make_shared<bool>(false);
  client.on_connection_changed([mutex, changed, up](bool connected, const Status&) {
    std::lock_guard<std::mutex> lock(*mutex);
    *up = connected;
    changed->notify_all();
  });
  if (!client.start()) return false;
  std::unique_lock<std::mutex> lock(*mutex);
  return changed->wait_for(lock, timeout, [&] { return *up; });
}

}  // namespace docklink::bench
