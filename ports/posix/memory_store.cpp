#include "docklink/ports/memory_store.hpp"

#include "docklink/ports/store_key.hpp"

namespace docklink::ports {

Status MemoryStore::put(std::string_view key, std::string_view value) {
  Status valid = check_store_key(key);
  if (!valid) return valid;
  std::lock_guard<std::mutex> lock(mutex_);
  if (fail_writes_) return Status(StatusCode::kIo, "memory store: writes are set to fail");
  records_[std::string(key)] = std::string(value);
  ++put_count_;
  return Status::ok();
}

Status MemoryStore::remove(std::string_view key) {
  Status valid = check_store_key(key);
  if (!valid) return valid;
  std::lock_guard<std::mutex> lock(mutex_);
  if (fail_writes_) return Status(StatusCode::kIo, "memory store: writes are set to fail");
  auto found = records_.find(key);
  if (found != records_.end()) records_.erase(found);
  return Status::ok();
}

Result<std::string> MemoryStore::get(std::string_view key) const {
  Status valid = check_store_key(key);
  if (!valid) return valid;
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = records_.find(key);
  if (found == records_.end()) return Status(StatusCode::kNotFound, "no record '" + std::string(key) + "'");
  return found->second;
}

Result<std::vector<std::string>> MemoryStore::keys(std::string_view prefix) const {
  std::vector<std::string> matching;
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = records_.lower_bound(prefix); it != records_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    matching.push_back(it->first);
  }
  return matching;
}

void MemoryStore::set_fail_writes(bool fail) {
  std::lock_guard<std::mutex> lock(mutex_);
  fail_writes_ = fail;
}

std::size_t MemoryStore::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return records_.size();
}

std::size_t MemoryStore::put_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return put_count_;
}

}  // namespace docklink::ports
