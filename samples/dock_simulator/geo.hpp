// The simulator's flat-earth geometry: metres north and east of a point to degrees of latitude and longitude and
// back, the approximation every simulated flight (wayline, command flight, DRC sticks) and its tests share.
#pragma once

#include <cmath>

namespace docklink::sim {

/// Metres per degree of latitude, and of longitude on the equator (the equator's 40,075 km over 360 degrees).
inline constexpr double kMetersPerDegree = 111320.0;

/// Metres per degree of longitude at `latitude` degrees.
inline double meters_per_degree_longitude(double latitude) {
  return kMetersPerDegree * std::cos(latitude * M_PI / 180);
}

}  // namespace docklink::sim
