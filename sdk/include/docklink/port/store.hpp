// Store port: a small durable key/value store, used to keep the offline queue across restarts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "docklink/export.hpp"
#include "docklink/status.hpp"

namespace docklink::port {

/// Durable key/value records. Thread-safe. Blocking (file I/O); the SDK calls it only from its own threads,
/// never from the transport thread.
class DOCKLINK_API Store {
 public:
  virtual ~Store() = default;
  /// Writes (or replaces) a record durably: when this returns ok, the record survives a kill -9.
  virtual Status put(std::string_view key, std::string_view value) = 0;
  /// Removes a record; removing a missing key is ok.
  virtual Status remove(std::string_view key) = 0;
  /// Reads a record; kNotFound when absent.
  virtual Result<std::string> get(std::string_view key) const = 0;
  /// Lists all keys starting with `prefix`, in ascending byte order.
  virtual Result<std::vector<std::string>> keys(std::string_view prefix) const = 0;
};

}  // namespace docklink::port
