// Durable-store writes decided under the client lock and carried out after it is released, in decision order.
// Why: a store write may fsync for milliseconds, and the client lock is also taken by the transport's receive
// thread (shared by every client of the process), which must never wait for a disk.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "docklink/port/store.hpp"

namespace docklink::detail {

class StoreWriter {
 public:
  explicit StoreWriter(port::Store* store) : store_(store) {}

  /// Queues a put. Callers decide under the client lock, so the queue order is the order of the decisions.
  void put(std::string key, std::string value);
  /// Queues a remove (removing a key whose put failed is harmless: the store accepts missing keys).
  void remove(std::string key);
  /// How many operations were ever queued; a lock scope that saw it grow calls flush() once it has unlocked.
  std::uint64_t queued() const { return queued_.load(std::memory_order_relaxed); }

  /// Carries out every queued operation, in queue order, and returns a description of each failure. Never call
  /// it with the client lock held; flushes from two threads are serialised so that neither reorders the other's
  /// operations (only this writer's own threads take that lock, never the transport's).
  std::vector<std::string> flush();

 private:
  struct Operation {
    std::string key;
    std::string value;
    bool remove = false;
  };
  void enqueue(Operation operation);

  port::Store* store_;
  std::mutex queue_mutex_;  ///< guards queue_ only; held for a push or a swap, never across I/O
  std::vector<Operation> queue_;
  std::atomic<std::uint64_t> queued_{0};
  std::mutex io_mutex_;  ///< one flush at a time, so operations reach the store in queue order
};

}  // namespace docklink::detail
