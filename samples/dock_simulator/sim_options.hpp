// dock-sim's command line.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "docklink/client.hpp"
#include "docklink/port/clock.hpp"
#include "docklink/port/credentials.hpp"
#include "mqtt_connection.hpp"
#include "product.hpp"

namespace docklink::sim {

/// Docks per worker process with --processes auto. Paho C runs one send and one receive thread per process, and its
/// receive thread walks every client of the process for each packet, so a process's connect time grows with the
/// square of its docks. Measured with dock-sim on 2 cores (12-07, fresh broker and a status responder each run):
/// 5,000 docks connect in 33 s in one process and in 7.4 s in two; 10,000 in 58 s in two processes and in 34 s in
/// four (eight did not do better: the simulation itself then fills the cores).
constexpr int kDocksPerWorkerProcess = 2500;

/// Everything the command line sets.
struct SimOptions {
  std::string broker;                             ///< MQTT URI, e.g. tcp://127.0.0.1:1883 (required).
  int mqtt_version = 4;                           ///< 4 = MQTT 3.1.1, 5 = MQTT 5.
  std::string username;                           ///< MQTT username; empty: none.
  std::string password;                           ///< MQTT password; empty: none.
  std::string ca_file;                            ///< TLS trust anchors (PEM); empty: system default.
  std::string cert_file;                          ///< Client certificate for mutual TLS.
  std::string key_file;                           ///< Its private key.
  const Product* product = nullptr;               ///< Dock generation.
  int docks = 1;                                  ///< Fleet size.
  int processes = 1;                              ///< Worker processes the fleet is split over (1: this one).
  std::string sn;                                 ///< Exact SN of the (first) dock; empty: generated from the prefix.
  std::string sn_prefix;                          ///< Prefix of generated SNs.
  std::int64_t osd_period_ms = 2000;              ///< OSD period of dock and aircraft.
  double speed = 1.0;                             ///< Simulated seconds per real second for jobs and flights.
  std::string log_level = "info";                 ///< trace|debug|info|warn|error|off.
  bool json_log = false;                          ///< Log lines as JSON objects.
  double duration_s = 0;                          ///< Exit after this long; 0: run until SIGINT/SIGTERM.
  std::string binding_code = "sim-binding-code";  ///< Organisation-binding inputs (entered in Pilot 2 on a real dock).
  std::string organization_id = "sim-organization";
  bool bind = true;                    ///< Run the organisation-binding requests after config.
  double drc_heartbeat_timeout_s = 0;  ///< DRC ends without heart_beat this long (real s); 0: 60 s, Dock 1 300 s.
  double hms_period_s = 600;           ///< Simulated seconds between hms alarm events; 0: none.
  double emergency_stop_at_s = -1;     ///< Simulated s after the first connect to press emergency stop; < 0: never.
  double emergency_stop_for_s = 0;     ///< Simulated seconds it stays pressed; 0: until exit.
  bool iotda = false;                  ///< --cloud iotda: the Huawei Cloud IoTDA profile instead of DJI's.
  std::string device_id_prefix;        ///< IoTDA device id = prefix + SN (dock and aircraft).
  std::string device_secret;           ///< IoTDA device secret of every dock (the password is signed from it).
  bool iotda_certificate = false;      ///< IoTDA with --cert instead of --device-secret: X.509 authentication.
  std::string files_dir = "dock-sim-files";       ///< Where downloads land (created when the first one needs it).
  std::string http_ca_file;                       ///< CA bundle (PEM) of HTTPS downloads; empty: the system's CAs.
  std::uint64_t log_upload_bytes_per_second = 0;  ///< Pace of each log upload; 0: unlimited.
};

/// Parses argv; on failure returns false with `error` set (or with `error` empty and usage printed for --help).
bool parse_sim_options(int argc, char** argv, SimOptions& options, std::string& error);

/// The SN of dock `index` (0-based) of the fleet.
std::string dock_sn(const SimOptions& options, int index);

/// The SN of the aircraft of dock `index` (0-based) of the fleet.
std::string aircraft_sn(const SimOptions& options, int index);

/// --cloud for one dock's connection. IoTDA: `credentials` becomes the provider asked before every connect attempt
/// (ports::IotdaSignedCredentials from the device secret with sign type 0, whose timestamp the platform does not
/// check, or ports::IotdaCertificateCredentials with --cert: no password, the TLS client certificate of `mqtt`
/// authenticates), and `mqtt.client_id` its current client id. DJI: both unchanged. An error when the provider
/// cannot give credentials (e.g. an SN that makes no valid IoTDA device id).
Status apply_cloud(const SimOptions& options, const std::string& dock_sn, const port::Clock& clock,
                   samples::MqttSettings& mqtt, std::unique_ptr<port::CredentialsProvider>& credentials);

/// --cloud for one dock's client: the IoTDA profile (device ids: prefix + SN); DJI: unchanged.
Status apply_cloud(const SimOptions& options, ClientOptions& client);

}  // namespace docklink::sim
