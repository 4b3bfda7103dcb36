#include "scheduler.hpp"

#include <string>

#include "refusals.hpp"

namespace docklink::sim {

Scheduler::Scheduler(std::size_t capacity, port::Log* log)
    : capacity_(capacity), log_(log), thread_([this] { run(); }) {}

Scheduler::~Scheduler() { stop(); }

bool Scheduler::after(std::chrono::milliseconds delay, Task task) {
  bool queued = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return false;
    queued = tasks_.size() < capacity_;
    if (queued) tasks_.emplace(std::chrono::steady_clock::now() + delay, std::move(task));
  }
  if (!queued) {  // full; logged outside the lock
    refuse(Refusal::kSchedulerFull, log_, "scheduler holds " + std::to_string(capacity_) + " tasks; one dropped");
    return false;
  }
  wake_.notify_one();
  return true;
}

std::size_t Scheduler::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return tasks_.size();
}

void Scheduler::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    tasks_.clear();
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (tasks_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto first = tasks_.begin();
    if (first->first > std::chrono::steady_clock::now()) {
      // A copy: wait_until reads the deadline again after waking, when stop() may have freed the map node.
      const auto deadline = first->first;
      wake_.wait_until(lock, deadline);
      continue;
    }
    Task task = std::move(first->second);
    tasks_.erase(first);
    lock.unlock();
    task();
    lock.lock();
  }
}

}  // namespace docklink::sim
