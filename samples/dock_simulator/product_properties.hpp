// The generated property descriptors of the dock and aircraft the simulator plays: setters are written once as
// templates over a product's generated Properties (docklink/generated/<product>_properties.hpp) and registered with
// the running product's, so each names its property by descriptor (path and type from the thing model) and only
// the properties the product's model has are registered (e.g. rc_lost_action is the M30's only).
#pragma once

#include <utility>

#include "docklink/generated/dock1_properties.hpp"
#include "docklink/generated/dock2_properties.hpp"
#include "docklink/generated/dock3_properties.hpp"
#include "docklink/generated/m30_properties.hpp"
#include "docklink/generated/m3d_properties.hpp"
#include "docklink/generated/m4d_properties.hpp"
#include "product.hpp"
#include "product_services.hpp"

namespace docklink::sim {

/// Calls `visit(DockProperties{}, AircraftProperties{})` with the generated Properties of `product`'s dock and of
/// its aircraft (Dock 1 with the M30, Dock 2 with the M3D, Dock 3 with the M4D, as product.cpp pairs them).
template <class Visitor>
void visit_properties(const Product& product, Visitor&& visit) {
  switch (product.generation) {
    case DockGeneration::kDock1:
      std::forward<Visitor>(visit)(generated::dock1::Properties{}, generated::m30::Properties{});
      return;
    case DockGeneration::kDock2:
      std::forward<Visitor>(visit)(generated::dock2::Properties{}, generated::m3d::Properties{});
      return;
    case DockGeneration::kDock3:
      std::forward<Visitor>(visit)(generated::dock3::Properties{}, generated::m4d::Properties{});
      return;
  }
}

/// True when a product's Properties has the descriptor `Member<Properties>` names (has_service_v's detection).
template <class Properties, template <class> class Member>
inline constexpr bool has_property_v = has_service_v<Properties, Member>;

// The properties some products lack, for has_property_v.
template <class Properties>
using RcLostActionOf = typename Properties::RcLostAction;  // and exit_wayline_when_rc_lost: the M30's
template <class Properties>
using CommanderFlightModeOf = typename Properties::CommanderFlightMode;  // and remaining_power_for_return_home
template <class Properties>
using AirTransferEnableOf = typename Properties::AirTransferEnable;  // Dock 2 and 3
template <class Properties>
using CameraWatermarkSettingsOf = typename Properties::CameraWatermarkSettings;  // the M3D and M4D

}  // namespace docklink::sim
