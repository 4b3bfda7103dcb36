// The DRC side of a cloud in the dock-sim tests: drc/up recorded, drc/down sent.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/topics.hpp"
#include "sim_cloud_client.hpp"

namespace simtest {

using namespace std::chrono_literals;

/// One drc/up message and when it arrived.
struct DrcSeen {
  std::shared_ptr<rapidjson::Document> json;
  std::chrono::steady_clock::time_point at;
  std::string method() const {
    auto it = json->FindMember("method");
    return it != json->MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
  }
  const rapidjson::Value& data() const {
    static const rapidjson::Value kEmpty(rapidjson::kObjectType);
    auto it = json->FindMember("data");
    return it != json->MemberEnd() ? it->value : kEmpty;
  }
  double number(const char* key) const {
    auto it = data().FindMember(key);
    return it != data().MemberEnd() && it->value.IsNumber() ? it->value.GetDouble() : -1e9;
  }
};

/// The DRC side of a cloud: a raw Paho client on drc/up and drc/down of one gateway.
class DrcCloud : public CloudClient {
 public:
  DrcCloud(const std::string& uri, const std::string& sn) : sn_(sn) {
    open(uri, "sim-test-drc-cloud", {docklink::topic(docklink::TopicKind::kDrcUp, sn_)},
         docklink::port::Qos::kAtMostOnce);
  }
  ~DrcCloud() override { close(); }
  DrcCloud(const DrcCloud&) = delete;
  DrcCloud& operator=(const DrcCloud&) = delete;
  /// Publishes `payload` on drc/down `times` times, as DJI's demo cloud does with every DRC command.
  void send(const std::string& payload, int times = 1) {
    for (int i = 0; i < times; ++i) {
      // QoS 0 may be lost anyway; the tests await the dock's reaction, which shows a refused publish too.
      static_cast<void>(transport_->publish(docklink::topic(docklink::TopicKind::kDrcDown, sn_), payload,
                                            docklink::port::Qos::kAtMostOnce, 0));
    }
  }
  /// Messages of `method` once at least `count` arrived (or the timeout passed).
  std::vector<DrcSeen> wait_count(const std::string& method, std::size_t count,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    return wait_matching(
        seen_, [&](const DrcSeen& seen) { return seen.method() == method; }, count, timeout);
  }
  /// The first message matching `pred` (json == nullptr on timeout).
  DrcSeen wait_for(std::function<bool(const DrcSeen&)> pred,
                   std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::vector<DrcSeen> found = wait_matching(seen_, pred, 1, timeout);
    return found.empty() ? DrcSeen{nullptr, {}} : found.front();
  }
  /// How many messages of `method` arrived so far.
  std::size_t count(const std::string& method) {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<std::size_t>(
        std::count_if(seen_.begin(), seen_.end(), [&](const DrcSeen& seen) { return seen.method() == method; }));
  }

  void on_uplink(std::string_view, std::string_view payload) override {
    DrcSeen seen{std::make_shared<rapidjson::Document>(), std::chrono::steady_clock::now()};
    seen.json->Parse(payload.data(), payload.size());
    if (seen.json->HasParseError() || !seen.json->IsObject()) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      seen_.push_back(seen);
    }
    cv_.notify_all();
  }

 private:
  std::string sn_;
  std::vector<DrcSeen> seen_;
};

}  // namespace simtest
