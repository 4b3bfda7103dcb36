// The dock's OSD written into its PropertyStore by descriptor; which properties exist follows the product's model
// (electric_supply_voltage and putter_state are Dock 1's, heading and home_position_is_valid Dock 2's and 3's).
#include "dock_osd.hpp"

#include "product_properties.hpp"

namespace docklink::sim {

namespace {

constexpr std::int64_t kStorageTotalKb = 64LL * 1024 * 1024;

template <class Properties>
using ElectricSupplyVoltageOf = typename Properties::ElectricSupplyVoltage;
template <class Properties>
using PutterStateOf = typename Properties::PutterState;
template <class Properties>
using HomePositionIsValidOf = typename Properties::HomePositionIsValid;

// The one maintenance record the dock reports.
template <class Dock>
typename Dock::MaintainStatus::MaintainStatusArray::Value maintain_records() {
  typename Dock::MaintainStatus::MaintainStatusArray::Value records(1);
  put_code(records[0].state, 0);
  put_code(records[0].last_maintain_type, 17);
  put_code(records[0].last_maintain_time, 1700000000);
  put_code(records[0].last_maintain_work_sorties, 0);
  return records;
}

// The aircraft battery as the dock's battery maintenance sees it.
template <class Dock>
typename Dock::DroneBatteryMaintenanceInfo::Batteries::Value maintained_batteries(std::int64_t battery) {
  typename Dock::DroneBatteryMaintenanceInfo::Batteries::Value batteries(1);
  put_code(batteries[0].index, 0);
  put_code(batteries[0].capacity_percent, battery);
  put_code(batteries[0].voltage, 15400 + battery * 20);
  batteries[0].temperature = 26.5;
  return batteries;
}

// OSD group 0: counters, power and maintenance.
template <class Dock>
void write_counters(StoreWriter& w, const DockState& s) {
  auto battery = static_cast<std::int64_t>(s.drone_battery);
  using Maintenance = typename Dock::DroneBatteryMaintenanceInfo;
  w.code<typename Dock::JobNumber>(s.job_number);
  w.code<typename Dock::AccTime>(3600 * 24 * 30);
  w.code<typename Dock::ActivationTime>(1700000000);
  w.set<typename Dock::MaintainStatus::MaintainStatusArray>(maintain_records<Dock>());
  w.code<typename Dock::WorkingVoltage>(24000);
  w.code<typename Dock::WorkingCurrent>(s.charging ? 3500 : 1200);
  if constexpr (has_property_v<Dock, ElectricSupplyVoltageOf>) w.code<typename Dock::ElectricSupplyVoltage>(230);
  w.set<typename Dock::BackupBattery::Switch>(false);
  w.code<typename Dock::BackupBattery::Voltage>(0);
  w.real<typename Dock::BackupBattery::Temperature>(25.0, 1);
  w.code<typename Maintenance::MaintenanceState>(s.battery_maintenance != 0 ? 2 : 0);
  w.code<typename Maintenance::MaintenanceTimeLeft>(0);
  w.code<typename Maintenance::HeatState>(0);
  w.set<typename Maintenance::Batteries>(maintained_batteries<Dock>(battery));
}

// OSD group 1: task capacity, step code, media and links.
template <class Dock>
void write_links(StoreWriter& w, const DockState& s) {
  using Link = typename Dock::WirelessLink;
  w.code<typename Dock::FlighttaskPrepareCapacity>(1);
  w.code<typename Dock::FlighttaskStepCode>(s.flighttask_step_code);
  w.code<typename Dock::MediaFileDetail::RemainUpload>(0);
  w.code<typename Link::DongleNumber>(1);
  w.code<typename Link::T4gLinkState>(1);
  w.code<typename Link::SdrLinkState>(s.drone_powered ? 1 : 0);
  w.code<typename Link::LinkWorkmode>(s.link_workmode);
  w.code<typename Link::SdrQuality>(s.drone_powered ? 5 : 0);
  w.code<typename Link::T4gQuality>(4);
  w.real<typename Link::SdrFreqBand>(2.4, 1);
  w.real<typename Link::T4gFreqBand>(2.4, 1);
}

// OSD group 2, first part: network, charge, weather, position.
template <class Dock>
void write_surroundings(StoreWriter& w, const DockState& s) {
  using Landing = typename Dock::AlternateLandPoint;
  using Position = typename Dock::PositionState;
  w.code<typename Dock::NetworkState::Type>(2);
  w.code<typename Dock::NetworkState::Quality>(5);
  w.real<typename Dock::NetworkState::Rate>(1200.0, 1);
  w.code<typename Dock::DroneChargeState::State>(s.charging ? 1 : 0);
  w.code<typename Dock::DroneChargeState::CapacityPercent>(static_cast<std::int64_t>(s.drone_battery));
  w.code<typename Dock::DroneInDock>(s.drone_in_dock ? 1 : 0);
  w.code<typename Dock::Rainfall>(0);
  w.real<typename Dock::WindSpeed>(s.wind_speed, 1);
  w.real<typename Dock::EnvironmentTemperature>(s.environment_temperature, 1);
  w.real<typename Dock::Temperature>(s.temperature, 1);
  w.real<typename Dock::Humidity>(s.humidity, 1);
  w.real<typename Dock::Latitude>(s.latitude, 6);
  w.real<typename Dock::Longitude>(s.longitude, 6);
  w.real<typename Dock::Height>(s.height, 2);
  w.real<typename Landing::Latitude>(s.latitude + 0.0002, 6);
  w.real<typename Landing::Longitude>(s.longitude, 6);
  w.real<typename Landing::SafeLandHeight>(30.0, 1);
  w.set<typename Landing::IsConfigured>(true);
  w.real<typename Landing::Height>(s.height, 2);
  w.code<typename Dock::FirstPowerOn>(1700000000000);
  w.set<typename Position::IsCalibration>(true);
  w.code<typename Position::IsFixed>(2);
  w.code<typename Position::Quality>(10);
  w.code<typename Position::GpsNumber>(18);
  w.code<typename Position::RtkNumber>(24);
}

// OSD group 2, second part: storage, the dock's mechanics and its aircraft.
template <class Dock>
void write_mechanics(StoreWriter& w, const DockState& s, const Product& product, const std::string& aircraft_sn) {
  w.code<typename Dock::Storage::Total>(kStorageTotalKb);
  w.code<typename Dock::Storage::Used>(s.dock_storage_used_kb);
  w.code<typename Dock::ModeCode>(static_cast<std::int64_t>(s.mode_code));
  w.code<typename Dock::CoverState>(s.cover_state);
  w.code<typename Dock::SupplementLightState>(s.supplement_light_state);
  w.code<typename Dock::EmergencyStopState>(s.emergency_stop_state);
  w.code<typename Dock::AirConditioner::AirConditionerState>(s.air_conditioner_state);
  w.code<typename Dock::AirConditioner::SwitchTime>(0);
  w.code<typename Dock::BatteryStoreMode>(s.battery_store_mode);
  w.code<typename Dock::AlarmState>(s.alarm_state);
  w.code<typename Dock::DrcState>(static_cast<std::int64_t>(s.drc_state));
  w.set<typename Dock::SubDevice::DeviceSn>(aircraft_sn);
  w.set<typename Dock::SubDevice::DeviceModelKey>(product.aircraft_model_key);
  w.set<typename Dock::SubDevice::DeviceOnlineStatus>(s.drone_powered);
  w.set<typename Dock::SubDevice::DevicePaired>(true);
  if constexpr (has_property_v<Dock, PutterStateOf>) w.code<typename Dock::PutterState>(s.putter_state);
  if constexpr (has_property_v<Dock, HomePositionIsValidOf>) {
    w.real<typename Dock::Heading>(0.0, 1);
    w.code<typename Dock::HomePositionIsValid>(1);
  }
}

}  // namespace

void write_dock_osd(StoreWriter& writer, const DockState& s, const Product& product, const std::string& aircraft_sn) {
  visit_properties(product, [&](auto dock, auto /*aircraft*/) {
    using Dock = decltype(dock);
    write_counters<Dock>(writer, s);
    write_links<Dock>(writer, s);
    write_surroundings<Dock>(writer, s);
    write_mechanics<Dock>(writer, s, product, aircraft_sn);
  });
}

}  // namespace docklink::sim
