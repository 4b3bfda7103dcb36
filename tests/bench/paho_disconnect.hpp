// Ending a raw Paho client's connection in a benchmark without a failed disconnect ending the run: Paho C++ throws
// mqtt::exception from disconnect() and from the token's wait_for() when the disconnect fails (seen with 10,000
// docks in bench_fleet_raw, where it aborted the run with exit 134 after every row had been measured).
#pragma once

#include <chrono>
#include <string>

#include <mqtt/async_client.h>

namespace docklink::bench {

/// The text a benchmark reports for a failed disconnect (never empty).
inline std::string disconnect_failure(const mqtt::exception& error) {
  const std::string text = error.what();
  return text.empty() ? "mqtt::exception" : text;
}

/// Waits up to `timeout` for `token`, a disconnect under way. Returns why it failed, or an empty string when it
/// completed or the wait ran out.
inline std::string wait_disconnected(const mqtt::token_ptr& token, std::chrono::seconds timeout) {
  try {
    token->wait_for(timeout);
    return {};
  } catch (const mqtt::exception& error) {
    return disconnect_failure(error);
  }
}

/// Disconnects `client` and waits up to `timeout` for it. Returns why it failed, or an empty string.
inline std::string disconnect_within(mqtt::async_client& client, std::chrono::seconds timeout) {
  try {
    return wait_disconnected(client.disconnect(), timeout);
  } catch (const mqtt::exception& error) {
    return disconnect_failure(error);
  }
}

}  // namespace docklink::bench
