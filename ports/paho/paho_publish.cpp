// Publishing and subscribing. Publishes pass through the in-flight window (P4) and the process's command budget
// (command_budget.hpp), QoS 0 ones too, in one FIFO; subscriptions go straight to Paho.
#include <exception>
#include <optional>
#include <utility>

#include "paho_transport_impl.hpp"

namespace docklink::ports {
namespace {

Status status_from_paho(int return_code, std::string_view what) {
  const std::string text = std::string(what) + " (Paho code " + std::to_string(return_code) + ")";
  switch (return_code) {
    case MQTTASYNC_MAX_BUFFERED_MESSAGES:
    case MQTTASYNC_MAX_MESSAGES_INFLIGHT:
    case MQTTASYNC_NO_MORE_MSGIDS:
      return Status(StatusCode::kBusy, text);
    case MQTTASYNC_DISCONNECTED:
      return Status(StatusCode::kNotConnected, text);
    case MQTTASYNC_BAD_UTF8_STRING:
    case MQTTASYNC_NULL_PARAMETER:
    case MQTTASYNC_BAD_QOS:
    case MQTTASYNC_TOPICNAME_TRUNCATED:
      return Status(StatusCode::kInvalidArgument, text);
    default:
      return Status(StatusCode::kIo, text);
  }
}

Status publish_status(int return_code, int reason_code) {
  if (return_code == MQTTASYNC_SUCCESS) return Status::ok();
  if (reason_code >= 0x80 && reason_code < 0xFF) {
    return Status(StatusCode::kRejected,
                  "the broker refused the publish (reason code " + std::to_string(reason_code) + ")");
  }
  return Status(StatusCode::kNotConnected, "publish failed (Paho code " + std::to_string(return_code) + ")");
}

Status check_topic(std::string_view topic) {
  if (topic.empty() || topic.find_first_of("+#") != std::string_view::npos || topic.find('\0') != topic.npos) {
    return Status(StatusCode::kInvalidArgument, "a publish topic must be non-empty and free of wildcards");
  }
  return Status::ok();
}

Status check_filter(std::string_view filter) {
  if (filter.empty() || filter.find('\0') != filter.npos) {
    return Status(StatusCode::kInvalidArgument, "a topic filter must be non-empty");
  }
  return Status::ok();
}

}  // namespace

Status PahoTransport::Impl::publish(std::string_view topic, std::string_view payload, port::Qos qos,
                                    port::PublishId id) {
  if (Status valid = check_topic(topic); !valid) return valid;
  try {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::kConnected) return Status(StatusCode::kNotConnected, "not connected");
    if (!window_.enqueue(std::string(topic), std::string(payload), qos, id)) {
      return Status(StatusCode::kBusy, "the transport's publish queue is full");
    }
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::kBusy, "out of memory for the publish queue");
  }
  pump();
  return Status::ok();
}

// Runs `call` on the connected client, counted in busy_ so disconnect() waits for it; Paho's exceptions become
// statuses: `what` names the operation in them ("subscribe" gives "subscribe refused by Paho (...)").
template <typename Call>
Status PahoTransport::Impl::with_connected_client(std::string_view what, Call call) {
  mqtt::async_client* client = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::kConnected || !client_) return Status(StatusCode::kNotConnected, "not connected");
    client = client_.get();
    ++busy_;
  }
  Status status;
  try {
    call(*client);
  } catch (const mqtt::exception& e) {
    status = status_from_paho(e.get_return_code(), std::string(what) + " refused by Paho");
  } catch (const std::exception& e) {
    status = Status(StatusCode::kInternal, std::string(what) + " failed: " + e.what());
  }
  release_busy();
  return status;
}

Status PahoTransport::Impl::hand_to_paho(mqtt::async_client& client, paho::WindowedPublish& next) {
  try {
    auto message =
        mqtt::make_message(std::move(next.topic), std::move(next.payload), static_cast<int>(next.qos), false);
    client.publish(std::move(message), reinterpret_cast<void*>(next.ticket), publish_forwarder_);
  } catch (const mqtt::exception& e) {
    return status_from_paho(e.get_return_code(), "publish refused by Paho");
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("publish failed: ") + e.what());
  }
  return Status::ok();
}

void PahoTransport::Impl::pump() {
  std::vector<PublishOutcome> failed;
  std::size_t spare = 0;
  port::TransportListener* listener = nullptr;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (pumping_ || state_ != State::kConnected || !client_) return;
    pumping_ = true;
    ++busy_;
    mqtt::async_client* client = client_.get();
    while (state_ == State::kConnected && window_.can_take() && take_slot_locked()) {
      paho::WindowedPublish next = *window_.take_next();
      lock.unlock();
      Status sent = hand_to_paho(*client, next);
      lock.lock();
      if (sent) continue;
      if (auto done = window_.complete(next.ticket)) {
        if (done->reported) failed.push_back({done->id, sent});
        ++spare;  // refused by Paho: its slot comes back
      }
    }
    spare += drop_slots_locked(0);
    pumping_ = false;
    listener = listener_;
  }
  budget_.release(spare);
  report_publishes(listener, failed);
  release_busy();
}

bool PahoTransport::Impl::take_slot_locked() {
  if (credits_ > 0) {
    --credits_;
    return true;
  }
  return budget_.acquire_or_wait(budget_waiter_);
}

std::size_t PahoTransport::Impl::drop_slots_locked(std::size_t inflight_drained) {
  return inflight_drained + std::exchange(credits_, 0);
}

// A pump running on another thread uses the credit (it checks for one before it stops, under the same mutex).
bool PahoTransport::Impl::on_budget_offer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::kConnected || !window_.can_take()) return false;
    ++credits_;
  }
  pump();
  return true;
}

void PahoTransport::Impl::on_publish_result(std::uintptr_t ticket, int return_code, int reason_code) {
  port::TransportListener* listener = nullptr;
  std::optional<paho::PublishWindow::Completion> done;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done = window_.complete(ticket);
    if (!done) return;  // already settled (and its slot given back) when the connection went away
    listener = listener_;
    ++busy_;
  }
  budget_.release();
  if (done->reported && listener != nullptr)
    listener->on_publish_done(done->id, publish_status(return_code, reason_code));
  release_busy();
  pump();  // a slot is free
}

// One filter is a SUBSCRIBE with one entry: Paho C's single subscribe is the same call with a count of one.
Status PahoTransport::Impl::subscribe(std::string_view filter, port::Qos qos) {
  return subscribe_many({std::string(filter)}, qos);
}

Status PahoTransport::Impl::subscribe_many(const std::vector<std::string>& filters, port::Qos qos) {
  if (filters.empty()) return Status::ok();
  for (const std::string& filter : filters) {
    if (Status valid = check_filter(filter); !valid) return valid;
  }
  Status status = with_connected_client("subscribe", [&](mqtt::async_client& client) {
    auto topics = mqtt::string_collection::create(filters);
    mqtt::iasync_client::qos_collection qoss(filters.size(), static_cast<int>(qos));
    client.subscribe(topics, qoss, nullptr, subscribe_forwarder_);
  });
  if (!status) {
    const std::string what = filters.size() == 1 ? "'" + filters[0] + "'" : std::to_string(filters.size()) + " filters";
    log(port::LogLevel::kError, {"subscribe to ", what, ": ", status.to_string()});
  }
  return status;
}

Status PahoTransport::Impl::unsubscribe(std::string_view filter) {
  if (Status valid = check_filter(filter); !valid) return valid;
  Status status = with_connected_client("unsubscribe", [&](mqtt::async_client& client) {
    client.unsubscribe(std::string(filter), nullptr, unsubscribe_forwarder_);
  });
  if (!status) log(port::LogLevel::kError, {"unsubscribe from '", filter, "': ", status.to_string()});
  return status;
}

}  // namespace docklink::ports
