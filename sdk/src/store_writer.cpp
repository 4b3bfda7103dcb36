#include "store_writer.hpp"

#include <utility>

namespace docklink::detail {

void StoreWriter::put(std::string key, std::string value) { enqueue(Operation{std::move(key), std::move(value)}); }

void StoreWriter::remove(std::string key) { enqueue(Operation{std::move(key), {}, true}); }

void StoreWriter::enqueue(Operation operation) {
  std::lock_guard<std::mutex> lock(queue_mutex_);
  queue_.push_back(std::move(operation));
  queued_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::string> StoreWriter::flush() {
  std::vector<std::string> failures;
  std::lock_guard<std::mutex> io(io_mutex_);
  std::vector<Operation> batch;
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    batch.swap(queue_);
  }
  for (const Operation& operation : batch) {
    Status status = operation.remove ? store_->remove(operation.key) : store_->put(operation.key, operation.value);
    if (!status)
      failures.push_back((operation.remove ? "remove " : "put ") + operation.key + ": " + status.to_string());
  }
  return failures;
}

}  // namespace docklink::detail
