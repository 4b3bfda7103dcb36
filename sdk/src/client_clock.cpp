// The cloud's clock (IoTDA $time_sync): asked after every connect, its offset from this device's wall clock kept
// for the application (Client::cloud_clock_offset()).
#include <rapidjson/document.h>

#include "client_core.hpp"
#include "inbound_item.hpp"

namespace docklink::detail {

namespace {

/// An integer member of `object`, or false.
bool int64_member(const rapidjson::Value& object, const char* name, std::int64_t& out) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsInt64()) return false;
  out = it->value.GetInt64();
  return true;
}

}  // namespace

void ClientCore::send_clock_request() {
  OutboundText request;
  const std::int64_t wall = platform_.clock->wall_ms();
  if (!profile_.encode_clock_request(wall, request)) return;  // this cloud has none (DJI: NTP from config)
  {
    Lock lock(*this);
    clock_request_wall_ms_ = wall;
    clock_request_monotonic_ms_ = now_ms();
  }
  Uplink uplink = make_uplink(UplinkClass::kEvent, TopicKind::kEvents, std::move(request.topic), {}, {},
                              std::move(request.payload));
  uplink.durable = false;  // its send time is only worth anything on this connection
  transmit(std::move(uplink));
}

void ClientCore::handle_clock_sync(const InboundItem& item) {
  std::int64_t device_send = 0, server_recv = 0, server_send = 0;
  const rapidjson::Value& data = *item.data;
  const bool complete = data.IsObject() && int64_member(data, "device_send_time", device_send) &&
                        int64_member(data, "server_recv_time", server_recv) &&
                        int64_member(data, "server_send_time", server_send);
  Lock lock(*this);
  if (!complete || device_send != clock_request_wall_ms_) {
    // Not ours (an earlier connection's, or never asked): its round trip cannot be known.
    ++counters_.unmatched_replies;
    log_locked(port::LogLevel::kWarn, {"ignored a time sync answer that does not answer the latest request"});
    return;
  }
  // The receive time on the wall clock of the request, measured on the monotonic clock: a wall clock set in
  // between (by NTP, say) does not bend the round trip.
  const std::int64_t device_recv = device_send + (now_ms() - clock_request_monotonic_ms_);
  const std::int64_t cloud_now = (server_recv + server_send + device_recv - device_send) / 2;
  cloud_clock_offset_ms_ = cloud_now - device_recv;
  has_cloud_clock_ = true;
  clock_request_wall_ms_ = -1;  // answered: a repeat of this answer is not a new sample
}

Result<std::int64_t> ClientCore::cloud_clock_offset() const {
  Lock lock(*this);
  if (!has_cloud_clock_) return Status(StatusCode::kNotFound, "no time sync with the cloud has completed");
  return cloud_clock_offset_ms_;
}

}  // namespace docklink::detail
