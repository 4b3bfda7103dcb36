#include "inbound_budget.hpp"

namespace docklink::detail {

bool InboundPool::try_take(std::size_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (messages_ + 1 > limits_.max_messages || bytes_ + bytes > limits_.max_bytes) return false;
  ++messages_;
  bytes_ += bytes;
  return true;
}

void InboundPool::give_back(std::size_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (messages_ > 0) --messages_;
  bytes_ -= bytes < bytes_ ? bytes : bytes_;
}

void InboundPool::note_refused() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++refused_;
}

std::uint64_t InboundPool::refused() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return refused_;
}

InboundTicket& InboundTicket::operator=(InboundTicket&& other) noexcept {
  if (this != &other) {
    release();
    share_ = std::move(other.share_);
    process_ = std::move(other.process_);
    bytes_ = other.bytes_;
  }
  return *this;
}

void InboundTicket::release() {
  if (share_) share_->give_back(bytes_);
  if (process_) process_->give_back(bytes_);
  share_.reset();
  process_.reset();
}

InboundRefusal take_inbound(const std::shared_ptr<InboundPool>& share, const std::shared_ptr<InboundPool>& process,
                            std::size_t bytes, InboundTicket& ticket) {
  if (!share->try_take(bytes)) {
    process->note_refused();
    return InboundRefusal::kClientShare;
  }
  if (!process->try_take(bytes)) {
    share->give_back(bytes);
    process->note_refused();
    return InboundRefusal::kProcessCap;
  }
  ticket = InboundTicket(share, process, bytes);
  return InboundRefusal::kNone;
}

bool LogRateLimit::allow(std::int64_t now_ms, std::uint64_t& held_back) {
  if (ever_ && now_ms - last_ms_ < interval_ms_) {
    ++held_back_;
    return false;
  }
  ever_ = true;
  last_ms_ = now_ms;
  held_back = held_back_;
  held_back_ = 0;
  return true;
}

}  // namespace docklink::detail
