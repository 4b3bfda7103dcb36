#include "client_core.hpp"

#include <array>
#include <utility>

#include "backoff.hpp"
#include "docklink/ids.hpp"
#include "runtime_access.hpp"

namespace docklink::detail {

ClientCore::ClientCore(ClientOptions options, port::Platform platform, port::Transport& transport, Runtime& runtime)
    : options_(std::move(options)),
      profile_(options_.profile ? ProfileBase::of(*options_.profile) : dji_profile_instance()),
      platform_(platform),
      transport_(transport),
      executor_(RuntimeAccess::executor(runtime)),
      connect_gate_(RuntimeAccess::connect_gate(runtime)),
      internal_(executor_.make_strand()),
      user_(executor_.make_strand()),
      offline_(options_.offline_queue),
      duplicates_(profile_.make_duplicate_filter(options_.duplicate_tid_capacity, options_.duplicate_tid_window_ms)),
      store_writer_(platform_.store) {}

ClientCore::~ClientCore() = default;

ClientCore::Lock::Lock(const ClientCore& core) : core_(core), store_ops_before_(0) {
  core_.mutex_.lock();
  store_ops_before_ = core_.store_writer_.queued();
}

// The analysis cannot follow a scoped lock's own release; what it guards is only touched before the unlock.
ClientCore::Lock::~Lock() DOCKLINK_NO_THREAD_SAFETY_ANALYSIS {
  std::vector<DeferredLog> lines;
  lines.swap(core_.deferred_logs_);
  const bool store_work = core_.store_writer_.queued() != store_ops_before_;
  core_.mutex_.unlock();
  for (const DeferredLog& line : lines) core_.platform_.log->write(line.level, "client", line.message);
  if (store_work) core_.flush_store();
}

bool ClientCore::format_log(port::LogLevel level, std::initializer_list<std::string_view> parts,
                            std::string& out) const {
  if (platform_.log == nullptr || !platform_.log->enabled(level)) return false;
  out = options_.gateway.sn;
  out.append(": ");
  for (std::string_view part : parts) out.append(part);
  return true;
}

void ClientCore::log(port::LogLevel level, std::initializer_list<std::string_view> parts) const {
  std::string message;
  if (format_log(level, parts, message)) platform_.log->write(level, "client", message);
}

void ClientCore::log_locked(port::LogLevel level, std::initializer_list<std::string_view> parts) const {
  std::string message;
  if (format_log(level, parts, message)) deferred_logs_.push_back(DeferredLog{level, std::move(message)});
}

void ClientCore::flush_store() const {
  for (const std::string& failure : store_writer_.flush()) log(port::LogLevel::kError, {"store ", failure});
}

std::string ClientCore::new_id() {
  std::string id(kUuidTextLength, '0');
  write_id(id.data());
  return id;
}

void ClientCore::write_id(char out[kUuidTextLength]) {
  std::array<std::uint8_t, 16> bytes{};
  if (!platform_.random->fill(bytes.data(), bytes.size())) {
    // Entropy failure must not stop the dock talking: fall back to a unique, if guessable, id.
    std::uint64_t counter = fallback_id_counter_.fetch_add(1) + static_cast<std::uint64_t>(now_ms());
    for (std::size_t i = 0; i < 8; ++i) bytes[i] = static_cast<std::uint8_t>(counter >> (8 * i));
  }
  format_uuid_v4(bytes, out);
}

bool ClientCore::owns_sn(std::string_view sn) const {
  if (sn == options_.gateway.sn) return true;
  for (const auto& device : options_.sub_devices) {
    if (device.sn == sn) return true;
  }
  return false;
}

void ClientCore::post_user(std::function<void()> task) { user_->post(std::move(task)); }

void ClientCore::run_user(std::function<void()> task) {
  if (user_->running_in_this_thread()) {
    task();
  } else {
    user_->post(std::move(task));
  }
}

void ClientCore::on_service(std::string method, ServiceHandler handler) {
  Lock lock(*this);
  services_[std::move(method)] = std::move(handler);
}

void ClientCore::on_property_set(std::string path, PropertySetter setter) {
  Lock lock(*this);
  setters_[std::move(path)] = std::move(setter);
}

void ClientCore::on_drc(std::function<void(const DrcMessage&)> handler) {
  Lock lock(*this);
  drc_handler_ = std::move(handler);
}

void ClientCore::on_connection_changed(std::function<void(bool, const Status&)> handler) {
  Lock lock(*this);
  connection_handler_ = std::move(handler);
}

void ClientCore::add_connection_listener(std::function<void(bool, const Status&)> listener) {
  Lock lock(*this);
  connection_listeners_.push_back(std::move(listener));
}

void ClientCore::on_dropped(std::function<void(const DroppedMessage&)> handler) {
  Lock lock(*this);
  dropped_handler_ = std::move(handler);
}

bool ClientCore::connected() const {
  Lock lock(*this);
  return connected_;
}

Counters ClientCore::counters() const {
  Lock lock(*this);
  Counters copy = counters_;
  copy.replies_pending = pending_.size();
  return copy;
}

Status ClientCore::start() {
  {
    Lock lock(*this);
    if (stopping_) return Status(StatusCode::kShutdown, "client was stopped");
    if (started_) return Status(StatusCode::kInvalidArgument, "client already started");
    started_ = true;
  }
  transport_.set_listener(this);
  restore_from_store();
  request_connect_turn();
  return Status::ok();
}

Status ClientCore::stop() {
  Status refused = check_stop_caller();
  if (!refused) return refused;
  std::map<std::string, Pending> abandoned;
  if (!begin_stop(abandoned)) return Status::ok();
  finish_stop();
  report_abandoned(abandoned);
  return Status::ok();
}

// Stopping waits for the strands to go idle; from one of them that would be waiting for itself forever.
Status ClientCore::check_stop_caller() const {
  if (!internal_->running_in_this_thread() && !user_->running_in_this_thread()) return Status::ok();
  log(port::LogLevel::kError, "stop() called from a handler or callback of this client; refused");
  return Status(StatusCode::kBusy, "stop() cannot be called from a handler or callback of the same client");
}

bool ClientCore::begin_stop(std::map<std::string, Pending>& abandoned) {
  std::vector<TimerId> timers;
  std::shared_ptr<ConnectTurn> turn;  // freed after the lock: passing it on runs another client's offer
  {
    Lock lock(*this);
    if (stopping_) return false;
    stopping_ = true;
    turn = std::move(connect_turn_);
    timers.push_back(reconnect_timer_);
    timers.push_back(busy_retry_timer_);
    for (auto& source : osd_sources_) timers.push_back(source.second->timer);
    for (auto& entry : pending_) timers.push_back(entry.second.timer);
    abandoned = std::move(pending_);
    pending_.clear();
  }
  for (TimerId timer : timers) {
    if (timer != 0) executor_.cancel(timer);
  }
  return true;
}

void ClientCore::finish_stop() {
  transport_.disconnect(std::chrono::milliseconds(1000));
  transport_.set_listener(nullptr);
  internal_->close_and_wait();
  user_->close_and_wait();
  Lock lock(*this);
  connected_ = false;
}

// Callers learn that their pending events/requests will not complete. Durable ones stay in the store.
void ClientCore::report_abandoned(std::map<std::string, Pending>& abandoned) {
  for (auto& entry : abandoned) {
    if (entry.second.done) entry.second.done(Reply{Status(StatusCode::kShutdown, "client stopped"), -1, {}});
  }
}

// ---- connection -------------------------------------------------------------------------------------------

void ClientCore::on_connection_changed(bool connected, const Status& status, bool /*session_present*/) {
  auto self = shared_from_this();
  internal_->post([self, connected, status] { self->handle_connection_change(connected, status); });
}

void ClientCore::on_subscribe_failed(std::string_view filter, const Status& status) {
  auto self = shared_from_this();
  internal_->post([self, failed = std::string(filter), status] { self->handle_subscribe_failure(failed, status); });
}

// Without its downlink subscriptions a dock is deaf to the cloud while looking online. So a refused one drops
// the connection: the application hears why (on_connection_changed), and the reconnect's backoff retries it
// without hammering a broker whose ACL says no.
void ClientCore::handle_subscribe_failure(const std::string& filter, const Status& status) {
  {
    Lock lock(*this);
    ++counters_.subscribe_failures;
    if (stopping_ || !connected_) return;
    drop_reason_ = Status(status.code(), concat({"subscription to ", filter, " failed: ", status.message()}));
  }
  log(port::LogLevel::kError, {"subscription to ", filter, " failed (", status.to_string(),
                               "); the cloud's messages on it cannot arrive, so reconnecting"});
  transport_.disconnect(std::chrono::milliseconds(1000));
}

void ClientCore::request_connect_turn() {
  {
    Lock lock(*this);
    awaiting_turn_ = true;
  }
  std::weak_ptr<ClientCore> weak = shared_from_this();
  connect_gate_.enter([weak, strand = internal_, gate = &connect_gate_] {
    auto self = weak.lock();
    if (!self) return false;
    auto turn = std::make_shared<ConnectTurn>(*gate);
    if (strand->post([self, turn] { self->attempt_connect(turn); })) return true;
    turn->disown();  // the client is stopping: the gate offers the turn to the next one
    return false;
  });
}

void ClientCore::on_reconnect_due() {
  {
    Lock lock(*this);
    reconnect_timer_ = 0;
    if (stopping_ || connected_) return;
  }
  request_connect_turn();
}

void ClientCore::attempt_connect(std::shared_ptr<ConnectTurn> turn) {
  {
    Lock lock(*this);
    awaiting_turn_ = false;
    if (stopping_ || connected_) return;  // the parameter outlives `lock`: the turn passes on after the unlock
    connect_turn_ = std::move(turn);
  }
  Status status = transport_.connect();
  if (!status) {
    log(port::LogLevel::kWarn, {"connect failed to start: ", status.to_string()});
    const double unit = random_unit();
    Lock lock(*this);
    ++counters_.connect_failures;
    turn = std::move(connect_turn_);  // the parameter outlives `lock`: the turn passes on after the unlock
    schedule_reconnect_locked(false, unit);
  }
}

double ClientCore::random_unit() {
  std::uint32_t random = 0;
  // A failed fill leaves 0: the jitter degrades to none, which only loses the spread of a fleet's retries.
  static_cast<void>(platform_.random->fill(reinterpret_cast<std::uint8_t*>(&random), sizeof random));
  return static_cast<double>(random) / 4294967296.0;
}

// Refused credentials or authorisation cannot be cured by retrying soon: they have their own, slower schedule
// (see defaults::kAuthRetryInitialMs). Everything else is the network's backoff.
void ClientCore::schedule_reconnect_locked(bool identity_refused, double unit) {
  if (stopping_ || !options_.auto_reconnect || reconnect_timer_ != 0 || awaiting_turn_) return;
  std::int64_t delay = 0;
  if (identity_refused) {
    counters_.reconnect_bound_ms = static_cast<std::uint64_t>(auth_retry_bound_ms(options_.backoff, auth_attempt_));
    delay = auth_retry_delay_ms(options_.backoff, auth_attempt_++, unit);
  } else {
    counters_.reconnect_bound_ms = static_cast<std::uint64_t>(backoff_bound_ms(options_.backoff, reconnect_attempt_));
    delay = backoff_delay_ms(options_.backoff, reconnect_attempt_++, unit);
  }
  std::weak_ptr<ClientCore> weak = shared_from_this();
  reconnect_timer_ = executor_.schedule(now_ms() + delay, internal_, [weak] {
    if (auto self = weak.lock()) self->on_reconnect_due();
  });
}

void ClientCore::note_connected_locked() {
  ++epoch_;
  ++counters_.connects;
  connected_since_ms_ = now_ms();
  ready_ = false;
  auth_attempt_ = 0;            // the broker accepted the credentials
  drop_reason_ = Status::ok();  // a reason whose disconnect was never reported must not label a later one
}

// Called when update_topo is acknowledged. The status_reply comes on a downlink subscription, which the broker
// processed (one SUBSCRIBE for all filters) before the update_topo; a refused filter drops the connection.
void ClientCore::note_ready_locked() {
  if (!connected_ || ready_) return;
  ready_ = true;
  ready_since_ms_ = now_ms();
  ++counters_.connections_ready;
}

// A connection that was working (set up, then stable for ready_stable_ms) and then ended was lost to the broker
// or the network, not to the dock: the next reconnect starts from the first delay. One that dies earlier is
// treated like a failed attempt, so a broker that accepts and drops at once is not hammered.
void ClientCore::note_disconnected_locked(bool was_connected, const Status& status) {
  // What the transport refused waits for the reconnect's drain now; a retry left armed would hold the next
  // connection's messages back until it fired.
  if (busy_retry_timer_ != 0) executor_.cancel(std::exchange(busy_retry_timer_, 0));
  busy_retry_delay_ms_ = defaults::kBusyRetryMs;
  if (!was_connected) {
    ++counters_.connect_failures;
    if (status.code() == StatusCode::kAuth) ++counters_.auth_refusals;
    return;
  }
  ++counters_.disconnects;
  const std::int64_t now = now_ms();
  const bool stable = ready_ && now - ready_since_ms_ >= options_.backoff.ready_stable_ms;
  if (stable || now - connected_since_ms_ >= options_.backoff.reset_after_ms) {
    reconnect_attempt_ = 0;
    ++counters_.backoff_resets;
  }
  ready_ = false;
}

// The counters and the reconnect timer change under one lock, so a snapshot of the counters always shows the
// delay bound chosen for the failure or loss it counts.
void ClientCore::handle_connection_change(bool connected, const Status& transport_status) {
  std::function<void(bool, const Status&)> handler;
  std::vector<std::function<void(bool, const Status&)>> listeners;
  bool was_connected;
  bool identity_refused = false;
  Status status = transport_status;
  const double unit = connected ? 0.0 : random_unit();
  std::shared_ptr<ConnectTurn> ended_turn;  // any answer ends the attempt's turn; passed on after the lock
  {
    Lock lock(*this);
    ended_turn = std::move(connect_turn_);
    if (ended_turn) ended_turn->set_outcome(connected ? TurnOutcome::kConnected : TurnOutcome::kFailed);
    if (stopping_) return;
    if (!connected && !drop_reason_.is_ok()) status = std::exchange(drop_reason_, Status::ok());
    was_connected = connected_;
    connected_ = connected;
    handler = connection_handler_;
    listeners = connection_listeners_;
    if (connected) {
      note_connected_locked();
    } else {
      identity_refused = !was_connected && status.code() == StatusCode::kAuth;
      note_disconnected_locked(was_connected, status);
      schedule_reconnect_locked(identity_refused, unit);
    }
  }
  if (connected) {
    log(port::LogLevel::kInfo, "connected");
    subscribe_all();
    send_topology_locked_out();
    send_clock_request();
    send_shadow_request();
    drain_waiting();
  } else if (identity_refused) {
    log(port::LogLevel::kError, {"the broker refused the dock's credentials or authorisation (", status.to_string(),
                                 "); retrying on the slower schedule for refusals"});
  } else {
    log(was_connected ? port::LogLevel::kWarn : port::LogLevel::kInfo,
        {was_connected ? "connection lost: " : "connect failed: ", status.to_string()});
  }
  if (connected || was_connected || !status.is_ok()) {
    if (handler) post_user([handler, connected, status] { handler(connected, status); });
    for (auto& listener : listeners) {
      post_user([listener = std::move(listener), connected, status] { listener(connected, status); });
    }
  }
}

void ClientCore::subscribe_all() {
  std::vector<std::string> filters;
  {
    Lock lock(*this);
    profile_.subscriptions(options_.gateway, options_.sub_devices, filters);
  }
  Status status = transport_.subscribe_many(filters, port::Qos::kAtLeastOnce);
  if (!status) log(port::LogLevel::kWarn, {"subscribe failed: ", status.to_string()});
}

}  // namespace docklink::detail
