// The process-wide slot count for Paho C publishes and its waiting line (command_budget.hpp says why).
#include "command_budget.hpp"

#include "docklink/config_defaults.hpp"

namespace docklink::ports::paho {

bool BudgetWaiter::offer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) return false;
    ++running_;
  }
  const bool taken = granted_();
  std::lock_guard<std::mutex> lock(mutex_);
  if (--running_ == 0) idle_.notify_all();
  return taken;
}

void BudgetWaiter::close() {
  std::unique_lock<std::mutex> lock(mutex_);
  closed_ = true;
  idle_.wait(lock, [this] { return running_ == 0; });
}

bool CommandBudget::acquire_or_wait(const std::shared_ptr<BudgetWaiter>& waiter) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (capacity_ == 0 || taken_ < capacity_) {
    ++taken_;
    return true;
  }
  if (!waiter->queued_) {
    waiter->queued_ = true;
    waiters_.push_back(waiter);
  }
  return false;
}

std::shared_ptr<BudgetWaiter> CommandBudget::next_waiter() {
  std::lock_guard<std::mutex> lock(mutex_);
  while (!waiters_.empty()) {
    std::shared_ptr<BudgetWaiter> next = waiters_.front().lock();
    waiters_.pop_front();
    if (next) {
      next->queued_ = false;
      return next;
    }
  }
  if (taken_ > 0) --taken_;  // nobody waits: the slot is free
  return nullptr;
}

// A slot passes from hand to hand without ever being counted free while someone waits, so a waiter cannot be
// overtaken by a newcomer. Declined offers (the waiter left, or has nothing to send) move on to the next in line,
// in a loop rather than a recursion.
void CommandBudget::release(std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    while (std::shared_ptr<BudgetWaiter> next = next_waiter()) {
      if (next->offer()) break;
    }
  }
}

std::size_t CommandBudget::taken() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return taken_;
}

CommandBudget& CommandBudget::process() {
  static CommandBudget budget(defaults::kPahoProcessInflight);
  return budget;
}

}  // namespace docklink::ports::paho
