// Telemetry (osd/state, coalesced while offline), the periodic OSD scheduler, and topology (update_topo).
#include <rapidjson/document.h>

#include <algorithm>

#include "client_core.hpp"
#include "docklink/topics.hpp"
#include "inbound_item.hpp"
#include "json_parse.hpp"

namespace docklink::detail {

namespace {

// A state message carries one logical group; its coalescing key is the SN plus its sorted top-level keys.
std::string state_group_key(std::string_view sn, std::string_view data_json) {
  JsonDocument document;
  parse_json(data_json, document);
  std::vector<std::string> keys;
  if (document.IsObject()) {
    for (auto it = document.MemberBegin(); it != document.MemberEnd(); ++it) keys.emplace_back(it->name.GetString());
  }
  std::sort(keys.begin(), keys.end());
  std::string key = concat({"state/", sn});
  for (const auto& name : keys) key.append("/").append(name);
  return key;
}

}  // namespace

// The steady path (online, QoS 0) allocates nothing: ids on the stack, topic and wire text in per-thread buffers
// whose capacity is reused, handed straight to the transport (which copies). An Uplink (owned strings, the
// coalescing key) is built only for a message that has to wait: offline, QoS 1 telemetry, or refused.
Status ClientCore::publish_telemetry(TopicKind kind, std::string_view device_sn, std::string_view data_json) {
  bool online = false;
  {
    Lock lock(*this);
    if (!owns_sn(device_sn)) return Status(StatusCode::kInvalidArgument, "SN is neither the gateway nor a sub-device");
    online = connected_ && busy_retry_timer_ == 0;  // else it waits behind refused messages (transmit)
  }
  char tid[kUuidTextLength];
  char bid[kUuidTextLength];
  write_id(tid);
  write_id(bid);
  thread_local std::string wire;
  thread_local std::string topic_text;
  const UplinkFields fields =
      uplink_fields(std::string_view(tid, kUuidTextLength), std::string_view(bid, kUuidTextLength), {});
  Status encoded = profile_.encode_telemetry(kind, device_sn, fields, data_json, topic_text, wire);
  if (!encoded) return encoded;
  if (keep_reported_) remember_reported(device_sn, data_json);
  if (online && options_.telemetry_qos == port::Qos::kAtMostOnce && take_telemetry_token()) {
    if (transport_.publish(topic_text, wire, port::Qos::kAtMostOnce, 0)) {
      Lock lock(*this);
      ++counters_.messages_out[static_cast<std::size_t>(kind)];
      return Status::ok();
    }
  }
  const bool osd = kind == TopicKind::kOsd;
  Uplink uplink = make_uplink(osd ? UplinkClass::kOsd : UplinkClass::kState, kind, topic_text, {}, {}, wire);
  uplink.coalesce_key = osd ? concat({"osd/", device_sn}) : state_group_key(device_sn, data_json);
  transmit(std::move(uplink));
  return Status::ok();
}

void ClientCore::remember_reported(std::string_view device_sn, std::string_view data_json) {
  JsonDocument document;
  parse_json(data_json, document);
  if (!document.IsObject()) return;
  std::vector<std::pair<std::string, std::string>> values;
  for (auto it = document.MemberBegin(); it != document.MemberEnd(); ++it) {
    std::string text;
    if (json_text(it->value, text)) values.emplace_back(it->name.GetString(), std::move(text));
  }
  Lock lock(*this);
  auto& device = reported_[std::string(device_sn)];
  for (auto& value : values) device[value.first] = std::move(value.second);
}

void ClientCore::handle_property_get(const InboundItem& item) {
  if (item.tid.empty()) return;  // nothing could match the answer
  if (answer_repeat(item)) return;
  std::string properties;
  {
    Lock lock(*this);
    auto device = reported_.find(item.sn);
    if (device != reported_.end()) {
      for (const auto& value : device->second) {
        properties.append(properties.empty() ? "{" : ",").append(quoted_json(value.first)).append(":");
        properties.append(value.second);
      }
    }
  }
  if (!properties.empty()) properties.append("}");
  OutboundText answer;
  profile_.encode_property_get_reply(item, properties, answer);
  {
    Lock lock(*this);
    duplicates_->answered(item, answer.payload);
  }
  send_answer(TopicKind::kPropertySetReply, {}, std::move(answer));
}

Status ClientCore::set_osd_source(std::string device_sn, std::int64_t period_ms,
                                  std::function<void(std::string&)> fill) {
  if (period_ms <= 0 || !fill) return Status(StatusCode::kInvalidArgument, "OSD period must be positive");
  auto source = std::make_shared<OsdSource>();
  source->device_sn = device_sn;
  source->period_ms = period_ms;
  source->fill = std::move(fill);
  // A random phase within the first period: docks of a fleet started together would otherwise all publish in
  // the same millisecond every period, and the burst shows up as jitter and broker load.
  std::uint32_t random = 0;
  // A failed fill leaves phase 0: only the spread is lost.
  static_cast<void>(platform_.random->fill(reinterpret_cast<std::uint8_t*>(&random), sizeof random));
  const std::int64_t due = now_ms() + 1 + static_cast<std::int64_t>(random % static_cast<std::uint64_t>(period_ms));
  Lock lock(*this);
  if (!owns_sn(device_sn)) return Status(StatusCode::kInvalidArgument, "SN is neither the gateway nor a sub-device");
  auto existing = osd_sources_.find(device_sn);
  if (existing != osd_sources_.end()) executor_.cancel(existing->second->timer);
  schedule_osd_run_locked(source, due);
  osd_sources_[device_sn] = source;
  return Status::ok();
}

void ClientCore::schedule_osd_run_locked(const std::shared_ptr<OsdSource>& source, std::int64_t due_ms) {
  std::weak_ptr<ClientCore> weak = shared_from_this();
  std::weak_ptr<OsdSource> weak_source = source;
  source->timer = executor_.schedule(due_ms, user_, [weak, weak_source, due_ms] {
    if (auto self = weak.lock()) self->run_osd_source(weak_source, due_ms);
  });
}

void ClientCore::remove_osd_source(std::string_view device_sn) {
  std::shared_ptr<OsdSource> source;
  {
    Lock lock(*this);
    auto it = osd_sources_.find(device_sn);
    if (it == osd_sources_.end()) return;
    source = std::move(it->second);
    osd_sources_.erase(it);
    executor_.cancel(source->timer);
    // Fills run on the user strand: called from there (the fill itself, a handler) none can be running now, and
    // waiting would be waiting for ourselves.
    if (!source->running || user_->running_in_this_thread()) return;
  }
  log(port::LogLevel::kDebug, {"remove_osd_source ", device_sn, ": waiting for its running fill"});
  wait_until_osd_idle(*source);
}

// A plain unique_lock, not Lock: the wait releases and retakes the mutex, and nothing is queued for release.
void ClientCore::wait_until_osd_idle(const OsdSource& source) DOCKLINK_NO_THREAD_SAFETY_ANALYSIS {
  std::unique_lock<GuardedMutex> lock(mutex_);
  osd_idle_.wait(lock, [&source] { return !source.running; });
}

bool ClientCore::osd_source_registered_locked(const std::shared_ptr<OsdSource>& source) const {
  auto it = osd_sources_.find(source->device_sn);
  return it != osd_sources_.end() && it->second == source;
}

// Runs on the user strand (fill is user code). `running` spans the fill and its publish, so that once
// remove_osd_source() returned nothing of the source runs or goes out any more.
void ClientCore::run_osd_source(const std::weak_ptr<OsdSource>& weak_source, std::int64_t due_ms) {
  std::shared_ptr<OsdSource> source = weak_source.lock();
  if (!source) return;
  {
    Lock lock(*this);
    // A run posted before its source was removed or replaced finds another (or no) source registered.
    if (stopping_ || !osd_source_registered_locked(source)) return;
    // Next deadline from the previous one, not from now, so the period does not drift.
    std::int64_t next = due_ms + source->period_ms;
    if (next <= now_ms()) next = now_ms() + source->period_ms;  // fell far behind: skip, do not burst
    schedule_osd_run_locked(source, next);
    source->running = true;
  }
  source->buffer.clear();
  source->fill(source->buffer);
  bool still_registered;
  {
    Lock lock(*this);
    still_registered = osd_source_registered_locked(source);  // the fill may have removed itself
  }
  if (still_registered && !source->buffer.empty()) {
    // It fails only for an SN no longer served (set_sub_devices dropped it): then there is nothing to publish.
    static_cast<void>(publish_telemetry(TopicKind::kOsd, source->device_sn, source->buffer));
  }
  {
    Lock lock(*this);
    source->running = false;
  }
  osd_idle_.notify_all();
}

Status ClientCore::set_sub_devices(std::vector<DeviceInfo> sub_devices) {
  for (const auto& device : sub_devices) {
    Status status = validate_sn(device.sn);
    if (!status) return status;
  }
  bool online;
  {
    Lock lock(*this);
    note_departed_locked(sub_devices);
    options_.sub_devices = std::move(sub_devices);
    online = connected_;
  }
  if (online) {
    subscribe_all();
    send_topology_locked_out();
  }
  return Status::ok();
}

void ClientCore::note_departed_locked(const std::vector<DeviceInfo>& next) {
  auto named_in = [](const std::vector<DeviceInfo>& devices, const std::string& sn) {
    return std::any_of(devices.begin(), devices.end(), [&](const DeviceInfo& device) { return device.sn == sn; });
  };
  // Back again: no longer departed. Leaving now: departed, the oldest forgotten beyond the bound.
  departed_.erase(std::remove_if(departed_.begin(), departed_.end(),
                                 [&](const DeviceInfo& device) { return named_in(next, device.sn); }),
                  departed_.end());
  for (const DeviceInfo& device : options_.sub_devices) {
    if (!named_in(next, device.sn) && !named_in(departed_, device.sn)) departed_.push_back(device);
  }
  if (departed_.size() > defaults::kMaxDepartedSubDevices) {
    departed_.erase(departed_.begin(), departed_.begin() + static_cast<std::ptrdiff_t>(
                                                               departed_.size() - defaults::kMaxDepartedSubDevices));
  }
}

// Sends update_topo for the current topology, replacing any unacknowledged one; retried until acknowledged.
void ClientCore::send_topology_locked_out() {
  DeviceInfo gateway;
  std::vector<DeviceInfo> sub_devices;
  std::vector<DeviceInfo> departed;
  std::string old_tid;
  {
    Lock lock(*this);
    gateway = options_.gateway;
    sub_devices = options_.sub_devices;
    departed = departed_;
    old_tid = topology_tid_;
  }
  if (!old_tid.empty()) complete_pending(old_tid, Reply{Status(StatusCode::kShutdown, "superseded"), -1, {}});
  std::string tid = new_id();
  std::string bid = new_id();
  OutboundText text;
  profile_.encode_topology(uplink_fields(tid, bid, "update_topo"), gateway, sub_devices, departed, text);
  Uplink uplink = make_uplink(UplinkClass::kTopology, TopicKind::kStatus, std::move(text.topic), tid, "update_topo",
                              std::move(text.payload));
  uplink.durable = false;  // rebuilt from the current topology after every connect
  {
    Lock lock(*this);
    topology_tid_ = tid;
  }
  track_reply(std::move(uplink), {}, -1, 0);
}

}  // namespace docklink::detail
