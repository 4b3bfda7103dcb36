// An in-memory port::Store for tests: same key rules as FileStore, nothing survives the process.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/export.hpp"
#include "docklink/port/store.hpp"

namespace docklink::ports {

/// port::Store in a sorted map. Thread-safe. Keys follow is_valid_store_key(), so code tested against it also
/// works on FileStore. A test can make writes fail to exercise error paths.
class DOCKLINK_API MemoryStore : public port::Store {
 public:
  /// Stores `value` under `key`; kInvalidArgument for a bad key, kIo while failing writes are set.
  Status put(std::string_view key, std::string_view value) override;
  /// Removes `key`; a missing key is ok.
  Status remove(std::string_view key) override;
  /// The value of `key`, or kNotFound.
  Result<std::string> get(std::string_view key) const override;
  /// Keys starting with `prefix`, ascending.
  Result<std::vector<std::string>> keys(std::string_view prefix) const override;

  /// When true, put() and remove() fail with kIo (a full or broken disk) until set back to false.
  void set_fail_writes(bool fail);
  /// Number of records.
  std::size_t size() const;
  /// Number of successful put() calls so far.
  std::size_t put_count() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string, std::less<>> records_;
  bool fail_writes_ = false;
  std::size_t put_count_ = 0;
};

}  // namespace docklink::ports
