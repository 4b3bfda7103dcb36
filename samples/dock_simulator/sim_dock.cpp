#include "sim_dock.hpp"

#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>

#include "docklink/generated/types.hpp"
#include "docklink/port/log.hpp"
#include "docklink/thing/model_validator.hpp"
#include "docklink/thing/property_store.hpp"
#include "docklink/typed_request.hpp"

namespace docklink::sim {

namespace shared = generated::shared;

namespace {

// Docks of a fleet stand on a grid around a fixed origin, about 1 km apart, so their aircraft never meet.
constexpr double kOriginLatitude = 22.5797;
constexpr double kOriginLongitude = 113.9380;
constexpr double kGridStepDegrees = 0.01;
constexpr int kGridColumns = 100;

// The embedded thing model `model_key`, parsed once per process: the docks of a fleet share it (it is immutable).
Result<std::shared_ptr<const thing::ThingModel>> shared_model(const std::string& model_key) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const thing::ThingModel>> models;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = models.find(model_key);
  if (it != models.end()) return it->second;
  auto model = thing::load_embedded(model_key);
  if (!model) return model.status();
  auto shared = std::make_shared<const thing::ThingModel>(std::move(model).value());
  models.emplace(model_key, shared);
  return shared;
}

}  // namespace

SimDock::SimDock(const SimOptions& options, int index, Scheduler& scheduler)
    : options_(options),
      product_(*options.product),
      index_(index),
      sn_(dock_sn(options, index)),
      aircraft_sn_(sim::aircraft_sn(options, index)),
      scheduler_(scheduler) {
  state_.latitude = kOriginLatitude + kGridStepDegrees * (index / kGridColumns);
  state_.longitude = kOriginLongitude + kGridStepDegrees * (index % kGridColumns);
  state_.drone_latitude = state_.latitude;
  state_.drone_longitude = state_.longitude;
  state_.firmware_version = product_.dock_firmware;
  state_.drone_firmware_version = product_.aircraft_firmware;
  state_.drone_battery = 70 + (index * 7) % 30;
}

SimDock::~SimDock() {
  if (Client* client = prepare_stop()) samples::warn_if_failed(log_, client->stop(), "stop");
}

DeviceInfo SimDock::aircraft_info() const {
  DeviceInfo aircraft;
  aircraft.sn = aircraft_sn_;
  aircraft.domain = "0";
  aircraft.type = product_.aircraft_type;
  aircraft.sub_type = 0;
  aircraft.index = "A";
  aircraft.thing_version = product_.thing_version;
  aircraft.device_secret = "sim-secret";
  aircraft.nonce = "sim-nonce";
  return aircraft;
}

Status SimDock::init(Runtime& runtime, port::Platform platform) {
  samples::MqttSettings settings;
  settings.broker = options_.broker;
  settings.mqtt_version = options_.mqtt_version;
  settings.username = options_.username;
  settings.password = options_.password;
  settings.ca_file = options_.ca_file;
  settings.cert_file = options_.cert_file;
  settings.key_file = options_.key_file;
  settings.client_id = sn_;
  log_ = platform.log;
  clock_ = platform.clock;
  std::unique_ptr<port::CredentialsProvider> credentials;  // --cloud iotda: asked before every connect attempt
  Status status = apply_cloud(options_, sn_, *platform.clock, settings, credentials);
  if (status) status = connection_.open(settings, platform, std::move(credentials));
  if (!status) return status;

  ClientOptions client_options;
  client_options.gateway.sn = sn_;
  client_options.gateway.domain = "3";
  client_options.gateway.type = product_.dock_type;
  client_options.gateway.sub_type = 0;
  client_options.gateway.thing_version = product_.thing_version;
  client_options.gateway.device_secret = "sim-secret";
  client_options.gateway.nonce = "sim-nonce";
  client_options.sub_devices.push_back(aircraft_info());
  // Inbound services and property sets are checked against the product's embedded thing models, as firmware
  // using DockLink would: bad parameters and methods the product does not know are answered 325001 by the SDK.
  auto dock_model = shared_model(product_.dock_model_key);
  if (!dock_model) return dock_model.status();
  auto aircraft_model = shared_model(product_.aircraft_model_key);
  if (!aircraft_model) return aircraft_model.status();
  validator_ = std::make_unique<thing::ModelInboundValidator>(dock_model.value(), aircraft_model.value());
  dock_properties_ = std::make_unique<thing::PropertyStore>(dock_model.value());
  aircraft_properties_ = std::make_unique<thing::PropertyStore>(aircraft_model.value());
  client_options.validator = validator_.get();
  if (Status cloud = apply_cloud(options_, client_options); !cloud) return cloud;  // --cloud
  auto client = Client::create(std::move(client_options), platform, connection_.transport(), runtime);
  if (!client) return client.status();
  client_ = std::move(client).value();

  client_->on_connection_changed([this](bool connected, const Status&) { on_connection(connected); });
  register_remote_debug();
  register_flight_tasks();
  register_properties();
  register_extras();
  register_log_upload();
  register_drc();
  register_command_flight();
  register_network_services();

  std::chrono::milliseconds period(options_.osd_period_ms);
  Status dock_osd = client_->set_osd_source(sn_, period, [this](std::string& out) { fill_dock_osd(out); });
  if (!dock_osd) return dock_osd;
  return client_->set_osd_source(aircraft_sn_, period, [this](std::string& out) { fill_aircraft_osd(out); });
}

Status SimDock::start() { return client_ ? client_->start() : Status(StatusCode::kShutdown, "not initialised"); }

Client* SimDock::prepare_stop() {
  std::unique_ptr<DrcLink> drc;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    drc = std::move(drc_link_);
    ++drc_generation_;
  }
  drc.reset();
  return client_.get();
}

bool SimDock::ever_connected() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return ever_connected_;
}

std::int64_t SimDock::scaled_ms(double simulated_seconds) const {
  return static_cast<std::int64_t>(std::llround(simulated_seconds * 1000.0 / options_.speed));
}

// Runs on a dispatcher thread after update_topo went out (the SDK sends it itself on every connect).
void SimDock::on_connection(bool connected) {
  if (!connected) return;
  bool first = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    first = !ever_connected_;
    ever_connected_ = true;
  }
  if (first && options_.hms_period_s > 0) {
    scheduler_.after(std::chrono::milliseconds(scaled_ms(options_.hms_period_s)), [this] { hms_tick(); });
  }
  if (first) schedule_emergency_stop();
  publish_initial_state();
  // IoTDA never answers a device's DJI requests (a cloud adapter would have to): config and, after it, the
  // organisation binding would only time out there.
  if (!options_.iotda) request_config();
}

// The licence/NTP configuration is fetched on every connect, as real docks do (docs/protocol.md#binding); on DJI
// clouds only.
void SimDock::request_config() {
  const Status sent = send_request<shared::ConfigRequestReply>(
      *client_, shared::ConfigRequest{}, [this](const TypedReply<shared::ConfigRequestReply>& reply) {
        // A real dock drops the connection when the licence check fails; the simulator only carries on. No reply:
        // the SDK logged the timeout, and the next connect asks again.
        if (!reply.output || reply.output->app_license.empty()) return;
        bool bound;
        {
          std::lock_guard<std::mutex> lock(mutex_);
          bound = state_.bound;
        }
        if (options_.bind && !bound) request_bind_status();
      });
  samples::warn_if_failed(log_, sent, "config");
}

void SimDock::request_bind_status() {
  shared::AirportBindStatusRequest request;
  request.devices = {{sn_}, {aircraft_sn_}};
  using Output = shared::AirportBindStatusRequestReply;
  const Status sent = send_request<Output>(*client_, request, [this](const TypedReply<Output>& reply) {
    if (!reply.output) return;
    // Bound only when the cloud reports both dock and aircraft bound: an SN it leaves out is not bound.
    bool dock_bound = false, aircraft_bound = false;
    for (const auto& entry :
         reply.output->bind_status.value_or(std::vector<shared::AirportBindStatusRequestReplyBindStatusItem>{})) {
      if (!entry.is_device_bind_organization.value_or(false)) continue;
      dock_bound = dock_bound || entry.sn == sn_;
      aircraft_bound = aircraft_bound || entry.sn == aircraft_sn_;
    }
    if (dock_bound && aircraft_bound) {
      std::lock_guard<std::mutex> lock(mutex_);
      state_.bound = true;
      return;
    }
    request_organization();
  });
  samples::warn_if_failed(log_, sent, "airport_bind_status");
}

void SimDock::request_organization() {
  shared::AirportOrganizationGetRequest request;
  request.device_binding_code = options_.binding_code;
  request.organization_id = options_.organization_id;
  using Output = shared::AirportOrganizationGetRequestReply;
  const Status sent = send_request<Output>(*client_, request, [this](const TypedReply<Output>& reply) {
    if (reply.status) request_bind();
  });
  samples::warn_if_failed(log_, sent, "airport_organization_get");
}

void SimDock::request_bind() {
  shared::AirportOrganizationBindRequest request;
  const std::pair<const std::string*, const char*> devices[] = {{&sn_, product_.dock_model_key},
                                                                {&aircraft_sn_, product_.aircraft_model_key}};
  for (const auto& device : devices) {
    shared::AirportOrganizationBindRequestBindDevicesItem item;
    item.device_binding_code = options_.binding_code;
    item.organization_id = options_.organization_id;
    item.device_callsign = *device.first;
    item.sn = *device.first;
    item.device_model_key = device.second;
    request.bind_devices.push_back(std::move(item));
  }
  using Output = shared::AirportOrganizationBindRequestReply;
  const Status sent = send_request<Output>(*client_, request, [this](const TypedReply<Output>& reply) {
    if (!reply.output) return;
    bool ok = true;
    for (const auto& entry :
         reply.output->err_infos.value_or(std::vector<shared::AirportOrganizationBindRequestReplyErrInfosItem>{})) {
      ok = ok && entry.err_code.value_or(-1) == 0;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    state_.bound = ok;
  });
  samples::warn_if_failed(log_, sent, "airport_organization_bind");
}

// Aircraft powered off (or on again): the topology changes and the SDK re-sends update_topo.
void SimDock::update_topology() {
  bool powered;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    powered = state_.drone_powered;
  }
  std::vector<DeviceInfo> devices;
  if (powered) devices.push_back(aircraft_info());
  samples::warn_if_failed(log_, client_->set_sub_devices(std::move(devices)), "update_topo");
  if (powered) report_state({StateGroup::kAircraftFirmware});
}

}  // namespace docklink::sim
