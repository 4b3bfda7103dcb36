#include "sender_thread.hpp"

#include <utility>

namespace docklink::ports::paho {

std::shared_ptr<SenderThread> SenderThread::acquire() {
  // Never destroyed: transports may be destroyed during static destruction, after an ordinary static would be.
  static std::mutex* const mutex = new std::mutex();
  static std::weak_ptr<SenderThread>* const current = new std::weak_ptr<SenderThread>();
  std::lock_guard<std::mutex> lock(*mutex);
  std::shared_ptr<SenderThread> sender = current->lock();
  if (!sender) {
    sender.reset(new SenderThread());
    *current = sender;
  }
  return sender;
}

SenderThread::SenderThread() : thread_([this] { run(); }) {}

SenderThread::~SenderThread() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void SenderThread::post(std::function<void()> task) {
  bool signal = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back(std::move(task));
    signal = idle_;
  }
  if (signal) wake_.notify_one();  // a busy thread finds the task on its next round without a futex wake
}

void SenderThread::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    while (tasks_.empty()) {
      if (stopping_) return;
      idle_ = true;
      wake_.wait(lock);
      idle_ = false;
    }
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
}

}  // namespace docklink::ports::paho
