// Uplink path: publish when online, keep in the offline queue when not, track what needs a reply, resend on
// timeout and after reconnects.
#include <algorithm>
#include <set>

#include "client_core.hpp"
#include "docklink/envelope.hpp"
#include "uplink_record.hpp"

namespace docklink::detail {

UplinkFields ClientCore::uplink_fields(std::string_view tid, std::string_view bid, std::string_view method) const {
  UplinkFields fields;
  fields.tid = tid;
  fields.bid = bid;
  fields.method = method;
  fields.gateway = options_.gateway.sn;
  fields.wall_ms = platform_.clock->wall_ms();
  return fields;
}

void ClientCore::send_answer(TopicKind kind, std::string_view method, OutboundText answer) {
  transmit(make_uplink(UplinkClass::kReply, kind, std::move(answer.topic), {}, std::string(method),
                       std::move(answer.payload)));
}

Uplink ClientCore::make_uplink(UplinkClass cls, TopicKind kind, std::string topic, std::string tid, std::string method,
                               std::string payload) {
  Uplink uplink;
  {
    Lock lock(*this);
    uplink.seq = next_seq_++;
  }
  uplink.cls = cls;
  uplink.kind = kind;
  uplink.qos =
      (cls == UplinkClass::kOsd || cls == UplinkClass::kState) ? options_.telemetry_qos : options_.reliable_qos;
  uplink.topic = std::move(topic);
  uplink.payload = std::move(payload);
  uplink.method = std::move(method);
  uplink.tid = std::move(tid);
  uplink.created_ms = now_ms();
  uplink.durable = platform_.store != nullptr &&
                   (cls == UplinkClass::kReply || cls == UplinkClass::kEvent || cls == UplinkClass::kRequest);
  return uplink;
}

void ClientCore::transmit(Uplink uplink, bool retry, bool paced) {
  port::PublishId id = 0;
  // QoS > 0: the message moves into inflight_ (shared, never modified afterwards) instead of being copied; the
  // PUBACK may arrive and drop inflight_'s reference before publish() returns.
  std::shared_ptr<const Uplink> inflight;
  {
    Lock lock(*this);
    // While messages the transport refused wait for their retry, later ones wait behind them: order holds, and a
    // job's older progress never lands after its newer one. A reply timer's resend is the exception.
    if (!connected_ || (busy_retry_timer_ != 0 && !retry)) {
      hold_offline_locked(std::move(uplink));
      return;
    }
    if (!paced && !pace_locked(uplink)) return;  // telemetry waits for the cloud's pace, coalesced
    auto awaiting = uplink.tid.empty() ? pending_.end() : pending_.find(uplink.tid);
    if (awaiting != pending_.end()) {
      if (awaiting->second.sent_epoch == epoch_ && !retry) return;  // already out on this connection
      awaiting->second.sent_epoch = epoch_;  // claimed before publishing, so a concurrent drain skips it
    }
    if (uplink.qos != port::Qos::kAtMostOnce) {
      id = next_publish_id_++;
      inflight = std::make_shared<const Uplink>(std::move(uplink));
      inflight_.emplace(id, inflight);
    }
  }
  const Uplink& sent = inflight ? *inflight : uplink;
  Status status = transport_.publish(sent.topic, sent.payload, sent.qos, id);
  Lock lock(*this);
  if (status) {
    ++counters_.messages_out[static_cast<std::size_t>(sent.kind)];
    busy_retry_delay_ms_ = defaults::kBusyRetryMs;  // the transport has room: a later refusal retries soon
    if (id == 0 && sent.persisted && pending_.count(sent.tid) == 0) unpersist(sent);
    return;
  }
  if (id != 0) inflight_.erase(id);
  if (pending_.count(sent.tid) != 0) return;  // resent by its reply timer or after reconnect
  queue_offline_locked(inflight ? Uplink(*inflight) : std::move(uplink));
  arm_busy_retry_locked();
}

void ClientCore::arm_busy_retry_locked() {
  if (!connected_ || stopping_) return;  // offline: the reconnect's drain sends it
  ++counters_.busy_queued;
  if (busy_retry_timer_ != 0) return;
  const std::int64_t wait = busy_retry_delay_ms_;
  busy_retry_delay_ms_ = std::min(wait * 2, defaults::kBusyRetryMaxMs);
  std::weak_ptr<ClientCore> weak = shared_from_this();
  busy_retry_timer_ = executor_.schedule(now_ms() + wait, internal_, [weak] {
    if (auto self = weak.lock()) self->on_busy_retry_due();
  });
}

void ClientCore::on_busy_retry_due() {
  {
    Lock lock(*this);
    busy_retry_timer_ = 0;
    if (stopping_ || !connected_) return;  // the reconnect's drain sends what waits
  }
  drain_waiting();
}

void ClientCore::queue_offline_locked(Uplink uplink) {
  if (uplink.durable && !uplink.persisted) persist(uplink);
  std::vector<Uplink> dropped;
  std::vector<Uplink> replaced;
  ++counters_.offline_queued;
  offline_.push(std::move(uplink), dropped, &replaced);
  for (auto& old : replaced) {
    ++(old.cls == UplinkClass::kEvent ? counters_.job_progress_coalesced : counters_.osd_coalesced);
    if (old.awaits_reply) abandon_pending_locked(old.tid, StatusCode::kBusy, "replaced by the job's newer progress");
    if (old.persisted) unpersist(old);
  }
  report_dropped(dropped, "offline queue full");
}

void ClientCore::hold_offline_locked(Uplink uplink) {
  auto awaiting = uplink.tid.empty() ? pending_.end() : pending_.find(uplink.tid);
  if (awaiting != pending_.end()) {
    // Other reply-awaiting messages (requests with their deadline, the one topology) wait in pending_ alone.
    if (uplink.cls != UplinkClass::kEvent || awaiting->second.queued) return;
    awaiting->second.queued = true;
  }
  queue_offline_locked(std::move(uplink));
}

void ClientCore::abandon_pending_locked(const std::string& tid, StatusCode code, const char* why) {
  auto it = pending_.find(tid);
  if (it == pending_.end()) return;
  Pending entry = std::move(it->second);
  pending_.erase(it);
  if (entry.timer != 0) executor_.cancel(entry.timer);
  if (entry.done) {
    auto done = std::move(entry.done);
    Reply reply{Status(code, why), -1, {}};
    post_user([done, reply] { done(reply); });
  }
}

void ClientCore::on_publish_done(port::PublishId id, const Status& status) {
  {
    // The common case is settled here on the transport's thread (no user code, no store I/O): a delivered
    // message that needs no store clean-up is simply forgotten, without a hop to the internal strand.
    Lock lock(*this);
    auto it = inflight_.find(id);
    if (it == inflight_.end()) return;
    const Uplink& uplink = *it->second;
    if (status && !(uplink.persisted && pending_.count(uplink.tid) == 0)) {
      inflight_.erase(it);
      return;
    }
  }
  auto self = shared_from_this();
  internal_->post([self, id, status] {
    Lock lock(*self);
    auto it = self->inflight_.find(id);
    if (it == self->inflight_.end()) return;
    std::shared_ptr<const Uplink> uplink = std::move(it->second);
    self->inflight_.erase(it);
    bool awaiting_reply = self->pending_.count(uplink->tid) != 0;
    if (status) {
      if (!awaiting_reply && uplink->persisted) self->unpersist(*uplink);
      return;
    }
    if (awaiting_reply) return;  // resent after reconnect
    // Its reply arrived, so the cloud has it although the PUBACK was lost with the connection: nothing to resend.
    if (uplink->awaits_reply) return;
    self->queue_offline_locked(Uplink(*uplink));
    self->arm_busy_retry_locked();  // failed on a connection still up: no reconnect will drain it
  });
}

// Must be called with mutex_ held; the user callback is posted, not called.
void ClientCore::report_dropped(std::vector<Uplink>& dropped, const char* reason) {
  for (auto& uplink : dropped) {
    ++counters_.offline_dropped;
    if (uplink.persisted) unpersist(uplink);
    // A dropped event awaiting its reply is given up: its callback hears why.
    if (uplink.awaits_reply) abandon_pending_locked(uplink.tid, StatusCode::kBusy, reason);
    log_locked(port::LogLevel::kWarn, {"dropped ", to_string(uplink.kind), " ", uplink.method, ": ", reason});
    if (dropped_handler_) {
      auto handler = dropped_handler_;
      DroppedMessage message{uplink.kind, uplink.method, reason};
      user_->post([handler, message] { handler(message); });
    }
  }
  dropped.clear();
}

void ClientCore::track_reply(Uplink uplink, ReplyCallback done, int max_retries, std::int64_t deadline_ms) {
  std::string tid = uplink.tid;
  {
    Lock lock(*this);
    if (stopping_) return;
    uplink.awaits_reply = true;
    if (uplink.durable) persist(uplink);  // must survive a crash until its reply arrives
    Pending& entry = pending_[tid];
    entry.uplink = uplink;
    entry.done = std::move(done);
    entry.max_retries = max_retries;
    entry.deadline_ms = deadline_ms;
    entry.attempts = 1;
  }
  arm_reply_timer(tid);
  transmit(std::move(uplink));
}

void ClientCore::arm_reply_timer(const std::string& tid) {
  Lock lock(*this);
  auto it = pending_.find(tid);
  if (it == pending_.end() || stopping_) return;
  std::int64_t wait = options_.reply_timeout_ms;
  if (it->second.max_retries < 0) {  // unlimited (topology): back off, doubling up to the limit
    const std::int64_t limit = std::max(options_.topology_resend_max_ms, options_.reply_timeout_ms);
    for (int sent = 1; sent < it->second.attempts && wait < limit; ++sent) wait *= 2;
    wait = std::min(wait, limit);
  }
  std::int64_t due = now_ms() + wait;
  if (it->second.deadline_ms != 0) due = std::min(due, it->second.deadline_ms);
  if (it->second.timer != 0) executor_.cancel(it->second.timer);
  std::weak_ptr<ClientCore> weak = shared_from_this();
  it->second.timer = executor_.schedule(due, internal_, [weak, tid] {
    if (auto self = weak.lock()) self->on_reply_timeout(tid);
  });
}

void ClientCore::on_reply_timeout(const std::string& tid) {
  Uplink resend;
  bool give_up = false;
  {
    Lock lock(*this);
    auto it = pending_.find(tid);
    if (it == pending_.end()) return;
    Pending& entry = it->second;
    entry.timer = 0;
    bool past_deadline = entry.deadline_ms != 0 && now_ms() >= entry.deadline_ms;
    bool out_of_retries = entry.max_retries >= 0 && entry.attempts > entry.max_retries;
    if (past_deadline || (connected_ && out_of_retries)) {
      give_up = true;
    } else if (connected_ && entry.sent_epoch == epoch_) {
      ++entry.attempts;
      ++counters_.retries;
      resend = entry.uplink;
    } else if (!connected_ && !entry.queued) {
      hold_offline_locked(Uplink(entry.uplink));  // sent before the connection went: now bounded like the rest
    }
    // Offline, or not yet out on this connection: nothing is spent; the post-connect drain sends it, in order.
  }
  if (give_up) {
    {
      Lock lock(*this);
      ++counters_.reply_timeouts;
    }
    log(port::LogLevel::kWarn, {"no reply for tid ", tid});
    complete_pending(tid, Reply{Status(StatusCode::kTimeout, "no reply within the deadline and retries"), -1, {}});
    return;
  }
  arm_reply_timer(tid);
  if (!resend.tid.empty()) transmit(std::move(resend), /*retry=*/true);
}

void ClientCore::complete_pending(const std::string& tid, Reply reply) {
  Pending entry;
  {
    Lock lock(*this);
    auto it = pending_.find(tid);
    if (it == pending_.end()) return;
    entry = std::move(it->second);
    pending_.erase(it);
    if (tid == topology_tid_) {
      topology_tid_.clear();
      if (reply.status.is_ok()) note_ready_locked();  // the cloud acknowledged update_topo
    }
    if (entry.uplink.persisted) unpersist(entry.uplink);
  }
  if (entry.timer != 0) executor_.cancel(entry.timer);
  if (entry.done) {
    auto done = std::move(entry.done);
    post_user([done, reply] { done(reply); });
  }
}

std::vector<Uplink> ClientCore::take_drain_locked(std::vector<std::string>& rearm) {
  std::vector<Uplink> queued = offline_.take_all();
  std::set<std::string> queued_tids;
  for (const auto& uplink : queued) {
    if (!uplink.awaits_reply) continue;
    queued_tids.insert(uplink.tid);
    auto entry = pending_.find(uplink.tid);
    if (entry != pending_.end()) entry->second.queued = false;
  }
  std::vector<Uplink> resent;
  for (auto& entry : pending_) {
    // Skip what already went out on this connection (the topology just sent, events made meanwhile).
    if (entry.second.sent_epoch == epoch_) continue;
    rearm.push_back(entry.first);
    if (queued_tids.count(entry.first) == 0) resent.push_back(entry.second.uplink);
  }
  // Drain order: by class, then by creation. The offline queue comes in that order already and the pending
  // messages (one per tid, so no two share a seq) need only a plain sort; merging them, offline first on a tie,
  // orders everything as one stable sort would, without std::stable_sort's 2.5 KB of template code.
  const auto earlier = [](const Uplink& a, const Uplink& b) { return a.cls != b.cls ? a.cls < b.cls : a.seq < b.seq; };
  std::sort(resent.begin(), resent.end(), earlier);
  std::vector<Uplink> ordered;
  ordered.reserve(queued.size() + resent.size());
  auto next_queued = queued.begin();
  auto next_resent = resent.begin();
  while (next_queued != queued.end() || next_resent != resent.end()) {
    const bool take_queued =
        next_resent == resent.end() || (next_queued != queued.end() && !earlier(*next_resent, *next_queued));
    ordered.push_back(std::move(take_queued ? *next_queued++ : *next_resent++));
  }
  return ordered;
}

void ClientCore::drain_waiting() {
  std::vector<std::string> rearm;
  std::vector<Uplink> ordered;
  {
    Lock lock(*this);
    ordered = take_drain_locked(rearm);
  }
  std::int64_t now = now_ms();
  for (auto& uplink : ordered) {
    // The age limit spares only requests (they have their own deadline) and the topology (always needed).
    const bool ageless = uplink.awaits_reply && uplink.cls != UplinkClass::kEvent;
    if (now - uplink.created_ms > options_.offline_queue.max_age_ms && !ageless) {
      Lock lock(*this);
      std::vector<Uplink> dropped{std::move(uplink)};
      report_dropped(dropped, "too old");
      continue;
    }
    transmit(std::move(uplink));
  }
  for (const auto& tid : rearm) arm_reply_timer(tid);
}

// ---- durable store ----------------------------------------------------------------------------------------

void ClientCore::persist(Uplink& uplink) {
  // The record keeps the wall-clock creation time: the monotonic clock does not survive a reboot.
  uplink.created_wall_ms = platform_.clock->wall_ms() - (now_ms() - uplink.created_ms);
  store_writer_.put(uplink_store_key(options_.gateway.sn, uplink.seq), encode_uplink_record(uplink));
  uplink.persisted = true;  // a failed put is logged by the flush; its later remove is then a harmless no-op
}

void ClientCore::unpersist(const Uplink& uplink) {
  if (platform_.store == nullptr) return;
  store_writer_.remove(uplink_store_key(options_.gateway.sn, uplink.seq));
}

std::uint64_t ClientCore::first_free_seq() const {
  if (platform_.store == nullptr) return 1;
  const std::string prefix = uplink_store_prefix(options_.gateway.sn);
  auto keys = platform_.store->keys(prefix);
  if (!keys) return 1;  // restore_from_store() reports it
  // Keys end in the 20-digit seq, so the last well-formed key holds the largest.
  for (auto key = keys.value().rbegin(); key != keys.value().rend(); ++key) {
    std::uint64_t seq = 0;
    std::string_view digits = std::string_view(*key).substr(prefix.size());
    if (digits.size() == 20 && parse_decimal(digits, UINT64_MAX - 1, seq)) return seq + 1;
  }
  return 1;
}

bool ClientCore::is_own_record_locked(const std::string& key, const Uplink& record) const {
  if (key != uplink_store_key(options_.gateway.sn, record.seq)) return false;
  if (profile_.is_topic_of(record.topic, record.kind, options_.gateway.sn)) return true;
  for (const auto& device : options_.sub_devices) {
    if (profile_.is_topic_of(record.topic, record.kind, device.sn)) return true;
  }
  return false;
}

void ClientCore::restore_from_store() {
  if (platform_.store == nullptr) return;
  auto keys = platform_.store->keys(uplink_store_prefix(options_.gateway.sn));
  if (!keys) {
    log(port::LogLevel::kError, {"store keys failed: ", keys.status().to_string()});
    return;
  }
  std::size_t restored = 0;
  for (const auto& key : keys.value()) {
    auto value = platform_.store->get(key);
    if (!value) continue;
    auto uplink = decode_uplink_record(value.value());
    if (uplink && uplink.value().seq >= first_seq_) continue;  // this run's, published before start(): queued
    bool own;
    {
      Lock lock(*this);
      own = uplink && is_own_record_locked(key, uplink.value());
      if (!own) ++counters_.store_rejected;
    }
    if (!own) {
      log(port::LogLevel::kWarn, {"discarding a stored message that is unreadable or not this gateway's: ", key});
      if (Status removed = platform_.store->remove(key); !removed) {
        log(port::LogLevel::kWarn, {"could not remove it: ", removed.to_string()});
      }
      continue;
    }
    if (restore_record(std::move(uplink).value())) ++restored;
  }
  if (restored > 0) log(port::LogLevel::kInfo, {"restored ", std::to_string(restored), " queued messages"});
}

bool ClientCore::restore_record(Uplink record) {
  // A restored message keeps its age, so the age limit counts the time the process was down.
  const std::int64_t wall_age =
      record.created_wall_ms > 0 ? std::max<std::int64_t>(0, platform_.clock->wall_ms() - record.created_wall_ms) : 0;
  record.created_ms = now_ms() - wall_age;
  record.durable = true;
  record.persisted = true;
  Lock lock(*this);
  next_seq_ = std::max(next_seq_, record.seq + 1);
  if (wall_age > options_.offline_queue.max_age_ms && record.cls != UplinkClass::kTopology) {
    std::vector<Uplink> dropped{std::move(record)};
    report_dropped(dropped, "too old");
    return false;
  }
  if (!record.awaits_reply) {
    queue_offline_locked(std::move(record));
    return true;
  }
  // The callback died with the old process; the message itself is still delivered until acknowledged.
  Pending& entry = pending_[record.tid];
  bool is_request = record.cls == UplinkClass::kRequest;
  entry.uplink = record;
  entry.max_retries = is_request ? -1 : options_.max_retries;
  entry.deadline_ms = is_request ? now_ms() + options_.request_timeout_ms : 0;
  entry.attempts = 1;
  if (record.cls == UplinkClass::kEvent) {
    entry.queued = true;  // bounded by the offline queue like any event held while offline
    queue_offline_locked(std::move(record));
  }
  return true;
}

// ---- public uplinks ---------------------------------------------------------------------------------------

Status ClientCore::publish_event(std::string_view method, std::string_view data_json, EventOptions options,
                                 ReplyCallback done) {
  return send_event(method, data_json, options, std::move(done), {});
}

Status ClientCore::publish_job_progress(const JobState& job, std::string_view data_json, bool terminal) {
  EventOptions options;
  options.need_reply = options_.job_events_need_reply;
  options.bid = job.bid;
  // While offline only a job's latest progress matters to the cloud; every terminal state is kept.
  return send_event(job.method, data_json, options, {}, terminal ? std::string() : "job:" + job.bid);
}

Status ClientCore::send_event(std::string_view method, std::string_view data_json, const EventOptions& options,
                              ReplyCallback done, std::string coalesce_key) {
  if (method.empty()) return Status(StatusCode::kInvalidArgument, "event method is empty");
  std::string tid = new_id();
  std::string bid = options.bid.empty() ? new_id() : options.bid;
  OutboundText text;
  Status encoded = profile_.encode_event(uplink_fields(tid, bid, method), options.need_reply ? 1 : 0, data_json, text);
  if (!encoded) return encoded;
  Uplink uplink = make_uplink(UplinkClass::kEvent, TopicKind::kEvents, std::move(text.topic), std::move(tid),
                              std::string(method), std::move(text.payload));
  uplink.coalesce_key = std::move(coalesce_key);
  if (options.need_reply) {
    track_reply(std::move(uplink), std::move(done), options_.max_retries, 0);
    return Status::ok();
  }
  transmit(std::move(uplink));
  if (done) post_user([done] { done(Reply{Status::ok(), 0, {}}); });
  return Status::ok();
}

Status ClientCore::send_request(std::string_view method, std::string_view data_json, ReplyCallback done,
                                std::int64_t timeout_ms) {
  if (method.empty()) return Status(StatusCode::kInvalidArgument, "request method is empty");
  if (timeout_ms <= 0) timeout_ms = options_.request_timeout_ms;
  std::string tid = new_id();
  std::string bid = new_id();
  OutboundText text;
  Status encoded = profile_.encode_event(uplink_fields(tid, bid, method), -1, data_json, text);
  if (!encoded) return encoded;
  Uplink uplink = make_uplink(UplinkClass::kRequest, TopicKind::kRequests, std::move(text.topic), std::move(tid),
                              std::string(method), std::move(text.payload));
  // Requests are resent on each reply timeout until their own deadline.
  track_reply(std::move(uplink), std::move(done), -1, now_ms() + timeout_ms);
  return Status::ok();
}

Status ClientCore::publish_drc(std::string_view method, std::string_view data_json, std::int64_t seq) {
  if (!profile_.supports_drc()) {
    return Status(StatusCode::kInvalidArgument, concat({"the ", profile_.name(), " cloud has no DRC link"}));
  }
  OutboundEnvelope envelope;
  std::string tid = new_id();
  std::string bid = new_id();
  envelope.tid = tid;
  envelope.bid = bid;
  envelope.timestamp = platform_.clock->wall_ms();
  envelope.method = method;
  envelope.has_seq = seq >= 0;
  envelope.seq = seq;
  envelope.data_json = data_json;
  std::string payload;
  encode_envelope(envelope, payload);
  {
    Lock lock(*this);
    if (!connected_) return Status(StatusCode::kNotConnected, "DRC messages are not queued while offline");
  }
  Status status = transport_.publish(topic(TopicKind::kDrcUp, options_.gateway.sn), payload, port::Qos::kAtMostOnce, 0);
  if (status) {
    Lock lock(*this);
    ++counters_.messages_out[static_cast<std::size_t>(TopicKind::kDrcUp)];
  }
  return status;
}

}  // namespace docklink::detail
