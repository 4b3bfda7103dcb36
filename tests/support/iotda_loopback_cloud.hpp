// An IoTDA-shaped cloud on a LoopbackBroker for client tests: records what the dock publishes on its IoTDA uplink
// topics, answers the sub-device status report (so the connection becomes ready), and waits on a condition
// variable for what a test expects.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/ports/loopback.hpp"

namespace docklink::test {

/// One uplink, parsed.
struct IotdaSeen {
  std::string topic;
  std::string payload;
  std::shared_ptr<rapidjson::Document> json;
};

class IotdaLoopbackCloud {
 public:
  IotdaLoopbackCloud(ports::LoopbackBroker& broker, std::string gateway_device_id)
      : broker_(broker), prefix_("$oc/devices/" + gateway_device_id + "/sys/") {
    for (const char* uplink :
         {"messages/up", "commands/response/#", "properties/report", "gateway/sub_devices/properties/report",
          "properties/set/response/#", "properties/get/response/#", "events/up", "shadow/get/#"}) {
      subscriptions_.push_back(broker_.subscribe(
          prefix_ + uplink, [this](std::string_view topic, std::string_view payload) { on_uplink(topic, payload); }));
    }
  }
  ~IotdaLoopbackCloud() {
    for (auto id : subscriptions_) broker_.unsubscribe(id);
  }

  /// Publishes a downlink on `$oc/devices/{gateway}/sys/{suffix}`.
  void publish(const std::string& suffix, const std::string& payload) { broker_.publish(prefix_ + suffix, payload); }

  /// Answers every sub_device_update_status with its response (echoing event_id) while true (the default).
  void set_answer_topology(bool on) {
    std::lock_guard<std::mutex> lock(mutex_);
    answer_topology_ = on;
  }

  /// Waits for an uplink on `prefix_ + suffix` (exact, or a prefix when `suffix` ends in '/') matching `pred`.
  IotdaSeen wait_for(const std::string& suffix, std::function<bool(const IotdaSeen&)> pred = {}, std::size_t nth = 1) {
    std::unique_lock<std::mutex> lock(mutex_);
    IotdaSeen found;
    cv_.wait_for(lock, std::chrono::seconds(5), [&] {
      std::size_t matched = 0;
      for (const IotdaSeen& seen : seen_) {
        if (matches(seen, suffix) && (!pred || pred(seen)) && ++matched == nth) {
          found = seen;
          return true;
        }
      }
      return false;
    });
    return found;
  }

  /// Every uplink on `suffix` that matched `pred` so far, in arrival order.
  std::vector<IotdaSeen> all(const std::string& suffix, std::function<bool(const IotdaSeen&)> pred = {}) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<IotdaSeen> out;
    for (const IotdaSeen& seen : seen_) {
      if (matches(seen, suffix) && (!pred || pred(seen))) out.push_back(seen);
    }
    return out;
  }

  /// How many uplinks on `suffix` matched `pred` so far.
  std::size_t count(const std::string& suffix, std::function<bool(const IotdaSeen&)> pred = {}) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t n = 0;
    for (const IotdaSeen& seen : seen_) {
      if (matches(seen, suffix) && (!pred || pred(seen))) ++n;
    }
    return n;
  }

 private:
  bool matches(const IotdaSeen& seen, const std::string& suffix) const {
    const std::string wanted = prefix_ + suffix;
    return suffix.back() == '/' ? seen.topic.compare(0, wanted.size(), wanted) == 0 : seen.topic == wanted;
  }

  void on_uplink(std::string_view topic, std::string_view payload) {
    IotdaSeen seen{std::string(topic), std::string(payload), std::make_shared<rapidjson::Document>()};
    seen.json->Parse(seen.payload.c_str());
    bool answer = false;
    std::string event_id;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      answer = answer_topology_ && seen.topic == prefix_ + "events/up" &&
               seen.payload.find("\"sub_device_update_status\"") != std::string::npos;
      if (answer) event_id = (*seen.json)["services"][0]["event_id"].GetString();
      seen_.push_back(seen);
    }
    cv_.notify_all();
    if (answer) {
      publish("events/down",
              R"({"services":[{"service_id":"$sub_device_manager","event_type":"sub_device_update_status_response",)"
              R"("event_id":")" +
                  event_id + R"(","paras":{"successful_devices":[],"failed_devices":[]}}]})");
    }
  }

  ports::LoopbackBroker& broker_;
  const std::string prefix_;
  std::vector<ports::LoopbackSubscriptionId> subscriptions_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<IotdaSeen> seen_;
  bool answer_topology_ = true;
};

}  // namespace docklink::test
