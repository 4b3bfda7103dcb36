// A small IoTDA-style cloud on its own Paho connection to the tests' private mosquitto: records the gateway's
// uplinks (reports, events, messages, command responses, property set/get answers, shadow requests), answers its
// sub-device status report and time sync, and lets a test publish downlinks and wait for what it expects
// (IotdaBroker, IotdaBrokerRequests, IotdaFiles).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/ports/credentials.hpp"
#include "docklink/ports/paho_transport.hpp"
#include "paho_test_support.hpp"

namespace docklink::test {

/// The cloud: records the gateway's uplinks and answers its sub-device status report.
class IotdaBrokerCloud : public port::TransportListener {
 public:
  IotdaBrokerCloud(const std::string& uri, const std::string& gateway_id)
      : prefix_("$oc/devices/" + gateway_id + "/sys/") {
    auto options = transport_options(uri, "iotda-test-cloud", ports::MqttVersion::kV311);
    credentials_ = std::make_unique<ports::StaticCredentials>("iotda-test-cloud", "cloud", "cloud-pass");
    options.credentials = credentials_.get();
    transport_ = std::move(ports::PahoTransport::create(options)).value();
    transport_->set_listener(this);
  }
  ~IotdaBrokerCloud() override {
    transport_->disconnect(std::chrono::milliseconds(500));
    transport_->set_listener(nullptr);
  }

  bool connect() {
    if (!transport_->connect()) return false;
    std::unique_lock<std::mutex> lock(mutex_);
    if (!changed_.wait_for(lock, std::chrono::seconds(10), [this] { return connected_; })) return false;
    lock.unlock();
    return static_cast<bool>(transport_->subscribe_many(
        {prefix_ + "events/up", prefix_ + "commands/response/#", prefix_ + "properties/report",
         prefix_ + "gateway/sub_devices/properties/report", prefix_ + "messages/up",
         prefix_ + "properties/set/response/#", prefix_ + "properties/get/response/#", prefix_ + "shadow/get/+"},
        port::Qos::kAtLeastOnce));
  }

  void publish(const std::string& suffix, const std::string& payload) {
    // A refused publish shows as the dock's missing answer, which the test awaits and checks.
    static_cast<void>(transport_->publish(prefix_ + suffix, payload, port::Qos::kAtLeastOnce, 1));
  }

  /// Waits for an uplink on `prefix_ + suffix` and returns its payload ("" after 10 s without one).
  std::string wait_for(const std::string& suffix) {
    std::unique_lock<std::mutex> lock(mutex_);
    std::string found;
    changed_.wait_for(lock, std::chrono::seconds(10), [&] {
      for (const auto& message : received_) {
        if (message.first == prefix_ + suffix) found = message.second;
      }
      return !found.empty();
    });
    return found;
  }

  /// Waits until `n` uplinks arrived on `prefix_ + suffix` (10 s at most); how many did.
  std::size_t wait_count(const std::string& suffix, std::size_t n) {
    std::unique_lock<std::mutex> lock(mutex_);
    std::size_t seen = 0;
    changed_.wait_for(lock, std::chrono::seconds(10), [&] {
      seen = 0;
      for (const auto& message : received_) seen += message.first == prefix_ + suffix ? 1U : 0U;
      return seen >= n;
    });
    return seen;
  }

  /// Waits until an uplink matches `pred` (10 s at most); whether one did.
  bool wait_until(const std::function<bool(const std::string&, const std::string&)>& pred) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] {
      for (const auto& message : received_) {
        if (pred(message.first, message.second)) return true;
      }
      return false;
    });
  }

  /// Waits until an uplink matches `pred` (10 s at most); that uplink's (topic, payload), or empty ones.
  std::pair<std::string, std::string> first_matching(
      const std::function<bool(const std::string&, const std::string&)>& pred) {
    std::unique_lock<std::mutex> lock(mutex_);
    std::pair<std::string, std::string> found;
    changed_.wait_for(lock, std::chrono::seconds(10), [&] {
      for (const auto& message : received_) {
        if (pred(message.first, message.second)) {
          found = message;
          return true;
        }
      }
      return false;
    });
    return found;
  }

  /// The payloads received so far on `prefix_ + suffix`, in arrival order.
  std::vector<std::string> payloads(const std::string& suffix) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> out;
    for (const auto& message : received_) {
      if (message.first == prefix_ + suffix) out.push_back(message.second);
    }
    return out;
  }

  /// Uplinks received so far on `prefix_ + suffix`.
  std::size_t count(const std::string& suffix) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t seen = 0;
    for (const auto& message : received_) seen += message.first == prefix_ + suffix ? 1U : 0U;
    return seen;
  }

  void on_message(std::string_view topic, std::string_view payload) override {
    std::string text(payload);
    std::string answer;
    if (topic == prefix_ + "events/up" && text.find("\"sub_device_update_status\"") != std::string::npos) {
      rapidjson::Document document;
      document.Parse(text.c_str());
      if (document.IsObject()) {
        answer = std::string(R"({"services":[{"service_id":"$sub_device_manager",)") +
                 R"("event_type":"sub_device_update_status_response","event_id":")" +
                 document["services"][0]["event_id"].GetString() +
                 R"(","paras":{"successful_devices":[],"failed_devices":[]}}]})";
      }
    }
    if (topic == prefix_ + "events/up" && text.find("\"time_sync_request\"") != std::string::npos) {
      answer = time_sync_answer(text);
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      received_.emplace_back(std::string(topic), text);
    }
    changed_.notify_all();
    if (!answer.empty()) publish("events/down", answer);  // Paho only queues it: fine on its callback thread
  }
  /// The answer to a time sync request, with this machine's wall clock as the platform's (the dock's offset from
  /// it is then only the round trip's uncertainty).
  static std::string time_sync_answer(const std::string& request) {
    rapidjson::Document document;
    document.Parse(request.c_str());
    if (!document.IsObject()) return {};
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    return std::string(R"({"services":[{"service_id":"$time_sync","event_type":"time_sync_response",)") +
           R"("paras":{"device_send_time":)" +
           std::to_string(document["services"][0]["paras"]["device_send_time"].GetInt64()) + R"(,"server_recv_time":)" +
           std::to_string(now) + R"(,"server_send_time":)" + std::to_string(now) + "}}]}";
  }

  void on_connection_changed(bool connected, const Status&, bool) override {
    std::lock_guard<std::mutex> lock(mutex_);
    connected_ = connected;
    changed_.notify_all();
  }
  void on_publish_done(port::PublishId, const Status&) override {}

 private:
  const std::string prefix_;
  std::unique_ptr<ports::StaticCredentials> credentials_;
  std::unique_ptr<ports::PahoTransport> transport_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool connected_ = false;
  std::vector<std::pair<std::string, std::string>> received_;
};

}  // namespace docklink::test
