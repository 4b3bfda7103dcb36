// The dock's OSD as property values (docs/protocol.md#osd-groups): the simulator's state written into the dock's
// thing::PropertyStore by generated descriptor, from which the three OSD messages are composed.
#pragma once

#include <string>

#include "dock_state.hpp"
#include "product.hpp"
#include "store_writer.hpp"

namespace docklink::sim {

/// Writes every OSD property the simulated dock reports into `writer`'s store: the values of `s`, keys and types
/// from `product`'s dock thing model (its descriptors), `aircraft_sn` as the sub-device.
void write_dock_osd(StoreWriter& writer, const DockState& s, const Product& product, const std::string& aircraft_sn);

}  // namespace docklink::sim
