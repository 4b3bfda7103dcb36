// The generated service types of the dock the simulator plays: handlers are written once as templates over a
// product's generated Services (docklink/generated/<product>.hpp) and registered with the running product's, so
// every service is decoded into the struct of that product's own thing model (e.g. Dock 2's takeoff_to_point
// carries rth_mode, Dock 1's does not).
#pragma once

#include <type_traits>
#include <utility>

#include "docklink/generated/dock1.hpp"
#include "docklink/generated/dock2.hpp"
#include "docklink/generated/dock3.hpp"
#include "product.hpp"

namespace docklink::sim {

/// Calls `visit(Services{})` with the generated Services of `product`'s dock.
template <class Visitor>
void visit_services(const Product& product, Visitor&& visit) {
  switch (product.generation) {
    case DockGeneration::kDock1:
      std::forward<Visitor>(visit)(generated::dock1::Services{});
      return;
    case DockGeneration::kDock2:
      std::forward<Visitor>(visit)(generated::dock2::Services{});
      return;
    case DockGeneration::kDock3:
      std::forward<Visitor>(visit)(generated::dock3::Services{});
      return;
  }
}

/// True when the product's Services has the member type `Member<Services>` names: registration follows the thing
/// model (e.g. only Dock 2 and 3 have live_camera_change).
template <class Services, template <class> class Member, class = void>
struct has_service : std::false_type {};
/// The product has the service.
template <class Services, template <class> class Member>
struct has_service<Services, Member, std::void_t<Member<Services>>> : std::true_type {};
/// has_service's value.
template <class Services, template <class> class Member>
inline constexpr bool has_service_v = has_service<Services, Member>::value;

// The services some products lack, for has_service_v.
template <class Services>
using LiveCameraChangeOf = typename Services::LiveCameraChange;
template <class Services>
using EsimActivateOf = typename Services::EsimActivate;
template <class Services>
using RtkCalibrationOf = typename Services::RtkCalibration;
template <class Services>
using PutterOpenOf = typename Services::PutterOpen;  // and PutterClose

}  // namespace docklink::sim
