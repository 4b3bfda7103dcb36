#include "executor.hpp"

#include <chrono>

namespace docklink::detail {

namespace {
// A strand runs at most this many tasks before yielding its thread, so one busy dock cannot starve the others.
constexpr std::size_t kBatchLimit = 32;
}  // namespace

bool Strand::post(Task task, bool droppable) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (closed_) return false;
  if (!executor_.reserve_slot(droppable)) return false;
  tasks_.push_back(std::move(task));
  if (scheduled_ || running_) return true;
  scheduled_ = true;
  lock.unlock();
  return executor_.enqueue_ready(shared_from_this(), true);
}

void Strand::close_and_wait() {
  std::deque<Task> dropped;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    closed_ = true;
    executor_.release_slots(tasks_.size());
    dropped.swap(tasks_);
    idle_.wait(lock, [this] { return !running_; });
  }
  // `dropped` goes here, outside the lock: a task's captures may act as they go (a ConnectTurn passes its turn on).
}

bool Strand::running_in_this_thread() const {
  std::lock_guard<std::mutex> lock(mutex_);  // runner_ is written by whichever dispatcher thread runs the strand
  return running_ && runner_ == std::this_thread::get_id();
}

void Strand::run_batch() {
  std::unique_lock<std::mutex> lock(mutex_);
  scheduled_ = false;
  running_ = true;
  runner_ = std::this_thread::get_id();
  for (std::size_t done = 0; done < kBatchLimit && !tasks_.empty(); ++done) {
    Task task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    executor_.release_slots(1);
    task();
    task = nullptr;  // destroy captures outside the lock too
    lock.lock();
  }
  running_ = false;
  runner_ = {};
  bool more = !tasks_.empty() && !closed_;
  if (more) scheduled_ = true;
  idle_.notify_all();
  lock.unlock();
  if (more) executor_.enqueue_ready(shared_from_this(), true);
}

Executor::Executor(port::Clock& clock, unsigned threads, std::size_t capacity, std::size_t inbound_max_bytes)
    : clock_(clock),
      capacity_(capacity),
      inbound_pool_(std::make_shared<InboundPool>(InboundBudgetLimits{capacity, inbound_max_bytes})) {
  if (threads == 0) threads = 1;
  for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { worker_loop(); });
  timer_thread_ = std::thread([this] { timer_loop(); });
}

Executor::~Executor() {
  {
    std::lock_guard<std::mutex> lock(timer_mutex_);
    timer_stopping_ = true;
  }
  timer_cv_.notify_all();
  timer_thread_.join();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  ready_cv_.notify_all();
  for (auto& worker : workers_) worker.join();
}

bool Executor::reserve_slot(bool droppable) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (droppable && queued_tasks_ >= capacity_) {
    ++dropped_;
    return false;
  }
  ++queued_tasks_;
  return true;
}

void Executor::release_slots(std::size_t count) {
  std::lock_guard<std::mutex> lock(mutex_);
  queued_tasks_ -= count < queued_tasks_ ? count : queued_tasks_;
}

std::uint64_t Executor::dropped() const {
  std::uint64_t refused = inbound_pool_->refused();
  std::lock_guard<std::mutex> lock(mutex_);
  return dropped_ + refused;
}

bool Executor::enqueue_ready(std::shared_ptr<Strand> strand, bool /*counted_against_capacity*/) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ready_.push_back(std::move(strand));
  }
  ready_cv_.notify_one();
  return true;
}

void Executor::worker_loop() {
  for (;;) {
    std::shared_ptr<Strand> strand;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_cv_.wait(lock, [this] { return stopping_ || !ready_.empty(); });
      if (ready_.empty()) return;  // stopping and nothing left
      strand = std::move(ready_.front());
      ready_.pop_front();
    }
    strand->run_batch();
  }
}

TimerId Executor::schedule(std::int64_t due_ms, std::weak_ptr<Strand> strand, Strand::Task task) {
  TimerId id;
  bool earliest;
  {
    std::lock_guard<std::mutex> lock(timer_mutex_);
    id = next_timer_++;
    timers_.emplace(id, Timer{std::move(strand), std::move(task)});
    earliest = deadlines_.empty() || due_ms < deadlines_.begin()->first;
    deadlines_.emplace(due_ms, id);
  }
  if (earliest) timer_cv_.notify_one();
  return id;
}

void Executor::cancel(TimerId id) {
  Strand::Task dead;  // destroyed outside the lock: captures may own objects with their own locks
  std::lock_guard<std::mutex> lock(timer_mutex_);
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  dead = std::move(it->second.task);
  timers_.erase(it);  // its deadline entry is skipped when reached
}

void Executor::wake_timers() {
  // Under the lock: the timer thread either has not read the clock yet (and reads the new time) or is waiting.
  std::lock_guard<std::mutex> lock(timer_mutex_);
  timer_cv_.notify_all();
}

void Executor::timer_loop() {
  std::unique_lock<std::mutex> lock(timer_mutex_);
  while (!timer_stopping_) {
    if (deadlines_.empty()) {
      timer_cv_.wait(lock);
      continue;
    }
    auto first = deadlines_.begin();
    std::int64_t now = clock_.monotonic_ms();
    if (first->first > now) {
      timer_cv_.wait_for(lock, std::chrono::milliseconds(first->first - now));
      continue;
    }
    TimerId id = first->second;
    deadlines_.erase(first);
    auto it = timers_.find(id);
    if (it == timers_.end()) continue;
    Timer timer = std::move(it->second);
    timers_.erase(it);
    lock.unlock();
    if (auto strand = timer.strand.lock()) strand->post(std::move(timer.task));
    timer = Timer{};
    lock.lock();
  }
  // Drop pending timers outside the lock.
  auto leftover = std::move(timers_);
  lock.unlock();
}

}  // namespace docklink::detail
