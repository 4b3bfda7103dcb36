// The scripted cloud of the dock-sim tests: records every uplink and answers like a simple cloud.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/envelope.hpp"
#include "docklink/topics.hpp"
#include "sim_cloud_client.hpp"
#include "sim_seen.hpp"

namespace simtest {

using namespace std::chrono_literals;

/// The scripted cloud: records every uplink, answers status/events/requests like a simple cloud.
class TestCloud : public CloudClient {
 public:
  /// `answers` false: it only records (and sends what a test sends), another cloud answers the dock.
  explicit TestCloud(const std::string& uri, bool answers = true)
      : answers_(answers), answerer_([this] { answer_loop(); }) {
    open(uri, "sim-test-cloud", {"sys/product/+/status", "thing/product/+/#"}, docklink::port::Qos::kAtLeastOnce);
  }
  ~TestCloud() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    answerer_.join();
    close();
  }

  void on_uplink(std::string_view topic, std::string_view payload) override {
    auto parsed = docklink::parse_topic(topic);
    if (!parsed || docklink::is_downlink(parsed.value().kind)) return;
    Seen seen{parsed.value().kind, std::string(parsed.value().sn), std::make_shared<rapidjson::Document>()};
    seen.json->Parse(payload.data(), payload.size());
    if (seen.json->HasParseError() || !seen.json->IsObject()) return;
    // Answers are published by the answer thread: a listener must not call into the transport.
    {
      std::lock_guard<std::mutex> lock(mutex_);
      seen_.push_back(seen);
      if (answers_) to_answer_.push_back(seen);
    }
    cv_.notify_all();
  }

  /// Publishes a downlink and returns its tid.
  std::string send(docklink::TopicKind kind, const std::string& sn, const std::string& method, const std::string& data,
                   std::string bid = {}) {
    std::string tid = "cloud-tid-" + std::to_string(++next_id_);
    if (bid.empty()) bid = "cloud-bid-" + std::to_string(next_id_.load());
    publish(kind, sn, tid, bid, method, data, next_id_);
    return tid;
  }

  /// Waits for an uplink matching `pred` (earlier ones count).
  Seen wait_for(std::function<bool(const Seen&)> pred, std::chrono::milliseconds timeout = 5s) {
    std::vector<Seen> found = wait_matching(seen_, pred, 1, timeout);
    return found.empty() ? Seen{docklink::TopicKind::kStatus, "", nullptr} : found.front();
  }
  /// Every uplink matching `pred` seen so far, in arrival order.
  std::vector<Seen> all(std::function<bool(const Seen&)> pred) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Seen> found;
    for (const auto& seen : seen_) {
      if (pred(seen)) found.push_back(seen);
    }
    return found;
  }
  /// Uplinks matching `pred` once at least `count` were seen (or the timeout passed), in arrival order.
  std::vector<Seen> wait_count(std::function<bool(const Seen&)> pred, std::size_t count,
                               std::chrono::milliseconds timeout) {
    return wait_matching(seen_, pred, count, timeout);
  }
  /// Distinct SNs of uplinks matching `pred`, once at least `count` were seen (or the timeout passed).
  std::set<std::string> wait_distinct(std::function<bool(const Seen&)> pred, std::size_t count,
                                      std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    std::set<std::string> sns;
    cv_.wait_for(lock, timeout, [&] {
      sns.clear();
      for (const auto& seen : seen_) {
        if (pred(seen)) sns.insert(seen.sn);
      }
      return sns.size() >= count;
    });
    return sns;
  }

 private:
  void answer_loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      cv_.wait(lock, [this] { return stopping_ || !to_answer_.empty(); });
      if (stopping_) return;
      Seen seen = to_answer_.front();
      to_answer_.erase(to_answer_.begin());
      lock.unlock();
      answer(seen);
      lock.lock();
    }
  }

  void answer(const Seen& seen) {
    using docklink::TopicKind;
    TopicKind reply;
    std::string data = R"({"result":0})";
    if (seen.kind == TopicKind::kStatus) {
      reply = TopicKind::kStatusReply;
    } else if (seen.kind == TopicKind::kEvents) {
      auto it = seen.json->FindMember("need_reply");
      if (it == seen.json->MemberEnd() || !it->value.IsInt() || it->value.GetInt() != 1) return;
      reply = TopicKind::kEventsReply;
    } else if (seen.kind == TopicKind::kRequests) {
      reply = TopicKind::kRequestsReply;
      const std::string method = seen.str("method");
      if (method == "config") {
        data = R"({"app_id":"1","app_key":"k","app_license":"l","ntp_server_host":"h","ntp_server_port":123})";
      } else if (method == "airport_bind_status") {
        // Organisation binding (docs/protocol.md#binding), answered like the demo cloud: docks whose SN starts with
        // "BOUND-" are bound already, every other device is not.
        bool bound = seen.sn.rfind("BOUND-", 0) == 0;
        data = R"({"result":0,"output":{"bind_status":[)";
        auto devices = seen.data().FindMember("devices");
        if (devices != seen.data().MemberEnd() && devices->value.IsArray()) {
          const char* separator = "";
          for (const auto& device : devices->value.GetArray()) {
            auto sn = device.FindMember("sn");
            if (sn == device.MemberEnd() || !sn->value.IsString()) continue;
            data += std::string(separator) + R"({"sn":")" + sn->value.GetString() +
                    R"(","is_device_bind_organization":)" + (bound ? "true" : "false") +
                    R"(,"organization_id":"sim-organization","organization_name":"Sim Org","device_callsign":")" +
                    sn->value.GetString() + R"("})";
            separator = ",";
          }
        }
        data += "]}}";
      } else if (method == "airport_organization_get") {
        data = R"({"result":0,"output":{"organization_name":"Sim Org"}})";
      } else if (method == "airport_organization_bind") {
        data = R"({"result":0,"output":{"err_infos":[]}})";
      }
    } else {
      return;
    }
    publish(reply, seen.sn, seen.str("tid"), seen.str("bid"), seen.str("method"), data, ++next_id_);
  }

  // Publishes one envelope at QoS 1 as publish `id`.
  void publish(docklink::TopicKind kind, const std::string& sn, const std::string& tid, const std::string& bid,
               const std::string& method, const std::string& data, std::uint64_t id) {
    docklink::OutboundEnvelope envelope;
    envelope.tid = tid;
    envelope.bid = bid;
    envelope.timestamp = 1;
    envelope.method = method;
    envelope.data_json = data;
    std::string payload;
    docklink::encode_envelope(envelope, payload);
    // The tests await the dock's answer, whose absence also shows a refused publish.
    static_cast<void>(transport_->publish(docklink::topic(kind, sn), payload, docklink::port::Qos::kAtLeastOnce, id));
  }

  const bool answers_;
  bool stopping_ = false;
  std::vector<Seen> seen_;
  std::vector<Seen> to_answer_;
  std::atomic<std::uint64_t> next_id_{0};
  std::thread answerer_;
};

}  // namespace simtest
