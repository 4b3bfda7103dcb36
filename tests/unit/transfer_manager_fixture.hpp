// What the transfer manager's unit tests share: a Runtime (real dispatcher threads), events a test awaits instead
// of sleeping, and a job that runs until the test releases it or the manager stops it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "docklink/runtime.hpp"
#include "docklink/transfer/transfer_manager.hpp"
#include "test_clock.hpp"

namespace docklink::test {

/// Named counters that threads bump and a test awaits. An await gives up after a minute (a hang fails the test
/// instead of stopping the suite); it returns as soon as the condition holds.
class Events {
 public:
  void bump(const std::string& name) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++counts_[name];
    changed_.notify_all();
  }
  int count(const std::string& name) {
    std::lock_guard<std::mutex> lock(mutex_);
    return counts_[name];
  }
  /// A job begins: "running" up, "peak" the most running at once.
  void enter() {
    std::lock_guard<std::mutex> lock(mutex_);
    int running = ++counts_["running"];
    if (running > counts_["peak"]) counts_["peak"] = running;
    changed_.notify_all();
  }
  void leave() {
    std::lock_guard<std::mutex> lock(mutex_);
    --counts_["running"];
    changed_.notify_all();
  }
  bool await(const std::string& name, int at_least) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::minutes(1), [&] { return counts_[name] >= at_least; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, int> counts_;
};

/// A job that counts itself in `events` ("started", "running" peak in max_running) and runs until `released`
/// or a stop request; it ends kCancelled or kPaused as the control says.
class GateJob : public transfer::TransferJob {
 public:
  GateJob(Events& events, std::function<bool()> released, std::string name = "job")
      : events_(events), released_(std::move(released)), name_(std::move(name)) {}

  transfer::TransferOutcome run(transfer::TransferContext& context) override {
    events_.enter();
    events_.bump("started");
    events_.bump("started." + name_);
    auto& control = context.control();
    // Polls the release between waits that a stop request ends at once.
    while (!released_() && !control.stop_requested()) control.wait_ms(2);
    events_.leave();
    if (control.cancelled()) return {Status(StatusCode::kShutdown, "cancelled"), transfer::TransferError::kCancelled};
    if (control.stop_requested()) return {Status(StatusCode::kShutdown, "paused"), transfer::TransferError::kPaused};
    return {Status::ok(), transfer::TransferError::kNone, 1};
  }

 private:
  Events& events_;
  std::function<bool()> released_;
  std::string name_;
};

}  // namespace docklink::test
