#include "sim_options.hpp"

#include <unistd.h>
#include <cstdio>
#include <memory>
#include <vector>

#include "cli_args.hpp"
#include "docklink/iotda/profile.hpp"
#include "docklink/ports/credentials.hpp"

namespace docklink::sim {

namespace {

const std::vector<samples::OptionSpec> kSpecs = {
    {"broker", true, "MQTT broker URI, e.g. tcp://127.0.0.1:1883 or ssl://host:8883 (required)"},
    {"mqtt-version", true, "3.1.1 (default) or 5"},
    {"username", true, "MQTT username"},
    {"password", true, "MQTT password"},
    {"ca", true, "TLS CA bundle (PEM)"},
    {"cert", true,
     "TLS client certificate (PEM); with --cloud iotda instead of --device-secret: X.509 authentication (client id "
     "and username as with a secret, no password)"},
    {"key", true, "TLS client key (PEM; default: read from --cert)"},
    {"model", true, "dock1 (M30) | dock2 (M3D, default) | dock3 (M4D)"},
    {"docks", true, "number of docks in the fleet (default 1)"},
    {"processes", true,
     "N: split the fleet over N worker processes (default 1); auto: one per 2500 docks (Paho C runs one send "
     "and one receive thread per process; workers spread the MQTT work over the cores)"},
    {"sn", true, "SN of the dock (with --docks N: SN-0001 …)"},
    {"sn-prefix", true, "prefix of generated SNs (default SIM<pid>-)"},
    {"osd-period-ms", true, "OSD period of dock and aircraft (default 2000)"},
    {"speed", true, "time acceleration of jobs and flights (default 1)"},
    {"log-level", true, "trace|debug|info|warn|error|off (default info)"},
    {"json-log", false, "log lines as JSON"},
    {"duration-s", true, "exit after N seconds (default: run until SIGINT/SIGTERM)"},
    {"binding-code", true, "device binding code for airport_organization_* (default sim-binding-code)"},
    {"organization-id", true, "organisation id for airport_organization_* (default sim-organization)"},
    {"no-bind", false, "skip the organisation-binding requests"},
    {"drc-heartbeat-timeout-s", true, "leave DRC after N s without heart_beat (default 60, Dock 1 300)"},
    {"hms-period-s", true, "simulated seconds between hms alarm events (default 600, 0: none)"},
    {"emergency-stop-at", true,
     "press the dock's emergency stop N simulated seconds after the first connect (default: never); the dock "
     "then refuses every mechanical action with 514121"},
    {"emergency-stop-for", true, "release the emergency stop after N simulated seconds (default: stays pressed)"},
    {"cloud", true, "dji (DJI Cloud API, default) | iotda (Huawei Cloud IoTDA: dock = gateway, aircraft = sub-device)"},
    {"device-id-prefix", true, "IoTDA: device id = prefix + SN, for dock and aircraft (default: none)"},
    {"device-secret", true,
     "IoTDA: the docks' device secret (secret authentication; --cloud iotda needs it or --cert, not both)"},
    {"files-dir", true,
     "directory the docks keep their files in: firmware packages of ota_create, photos until delivered, logs "
     "fileupload_start asks for (default dock-sim-files in the working directory, created when the first file "
     "needs it)"},
    {"log-upload-bps", true, "bytes per second each log upload (fileupload_start) may send (default: unlimited)"},
    {"http-ca", true, "CA bundle (PEM) HTTPS downloads must chain to (default: the system's CAs; --ca is MQTT's)"},
    {"help", false, "this text"},
};

// --processes N|auto, after --docks: auto is one worker per kDocksPerWorkerProcess docks.
bool parse_processes(const samples::CliArgs& args, SimOptions& options, std::string& error) {
  bool ok = true;
  if (args.get("processes") == "auto") {
    options.processes = (options.docks + kDocksPerWorkerProcess - 1) / kDocksPerWorkerProcess;
  } else {
    options.processes = static_cast<int>(args.get_int("processes", 1, ok));
  }
  if (!ok || options.processes < 1 || options.processes > options.docks) {
    error = "--processes must be auto or 1..docks";
    return false;
  }
  return true;
}

// The numeric options, each within its range.
bool parse_numbers(const samples::CliArgs& args, SimOptions& options, std::string& error) {
  bool ok = true;
  options.docks = static_cast<int>(args.get_int("docks", 1, ok));
  options.osd_period_ms = args.get_int("osd-period-ms", 2000, ok);
  options.speed = args.get_double("speed", 1.0, ok);
  options.duration_s = args.get_double("duration-s", 0, ok);
  options.hms_period_s = args.get_double("hms-period-s", 600, ok);
  options.drc_heartbeat_timeout_s = args.get_double("drc-heartbeat-timeout-s", 0, ok);
  options.emergency_stop_at_s = args.get_double("emergency-stop-at", -1, ok);
  options.emergency_stop_for_s = args.get_double("emergency-stop-for", 0, ok);
  if (!ok || options.docks < 1 || options.docks > 100000 || options.osd_period_ms < 10 || options.speed <= 0 ||
      options.speed > 1000 || options.duration_s < 0 || options.hms_period_s < 0 ||
      options.drc_heartbeat_timeout_s < 0 || (args.has("emergency-stop-at") && options.emergency_stop_at_s < 0) ||
      options.emergency_stop_for_s < 0) {
    error =
        "numeric option out of range (docks 1..100000, osd-period-ms >= 10, speed 0..1000, duration-s >= 0, "
        "hms-period-s >= 0, emergency-stop-at >= 0, emergency-stop-for >= 0)";
    return false;
  }
  return true;
}

// --cloud and its IoTDA settings.
bool parse_cloud(const samples::CliArgs& args, SimOptions& options, std::string& error) {
  const std::string cloud = args.get("cloud", "dji");
  if (cloud != "dji" && cloud != "iotda") {
    error = "--cloud must be dji or iotda";
    return false;
  }
  options.iotda = cloud == "iotda";
  options.device_id_prefix = args.get("device-id-prefix");
  options.device_secret = args.get("device-secret");
  if (!options.iotda) return true;
  // IoTDA authenticates a device by its secret or by its X.509 certificate: exactly one of them.
  const bool certificate = !args.get("cert").empty();
  if (options.device_secret.empty() && !certificate) {
    error =
        "--cloud iotda needs --device-secret S (secret authentication) or --cert FILE [--key FILE] (X.509 "
        "certificate authentication)";
    return false;
  }
  if (!options.device_secret.empty() && certificate) {
    error = "--cloud iotda takes --device-secret or --cert (X.509), not both";
    return false;
  }
  options.iotda_certificate = certificate;
  return true;
}

// --files-dir, --http-ca and --log-upload-bps: where files land, whom HTTPS servers must be certified by, and how
// fast logs go up.
bool parse_files(const samples::CliArgs& args, SimOptions& options, std::string& error) {
  options.files_dir = args.get("files-dir", options.files_dir);
  options.http_ca_file = args.get("http-ca");
  if (options.files_dir.empty()) {
    error = "--files-dir must name a directory";
    return false;
  }
  bool ok = true;
  std::int64_t bps = args.get_int("log-upload-bps", 0, ok);
  if (!ok || bps < 0) {
    error = "--log-upload-bps must be a number of bytes per second >= 0";
    return false;
  }
  options.log_upload_bytes_per_second = static_cast<std::uint64_t>(bps);
  return true;
}

}  // namespace

bool parse_sim_options(int argc, char** argv, SimOptions& options, std::string& error) {
  samples::CliArgs args(argc, argv, kSpecs);
  if (args.failed()) {
    error = args.error();
    return false;
  }
  if (args.has("help")) {
    std::printf("usage: dock-sim --broker URI [options]\n%s", samples::usage_text(kSpecs).c_str());
    error.clear();
    return false;
  }
  if (!args.positional().empty()) {
    error = "unexpected argument " + args.positional().front();
    return false;
  }
  options.broker = args.get("broker");
  if (options.broker.empty()) {
    error = "--broker is required (scripts/run-sim.sh starts a private broker)";
    return false;
  }
  std::string version = args.get("mqtt-version", "3.1.1");
  if (version == "3.1.1" || version == "4") {
    options.mqtt_version = 4;
  } else if (version == "5" || version == "5.0") {
    options.mqtt_version = 5;
  } else {
    error = "--mqtt-version must be 3.1.1 or 5";
    return false;
  }
  options.username = args.get("username");
  options.password = args.get("password");
  options.ca_file = args.get("ca");
  options.cert_file = args.get("cert");
  options.key_file = args.get("key");
  options.product = find_product(args.get("model", "dock2"));
  if (options.product == nullptr) {
    error = "--model must be dock1, dock2 or dock3";
    return false;
  }
  if (!parse_numbers(args, options, error)) return false;
  if (!parse_processes(args, options, error)) return false;
  if (!parse_cloud(args, options, error)) return false;
  options.sn = args.get("sn");
  options.sn_prefix = args.get("sn-prefix", "SIM" + std::to_string(getpid()) + "-");
  options.log_level = args.get("log-level", "info");
  options.json_log = args.has("json-log");
  options.binding_code = args.get("binding-code", options.binding_code);
  options.organization_id = args.get("organization-id", options.organization_id);
  options.bind = !args.has("no-bind");
  return parse_files(args, options, error);
}

std::string dock_sn(const SimOptions& options, int index) {
  char number[16];
  std::snprintf(number, sizeof number, "%04d", index + 1);
  if (!options.sn.empty()) return options.docks == 1 ? options.sn : options.sn + "-" + number;
  return options.sn_prefix + number;
}

std::string aircraft_sn(const SimOptions& options, int index) { return dock_sn(options, index) + "-UAV"; }

Status apply_cloud(const SimOptions& options, const std::string& dock_sn, const port::Clock& clock,
                   samples::MqttSettings& mqtt, std::unique_ptr<port::CredentialsProvider>& credentials) {
  if (!options.iotda) return Status::ok();
  const std::string device_id = options.device_id_prefix + dock_sn;
  std::unique_ptr<port::CredentialsProvider> provider;
  if (options.iotda_certificate) {
    provider = std::make_unique<ports::IotdaCertificateCredentials>(device_id, clock);
  } else {
    provider = std::make_unique<ports::IotdaSignedCredentials>(device_id, options.device_secret, clock,
                                                               ports::IotdaSignType::kPasswordOnly);
  }
  auto first = provider->credentials();  // a configuration it cannot connect with fails now, not on every attempt
  if (!first) return first.status();
  mqtt.client_id = first.value().client_id;
  credentials = std::move(provider);
  return Status::ok();
}

Status apply_cloud(const SimOptions& options, ClientOptions& client) {
  if (!options.iotda) return Status::ok();
  iotda::ProfileOptions cloud;
  cloud.gateway_sn = client.gateway.sn;
  cloud.gateway_device_id = options.device_id_prefix + client.gateway.sn;
  for (const DeviceInfo& device : client.sub_devices) {
    cloud.sub_device_ids[device.sn] = options.device_id_prefix + device.sn;
  }
  auto profile = iotda::make_profile(std::move(cloud));
  if (!profile) return profile.status();
  client.profile = std::move(profile).value();
  return Status::ok();
}

}  // namespace docklink::sim
