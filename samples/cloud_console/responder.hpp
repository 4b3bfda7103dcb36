// The cloud-side answers a dock expects (docs/protocol.md#replies, #requests, #binding): status_reply to update_topo,
// events_reply and state_reply when asked, and requests_reply for config, organisation binding, storage and flight
// resources.
#pragma once

#include <cstdint>
#include <mutex>
#include <set>
#include <string>

#include "cloud_link.hpp"
#include "object_store.hpp"

namespace docklink::cloud {

/// What the responder should answer.
struct ResponderOptions {
  bool topology = true;  ///< Answer update_topo.
  bool events = true;    ///< Answer events (and state) with need_reply.
  bool requests = true;  ///< Answer requests.
  bool verbose = false;  ///< Print one line per answer.
  ObjectStore store;     ///< What storage_config_get hands out; none: it is answered with an error.
};

/// Answers uplinks on a CloudLink. Thread-safe.
class Responder {
 public:
  /// `link` must outlive the responder.
  Responder(CloudLink& link, ResponderOptions options) : link_(link), options_(options) {}

  /// Answers `uplink` if it asks for an answer this responder gives; true when it answered.
  bool handle(const Uplink& uplink);
  /// Messages answered so far.
  std::uint64_t answered() const;

 private:
  std::string answer_request(const Uplink& uplink);
  std::string bind_status_reply(const rapidjson::Value& data);
  std::string organization_bind_reply(const rapidjson::Value& data);

  CloudLink& link_;
  ResponderOptions options_;
  mutable std::mutex mutex_;
  std::set<std::string> bound_sns_;  ///< Devices bound to the organisation by airport_organization_bind.
  std::uint64_t answered_ = 0;
};

}  // namespace docklink::cloud
