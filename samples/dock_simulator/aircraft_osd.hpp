// The aircraft's OSD as property values (docs/protocol.md#aircraft-properties): the simulator's state written into
// the aircraft's thing::PropertyStore by generated descriptor, from which its one OSD message is composed.
#pragma once

#include <string>

#include "dock_state.hpp"
#include "product.hpp"
#include "store_writer.hpp"

namespace docklink::sim {

/// Writes every OSD property the simulated aircraft reports into `writer`'s store: the values of `s`, keys and
/// types from `product`'s aircraft thing model (its descriptors), battery serial numbers after `aircraft_sn`.
void write_aircraft_osd(StoreWriter& writer, const DockState& s, const Product& product,
                        const std::string& aircraft_sn);

}  // namespace docklink::sim
