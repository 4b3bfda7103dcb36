// ClientCore: the state and logic behind docklink::Client. Split over client_*.cpp files by concern:
// connection (connect, backoff, resubscribe, topology), inbound (decode and route), services (handlers, jobs,
// duplicate tids), uplink (publish, pending replies, offline queue, durable store), telemetry (osd/state).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "concat.hpp"
#include "connect_gate.hpp"
#include "docklink/client.hpp"
#include "docklink/ids.hpp"
#include "executor.hpp"
#include "guarded_mutex.hpp"
#include "inbound_budget.hpp"
#include "offline_queue.hpp"
#include "profile_base.hpp"
#include "store_writer.hpp"
#include "thread_annotations.hpp"
#include "tid_cache.hpp"
#include "uplink.hpp"

namespace docklink::detail {

struct PropertySetPlan;  // property_set_plan.hpp

/// Shared state of a job handle.
struct JobState {
  std::weak_ptr<ClientCore> core;
  std::string method;
  std::string bid;
  std::atomic<bool> finished{false};
};

/// A message waiting for its *_reply.
struct Pending {
  Uplink uplink;
  ReplyCallback done;
  int attempts = 0;              ///< Transmissions so far.
  int max_retries = 0;           ///< Resends allowed; negative: unlimited (topology).
  std::int64_t deadline_ms = 0;  ///< Requests: overall deadline; 0 for others.
  TimerId timer = 0;
  std::uint64_t sent_epoch = 0;  ///< Connection it was last published on; a reconnect resends older ones only.
  /// An event also held in the offline queue (while offline), whose limits and coalescing then bound it.
  bool queued = false;
};

class ClientCore : public port::TransportListener, public std::enable_shared_from_this<ClientCore> {
 public:
  ClientCore(ClientOptions options, port::Platform platform, port::Transport& transport, Runtime& runtime);
  ~ClientCore() override;

  Status start();
  /// See Client::stop(); kBusy when called from this client's own strands. The three steps below, in order.
  Status stop();
  /// kBusy (logged) when the calling thread runs one of this client's strands, whose stop would wait for itself.
  Status check_stop_caller() const;
  /// Marks the client stopping, cancels its timers and moves its pending replies into `abandoned`. Does not block.
  /// False when it was stopping already (another stop owns the rest).
  bool begin_stop(std::map<std::string, Pending>& abandoned);
  /// Disconnects the transport (blocks for the clean DISCONNECT) and waits for the strands to go idle.
  void finish_stop();
  /// Gives the callbacks of `abandoned` kShutdown, on the calling thread.
  static void report_abandoned(std::map<std::string, Pending>& abandoned);

  // Registration (any thread).
  void on_service(std::string method, ServiceHandler handler);
  void on_property_set(std::string path, PropertySetter setter);
  void on_drc(std::function<void(const DrcMessage&)> handler);
  void on_connection_changed(std::function<void(bool, const Status&)> handler);
  void add_connection_listener(std::function<void(bool, const Status&)> listener);
  void on_dropped(std::function<void(const DroppedMessage&)> handler);
  void on_system_event(std::string service_id, SystemEventHandler handler);

  // Uplinks (any thread).
  Status publish_event(std::string_view method, std::string_view data_json, EventOptions options, ReplyCallback done);
  Status send_request(std::string_view method, std::string_view data_json, ReplyCallback done, std::int64_t timeout_ms);
  Status publish_telemetry(TopicKind kind, std::string_view device_sn, std::string_view data_json);
  Status set_osd_source(std::string device_sn, std::int64_t period_ms, std::function<void(std::string&)> fill);
  void remove_osd_source(std::string_view device_sn);
  Status publish_drc(std::string_view method, std::string_view data_json, std::int64_t seq);
  Status set_sub_devices(std::vector<DeviceInfo> sub_devices);
  /// See Client::publish_system_event().
  Status publish_system_event(std::string_view device_sn, std::string_view service_id, std::string_view event_type,
                              std::string_view paras_json, std::string_view event_id);
  Status publish_job_event(JobState& job, const JobProgress& progress);
  /// Publishes a job's progress event; while offline a non-terminal one replaces the job's previous one.
  Status publish_job_progress(const JobState& job, std::string_view data_json, bool terminal);

  bool connected() const;
  Counters counters() const;
  /// See Client::cloud_clock_offset().
  Result<std::int64_t> cloud_clock_offset() const;
  const std::string& sn() const { return options_.gateway.sn; }

  // TransportListener (transport thread: copy and post only).
  void on_message(std::string_view topic, std::string_view payload) override;
  void on_connection_changed(bool connected, const Status& status, bool session_present) override;
  void on_publish_done(port::PublishId id, const Status& status) override;
  void on_subscribe_failed(std::string_view filter, const Status& status) override;

 private:
  /// The client lock, held for a scope. On release it writes, outside the lock, the log lines and store
  /// operations its scope queued (log_locked(), persist(), unpersist()): no port I/O runs under the lock.
  class DOCKLINK_SCOPED_CAPABILITY Lock {
   public:
    explicit Lock(const ClientCore& core) DOCKLINK_ACQUIRE(core.mutex_);
    ~Lock() DOCKLINK_RELEASE();
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;

   private:
    const ClientCore& core_;
    std::uint64_t store_ops_before_;
  };
  struct DeferredLog {
    port::LogLevel level;
    std::string message;
  };

  // connection
  void handle_connection_change(bool connected, const Status& status);
  void handle_subscribe_failure(const std::string& filter, const Status& status);
  /// Queues for a turn of the Runtime's ConnectGate; the turn runs attempt_connect on the internal strand.
  void request_connect_turn();
  /// The reconnect timer fired: asks for a turn unless stopping or connected meanwhile.
  void on_reconnect_due();
  /// Starts a connect holding `turn`, which ends with the transport's answer (handle_connection_change).
  void attempt_connect(std::shared_ptr<ConnectTurn> turn);
  /// Arms the reconnect timer: the network backoff, or the slower schedule after refused credentials. `unit` in
  /// [0, 1) is the jitter, drawn before the lock was taken.
  void schedule_reconnect_locked(bool identity_refused, double unit) DOCKLINK_REQUIRES(mutex_);
  /// A random number in [0, 1) from the platform's random source (port I/O: call without the lock).
  double random_unit();
  void note_connected_locked() DOCKLINK_REQUIRES(mutex_);
  /// The current connection finished its set-up (update_topo acknowledged); starts its stable time.
  void note_ready_locked() DOCKLINK_REQUIRES(mutex_);
  /// Counts a lost connection or failed attempt; resets the backoff after a ready, stable connection. Ends the busy
  /// retry: the reconnect drains what waits.
  void note_disconnected_locked(bool was_connected, const Status& status) DOCKLINK_REQUIRES(mutex_);
  void subscribe_all();
  void send_topology_locked_out();
  /// Before the sub-devices become `next`: remembers those leaving (and forgets those back) in departed_.
  void note_departed_locked(const std::vector<DeviceInfo>& next) DOCKLINK_REQUIRES(mutex_);
  // inbound
  /// Counts and (rate-limited) logs an inbound message refused on arrival.
  void drop_inbound(InboundRefusal why, std::size_t bytes);
  void handle_message(const std::string& topic, const std::string& payload);
  void handle_service(std::shared_ptr<struct InboundItem> item);
  /// Runs the validator and looks for a handler; 0 when the call may run, else its result (counted, logged).
  std::int32_t validate_service_call(const struct InboundItem& item, bool has_handler);
  /// Sends a service's reply and caches it for its tid and method.
  void answer_service(const struct InboundItem& item, ServiceReply reply, bool job);
  /// On the user strand: runs the handler (a throw answers kCommandFailed) and answers.
  void run_service_handler(const std::shared_ptr<struct InboundItem>& item, const ServiceHandler& handler);
  /// A repeated command, property set or get is answered from its first answer (or dropped while that is on its
  /// way) instead of running again; true when `item` was such a repeat.
  bool answer_repeat(const struct InboundItem& item);
  void handle_property_set(std::shared_ptr<struct InboundItem> item);
  /// Answers a property get (clouds that ask, e.g. IoTDA) from the device's last reported values.
  void handle_property_get(const struct InboundItem& item);
  /// Remembers the values of an OSD or state report for property gets (only for clouds that ask).
  void remember_reported(std::string_view device_sn, std::string_view data_json);
  /// Plans a set, taking the lock to look the setters up, and copies the setter of each leaf to apply.
  PropertySetPlan plan_with_setters(const rapidjson::Value& data, std::vector<PropertySetter>& setters);
  /// Runs the validator on each leaf still to apply; logs one summary line when any leaf was rejected.
  void validate_property_leaves(std::string_view tid, PropertySetPlan& plan);
  /// On the user strand: runs each setter once and sends the one reply.
  void apply_property_set(const struct InboundItem& item, PropertySetPlan& plan,
                          const std::vector<PropertySetter>& setters);
  void handle_reply(const struct InboundItem& item);
  /// Routes a decoded command or reply to its handler.
  void route_item(std::shared_ptr<struct InboundItem> item);
  /// Refuses a message on a sub-device's SN whose topic the protocol defines for the gateway only (all but
  /// state_reply and property/set): counted, logged, and a service is answered 325001. True when refused.
  bool refuse_misrouted(const struct InboundItem& item);
  /// Answers a command or property set refused before any handler ran (nothing when it has no tid).
  void reply_error(const struct InboundItem& item, std::int32_t code, std::string_view why);
  /// Asks the cloud for the device shadow, when its profile keeps one (after every connect).
  void send_shadow_request();
  /// The shadow's answer: its desired values go through the setters (nothing is answered).
  void handle_desired(std::shared_ptr<struct InboundItem> item);
  /// Asks the cloud for its time, when its profile can (after every connect).
  void send_clock_request();
  /// The cloud's answer with its time: keeps the offset when it answers the latest request.
  void handle_clock_sync(const struct InboundItem& item);
  /// A system event the core does not handle: a repeat is dropped, the others go to their service's handler.
  void handle_system_event(std::shared_ptr<struct InboundItem> item);
  /// drc/down: validated (client_drc.cpp), then handed to the DRC handler.
  void handle_drc(std::shared_ptr<struct InboundItem> item);
  /// Counts and logs (rate-limited) a refused drc/down message and answers it where its reply carries a result.
  void refuse_drc(const InboundEnvelope& envelope, std::int32_t code, std::string_view why);
  // uplink
  std::string new_id();
  // Allocation-free form of new_id(): writes a fresh UUIDv4 as exactly kUuidTextLength characters.
  void write_id(char out[kUuidTextLength]);
  /// The fields of an uplink sent now by this gateway.
  UplinkFields uplink_fields(std::string_view tid, std::string_view bid, std::string_view method) const;
  /// Sends an answer (a reply-class uplink) the profile encoded.
  void send_answer(TopicKind kind, std::string_view method, OutboundText answer);
  Uplink make_uplink(UplinkClass cls, TopicKind kind, std::string topic, std::string tid, std::string method,
                     std::string payload);
  /// Publishes now, or queues while offline. A message awaiting a reply goes out at most once per connection
  /// unless `retry` (its reply timer) says otherwise: the post-connect drain and a live send may race for it.
  /// `paced`: the pacer already released it (it had its token).
  void transmit(Uplink uplink, bool retry = false, bool paced = false);
  /// Counts `uplink` against the cloud's pace; false when it is telemetry held for a token (moved into the pacer).
  bool pace_locked(Uplink& uplink) DOCKLINK_REQUIRES(mutex_);
  /// True when telemetry may go now on the unqueued fast path (always, for a cloud without a limit).
  bool take_telemetry_token() DOCKLINK_EXCLUDES(mutex_);
  /// Arms the timer that releases held telemetry when the next token is there (once; nothing when none is held).
  void arm_pace_timer_locked() DOCKLINK_REQUIRES(mutex_);
  /// The pace timer: sends the held telemetry that has tokens now.
  void release_paced();
  void track_reply(Uplink uplink, ReplyCallback done, int max_retries, std::int64_t deadline_ms);
  /// publish_event() with a coalesce key (empty: never coalesced).
  Status send_event(std::string_view method, std::string_view data_json, const EventOptions& options,
                    ReplyCallback done, std::string coalesce_key);
  void arm_reply_timer(const std::string& tid);
  void on_reply_timeout(const std::string& tid);
  void complete_pending(const std::string& tid, Reply reply);
  void queue_offline_locked(Uplink uplink) DOCKLINK_REQUIRES(mutex_);
  /// Offline: queues `uplink`, or for one awaiting a reply (kept in pending_) queues it if it is an event not
  /// queued yet, so that events too are bounded by the offline queue's limits.
  void hold_offline_locked(Uplink uplink) DOCKLINK_REQUIRES(mutex_);
  /// Removes a pending message that will not be sent (dropped or replaced); its callback hears `why`.
  void abandon_pending_locked(const std::string& tid, StatusCode code, const char* why) DOCKLINK_REQUIRES(mutex_);
  void report_dropped(std::vector<Uplink>& dropped, const char* reason) DOCKLINK_REQUIRES(mutex_);
  /// Sends what waits, in drain order: after a connect, and on the busy retry (on_busy_retry_due()).
  void drain_waiting();
  /// The transport refused `uplink` (now in the offline queue) while connected: arms the one busy retry timer
  /// (defaults::kBusyRetryMs, doubling while refusals continue), unless it is armed, the client is offline (the
  /// reconnect drains) or stopping.
  void arm_busy_retry_locked() DOCKLINK_REQUIRES(mutex_);
  /// The busy retry timer: drains the offline queue on the live connection; what is refused again waits for the
  /// next retry.
  void on_busy_retry_due();
  /// Takes everything the post-connect drain sends, in drain order; `rearm` gets the tids whose timers restart.
  std::vector<Uplink> take_drain_locked(std::vector<std::string>& rearm) DOCKLINK_REQUIRES(mutex_);
  /// Queues the store write of `uplink` (done when the lock is released) and marks it persisted.
  void persist(Uplink& uplink) DOCKLINK_REQUIRES(mutex_);
  /// Queues the removal of `uplink`'s record (done when the lock is released).
  void unpersist(const Uplink& uplink) DOCKLINK_REQUIRES(mutex_);
  /// Carries out the queued store operations; called by Lock's release, never under the lock.
  void flush_store() const DOCKLINK_EXCLUDES(mutex_);
  void restore_from_store();
  /// Queues or tracks one record of an earlier run; false when it was too old and dropped.
  bool restore_record(Uplink record) DOCKLINK_EXCLUDES(mutex_);
  /// True when a stored record is this gateway's: its key matches its seq and its topic one of our devices.
  bool is_own_record_locked(const std::string& key, const Uplink& record) const DOCKLINK_REQUIRES(mutex_);
  /// One past the largest seq in the store (1 without a store): sequence numbers continue across restarts.
  std::uint64_t first_free_seq() const;
  // osd
  struct OsdSource;
  void schedule_osd_run_locked(const std::shared_ptr<OsdSource>& source, std::int64_t due_ms) DOCKLINK_REQUIRES(mutex_);
  bool osd_source_registered_locked(const std::shared_ptr<OsdSource>& source) const DOCKLINK_REQUIRES(mutex_);
  void run_osd_source(const std::weak_ptr<OsdSource>& weak_source, std::int64_t due_ms);
  void wait_until_osd_idle(const OsdSource& source) DOCKLINK_EXCLUDES(mutex_);
  // helpers
  bool owns_sn(std::string_view sn) const;
  void post_user(std::function<void()> task);
  /// Runs `task` now when already on the user strand (inbound commands are decoded there), else posts it.
  /// Only for call sites that hold no lock.
  void run_user(std::function<void()> task);
  /// Logs the parts joined, prefixed with the gateway SN; nothing is built when the level is disabled.
  void log(port::LogLevel level, std::initializer_list<std::string_view> parts) const DOCKLINK_EXCLUDES(mutex_);
  /// One-piece form of log() above.
  void log(port::LogLevel level, std::string_view message) const DOCKLINK_EXCLUDES(mutex_) { log(level, {message}); }
  /// As log(), from under the lock: the line is built now and written when the lock is released.
  void log_locked(port::LogLevel level, std::initializer_list<std::string_view> parts) const DOCKLINK_REQUIRES(mutex_);
  /// Builds the line log() writes, or returns false when the level is disabled.
  bool format_log(port::LogLevel level, std::initializer_list<std::string_view> parts, std::string& out) const;
  std::int64_t now_ms() const { return platform_.clock->monotonic_ms(); }

  ClientOptions options_;
  /// The cloud's side of every message (options_.profile, or the DJI profile when none was given).
  const ProfileBase& profile_;
  const bool keep_reported_ = profile_.answers_property_get();  ///< Whether reported_ is kept.
  port::Platform platform_;
  port::Transport& transport_;
  Executor& executor_;
  ConnectGate& connect_gate_;         ///< The Runtime's: how many of its clients may be connecting at once.
  std::shared_ptr<Strand> internal_;  ///< SDK bookkeeping: inbound replies, timers, connection, acks.
  /// User code (handlers, setters, callbacks, OSD fill), and the decoding of the commands handed to it.
  std::shared_ptr<Strand> user_;
  /// This client's share of the inbound queue, and the process's budget it draws on as well.
  const std::shared_ptr<InboundPool> inbound_share_ = std::make_shared<InboundPool>(
      InboundBudgetLimits{options_.inbound_queue.max_messages, options_.inbound_queue.max_bytes});
  const std::shared_ptr<InboundPool> inbound_process_ = executor_.inbound_pool();

  mutable GuardedMutex mutex_;  // guards every member marked DOCKLINK_GUARDED_BY(mutex_)
  bool started_ DOCKLINK_GUARDED_BY(mutex_) = false;
  bool stopping_ DOCKLINK_GUARDED_BY(mutex_) = false;
  bool connected_ DOCKLINK_GUARDED_BY(mutex_) = false;
  std::int64_t connected_since_ms_ DOCKLINK_GUARDED_BY(mutex_) = 0;
  std::uint64_t epoch_ DOCKLINK_GUARDED_BY(mutex_) = 0;  ///< Counts connections; see Pending::sent_epoch.
  bool ready_ DOCKLINK_GUARDED_BY(mutex_) = false;  ///< This connection finished its set-up (update_topo acknowledged).
  std::int64_t ready_since_ms_ DOCKLINK_GUARDED_BY(mutex_) = 0;  ///< When it did.
  unsigned reconnect_attempt_ DOCKLINK_GUARDED_BY(mutex_) =
      0;                                                   ///< Network backoff step; reset after a stable connection.
  unsigned auth_attempt_ DOCKLINK_GUARDED_BY(mutex_) = 0;  ///< Step of the refused-credentials schedule.
  Status drop_reason_
      DOCKLINK_GUARDED_BY(mutex_);  ///< Why the core itself dropped the connection; reported instead of kShutdown.
  TimerId reconnect_timer_ DOCKLINK_GUARDED_BY(mutex_) = 0;
  bool awaiting_turn_ DOCKLINK_GUARDED_BY(mutex_) = false;  ///< Queued at the connect gate, no attempt yet.
  /// The gate turn of the attempt under way; dropped (freeing the turn) when the transport answers.
  std::shared_ptr<ConnectTurn> connect_turn_ DOCKLINK_GUARDED_BY(mutex_);
  /// Seqs below it are records of earlier runs (restored by start()); from it on they are this run's.
  const std::uint64_t first_seq_ = first_free_seq();
  std::uint64_t next_seq_ DOCKLINK_GUARDED_BY(mutex_) = first_seq_;
  std::atomic<std::uint64_t> fallback_id_counter_{1};  ///< Keeps ids unique if the random source fails.
  port::PublishId next_publish_id_ DOCKLINK_GUARDED_BY(mutex_) = 1;
  Counters counters_ DOCKLINK_GUARDED_BY(mutex_);
  std::unordered_map<std::string, ServiceHandler> services_ DOCKLINK_GUARDED_BY(mutex_);
  std::unordered_map<std::string, PropertySetter> setters_ DOCKLINK_GUARDED_BY(mutex_);
  std::function<void(const DrcMessage&)> drc_handler_ DOCKLINK_GUARDED_BY(mutex_);
  std::function<void(bool, const Status&)> connection_handler_ DOCKLINK_GUARDED_BY(mutex_);
  std::vector<std::function<void(bool, const Status&)>> connection_listeners_ DOCKLINK_GUARDED_BY(mutex_);
  std::function<void(const DroppedMessage&)> dropped_handler_ DOCKLINK_GUARDED_BY(mutex_);
  std::unordered_map<std::string, SystemEventHandler> system_event_handlers_ DOCKLINK_GUARDED_BY(mutex_);
  std::map<std::string, Pending> pending_ DOCKLINK_GUARDED_BY(mutex_);  ///< by tid
  std::string topology_tid_ DOCKLINK_GUARDED_BY(mutex_);
  /// Sub-devices removed by set_sub_devices() and not back since, oldest first (reported offline where the
  /// cloud tracks each one's status).
  std::vector<DeviceInfo> departed_ DOCKLINK_GUARDED_BY(mutex_);
  /// Last reported value (JSON text) of every top-level property, by device SN; kept only when the profile
  /// answers property gets.
  std::map<std::string, std::map<std::string, std::string>, std::less<>> reported_
      DOCKLINK_GUARDED_BY(mutex_);  ///< the one update_topo in pending_, if any
  std::unordered_map<port::PublishId, std::shared_ptr<const Uplink>> inflight_
      DOCKLINK_GUARDED_BY(mutex_);  ///< QoS>0 awaiting PUBACK
  OfflineQueue offline_ DOCKLINK_GUARDED_BY(mutex_);
  const bool paced_ = profile_.uplink_rate().per_second != 0;  ///< Whether the uplink keeps a pace at all.
  UplinkPacer pacer_ DOCKLINK_GUARDED_BY(mutex_){profile_.uplink_rate()};
  TimerId pace_timer_ DOCKLINK_GUARDED_BY(mutex_) = 0;
  /// Armed while messages the transport refused on this connection wait in offline_; later ones queue behind.
  TimerId busy_retry_timer_ DOCKLINK_GUARDED_BY(mutex_) = 0;
  std::int64_t busy_retry_delay_ms_ DOCKLINK_GUARDED_BY(mutex_) = defaults::kBusyRetryMs;  ///< Its next wait.
  std::int64_t clock_request_wall_ms_ DOCKLINK_GUARDED_BY(mutex_) = -1;      ///< Send time of the unanswered request.
  std::int64_t clock_request_monotonic_ms_ DOCKLINK_GUARDED_BY(mutex_) = 0;  ///< The same instant, monotonic.
  std::int64_t cloud_clock_offset_ms_ DOCKLINK_GUARDED_BY(mutex_) = 0;       ///< Cloud time minus wall time.
  bool has_cloud_clock_ DOCKLINK_GUARDED_BY(mutex_) = false;
  std::string shadow_request_id_ DOCKLINK_GUARDED_BY(
      mutex_);  ///< The unanswered shadow request, if any.                 ///< A time sync completed.
  /// Commands (and, where the cloud redelivers them, property sets and gets) seen recently, with their answers.
  const std::unique_ptr<DuplicateFilter> duplicates_ DOCKLINK_GUARDED_BY(mutex_);
  LogRateLimit inbound_drop_log_ DOCKLINK_GUARDED_BY(mutex_) = LogRateLimit(defaults::kInboundDropLogIntervalMs);
  LogRateLimit drc_refused_log_ DOCKLINK_GUARDED_BY(mutex_) = LogRateLimit(defaults::kDrcRefusedLogIntervalMs);
  struct OsdSource {
    std::string device_sn;
    std::int64_t period_ms;
    std::function<void(std::string&)> fill;
    TimerId timer = 0;
    std::string buffer;
    bool running = false;  ///< Its fill (or the publish of its output) is running; guarded by mutex_.
  };
  std::map<std::string, std::shared_ptr<OsdSource>, std::less<>> osd_sources_ DOCKLINK_GUARDED_BY(mutex_);
  std::condition_variable_any osd_idle_;  ///< Signalled (with mutex_) when an OSD fill ends.
  mutable StoreWriter store_writer_;      ///< store I/O, done outside the lock
  mutable std::vector<DeferredLog> deferred_logs_ DOCKLINK_GUARDED_BY(mutex_);  ///< written on Lock release
};

}  // namespace docklink::detail
