// PahoTransport: the public facade, creation and the connection lifecycle (connect, disconnect, destruction).
#include "docklink/ports/paho_transport.hpp"

#include <utility>

#include "../openssl/openssl_lifetime.hpp"
#include "connect_trace.hpp"
#include "paho_transport_impl.hpp"
#include "tls_options.hpp"

namespace docklink::ports {
namespace {

/// How long the destructor waits for a clean DISCONNECT; bounded so that destruction never hangs.
constexpr std::chrono::milliseconds kDestructorDisconnectTimeout{1000};

}  // namespace

// ---- facade ----

Result<std::unique_ptr<PahoTransport>> PahoTransport::create(PahoTransportOptions options) {
  auto uri = paho::parse_server_uri(options.server_uri);
  if (!uri) return uri.status();
  if (Status tls = paho::validate_tls_options(options.tls, uri.value().tls); !tls) return tls;
  if (options.credentials == nullptr && options.default_client_id.empty()) {
    return Status(StatusCode::kInvalidArgument, "a default client id or a credentials provider is required");
  }
  // Before Paho's first client initialises OpenSSL with an exit handler (openssl_lifetime.hpp).
  if (!openssl::keep_until_process_end()) return Status(StatusCode::kInternal, "OpenSSL could not be initialised");
  try {
    auto impl = std::make_unique<Impl>(std::move(options), std::move(uri).value());
    return std::unique_ptr<PahoTransport>(new PahoTransport(std::move(impl)));
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("could not create the Paho transport: ") + e.what());
  }
}

PahoTransport::PahoTransport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PahoTransport::~PahoTransport() = default;
void PahoTransport::set_listener(port::TransportListener* listener) { impl_->set_listener(listener); }
Status PahoTransport::connect() { return impl_->connect(); }
void PahoTransport::disconnect(std::chrono::milliseconds timeout) { impl_->disconnect(timeout); }
bool PahoTransport::is_connected() const { return impl_->is_connected(); }
Status PahoTransport::publish(std::string_view topic, std::string_view payload, port::Qos qos, port::PublishId id) {
  return impl_->publish(topic, payload, qos, id);
}
Status PahoTransport::subscribe(std::string_view filter, port::Qos qos) { return impl_->subscribe(filter, qos); }
Status PahoTransport::subscribe_many(const std::vector<std::string>& filters, port::Qos qos) {
  return impl_->subscribe_many(filters, qos);
}
Status PahoTransport::unsubscribe(std::string_view filter) { return impl_->unsubscribe(filter); }

// ---- lifecycle ----

PahoTransport::Impl::Impl(PahoTransportOptions options, paho::ServerUri uri)
    : options_(std::move(options)),
      uri_(std::move(uri)),
      window_(options_.max_inflight, options_.max_queued, options_.qos0_buffer, &paho::QueuedBytes::process()) {
  if (uri_.tls) paho::apply_tls_options(options_.tls, ssl_options_);
}

PahoTransport::Impl::~Impl() {
  budget_waiter_->close();  // no slot is offered to a transport on its way out
  disconnect(kDestructorDisconnectTimeout);
  std::lock_guard<std::mutex> lifecycle(lifecycle_mutex_);
  destroy_client();
}

void PahoTransport::Impl::set_listener(port::TransportListener* listener) {
  std::unique_lock<std::mutex> lock(mutex_);
  listener_ = listener;
  wait_until_idle(lock);  // a call into the old listener may still be running on Paho's thread
}

void PahoTransport::Impl::end_connect_watch_locked() {
  if (watched_client_id_.empty()) return;
  paho::end_connect_watch(watched_client_id_);
  watched_client_id_.clear();
}

bool PahoTransport::Impl::is_connected() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_ == State::kConnected;
}

Result<port::Credentials> PahoTransport::Impl::fetch_credentials() const {
  port::Credentials credentials;
  if (options_.credentials != nullptr) {
    auto provided = options_.credentials->credentials();
    if (!provided) return provided.status();
    credentials = std::move(provided).value();
  }
  if (credentials.client_id.empty()) credentials.client_id = options_.default_client_id;
  if (credentials.client_id.empty()) {
    return Status(StatusCode::kInvalidArgument,
                  "no client id: the credentials provider gave none and there is "
                  "no default");
  }
  return credentials;
}

Status PahoTransport::Impl::ensure_client(const std::string& client_id) {
  // Every connect gets a new Paho client, so nothing of a lost connection goes out on the next one behind the
  // core's back. Paho C 1.3.11 keeps the publications it had not yet written, and the QoS 1 ones the broker never
  // acknowledged, and sends them after a reconnect: ahead of (and out of order with) what the core drains, and,
  // for a persistent session, while its send thread may have freed them (a heap-use-after-free seen under ASan).
  // The core re-sends whatever was not acknowledged itself, in order.
  destroy_client();
  const int version = options_.mqtt_version == MqttVersion::kV5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1;
  mqtt::create_options create(version);
  // Paho's command buffer also bounds commands while connected (P5): room for the whole window plus QoS 0.
  create.set_max_buffered_messages(static_cast<int>(options_.max_inflight + options_.qos0_buffer));
  create.set_send_while_disconnected(false);
  try {
    auto client = std::make_unique<mqtt::async_client>(uri_.paho_uri, client_id, create, nullptr);
    client->set_connection_lost_handler([this](const std::string& cause) { on_connection_lost(cause); });
    client->set_disconnected_handler([this](const mqtt::properties&, mqtt::ReasonCode reason) {
      on_connection_lost("the broker sent DISCONNECT (reason code " + std::to_string(static_cast<int>(reason)) + ")");
    });
    client->set_message_callback([this](mqtt::const_message_ptr message) {
      if (message) on_message(*message);
    });
    std::lock_guard<std::mutex> lock(mutex_);
    client_ = std::move(client);
  } catch (const mqtt::exception& e) {
    return Status(StatusCode::kInvalidArgument, std::string("Paho refused the client settings: ") + e.what());
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("could not create the Paho client: ") + e.what());
  }
  return Status::ok();
}

void PahoTransport::Impl::destroy_client() {
  std::unique_ptr<mqtt::async_client> doomed;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    doomed = std::move(client_);
    wait_until_idle(lock);  // nobody on another thread is inside the client any more
  }
  doomed.reset();
}

mqtt::connect_options PahoTransport::Impl::make_connect_options(const port::Credentials& credentials) {
  mqtt::connect_options_builder builder;
  builder.keep_alive_interval(options_.keep_alive)
      .connect_timeout(options_.connect_timeout)
      .automatic_reconnect(false);  // the core owns reconnecting (and its backoff)
  if (options_.mqtt_version == MqttVersion::kV5) {
    builder.mqtt_version(MQTTVERSION_5).clean_start(options_.clean_session);
  } else {
    builder.mqtt_version(MQTTVERSION_3_1_1).clean_session(options_.clean_session);
  }
  if (!credentials.username.empty()) builder.user_name(credentials.username);
  if (!credentials.password.empty()) builder.password(credentials.password);
  if (uri_.tls) {
    builder.ssl(ssl_options_);
  }
  return builder.finalize();
}

Status PahoTransport::Impl::connect() {
  std::lock_guard<std::mutex> lifecycle(lifecycle_mutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::kIdle) return Status(StatusCode::kBusy, "already connecting or connected");
  }
  auto credentials = fetch_credentials();
  if (!credentials) return credentials.status();
  if (Status ready = ensure_client(credentials.value().client_id); !ready) return ready;

  std::uintptr_t epoch = 0;
  try {
    mqtt::connect_options connect_options = make_connect_options(credentials.value());
    {
      std::lock_guard<std::mutex> lock(mutex_);
      state_ = State::kConnecting;
      epoch = ++epoch_;
      // The trace tells which socket is ours (for TCP_NODELAY) and why a TLS connect failed.
      const bool watch_tls = uri_.tls && !options_.tls.insecure_skip_verify;
      if ((watch_tls || options_.tcp_nodelay) && watched_client_id_.empty()) {
        watched_client_id_ = credentials.value().client_id;
        paho::begin_connect_watch(watched_client_id_, options_.tcp_nodelay);
      }
    }
    if (uri_.tls && options_.tls.insecure_skip_verify) {
      log(port::LogLevel::kWarn, {"INSECURE: TLS certificate and hostname verification are OFF for ", uri_.paho_uri,
                                  "; anyone on the network path can impersonate the broker"});
    }
    log(port::LogLevel::kInfo, {"connecting to ", uri_.paho_uri, " as '", credentials.value().client_id, "'"});
    client_->connect(connect_options, reinterpret_cast<void*>(epoch), connect_forwarder_);
  } catch (const mqtt::exception& e) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (epoch_ == epoch) state_ = State::kIdle;
    end_connect_watch_locked();
    return Status(StatusCode::kIo, std::string("Paho could not start connecting: ") + e.what());
  } catch (const std::exception& e) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (epoch_ == epoch) state_ = State::kIdle;
    end_connect_watch_locked();
    return Status(StatusCode::kInternal, std::string("could not start connecting: ") + e.what());
  }
  return Status::ok();
}

void PahoTransport::Impl::disconnect(std::chrono::milliseconds timeout) {
  std::lock_guard<std::mutex> lifecycle(lifecycle_mutex_);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  State previous = State::kIdle;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    previous = state_;
    if (previous == State::kIdle) return;
    state_ = State::kDisconnecting;  // publish() refuses from now on; acks still in flight are reported ok
  }
  if (client_) {
    try {
      // Paho may use its whole `timeout` (it waits for QoS 1 in flight) and only then completes the token on its
      // own thread: waiting just as long could free the client under that completion, so the wait outlasts Paho's.
      auto token = client_->disconnect(static_cast<int>(timeout.count()));
      if (token) token->wait_for(timeout + std::chrono::milliseconds(defaults::kPahoDisconnectGraceMs));
    } catch (const std::exception& e) {
      log(port::LogLevel::kDebug, {"disconnect: ", e.what()});  // e.g. the connection was already gone
    }
  }
  std::vector<port::PublishId> abandoned;
  std::size_t slots = 0;
  port::TransportListener* listener = nullptr;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    ++epoch_;
    state_ = State::kIdle;
    end_connect_watch_locked();
    slots = drop_slots_locked(window_.inflight());
    abandoned = window_.drain();
    wait_until_idle(lock);  // after this no Paho callback reaches the listener (state is idle)
    listener = listener_;
  }
  budget_.release(slots);
  report_connection(listener, false, Status(StatusCode::kShutdown, "disconnected by the application"), false);
  report_publishes(listener, as_outcomes(abandoned, Status(StatusCode::kNotConnected,
                                                           "disconnected before the "
                                                           "broker acknowledged")));
  if (std::chrono::steady_clock::now() > deadline + std::chrono::milliseconds(100)) {
    log(port::LogLevel::kWarn, "disconnect took longer than its timeout");
  }
}

}  // namespace docklink::ports
