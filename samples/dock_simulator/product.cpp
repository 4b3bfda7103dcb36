#include "product.hpp"

namespace docklink::sim {

namespace {

const Product kProducts[] = {
    {DockGeneration::kDock1, "dock1", 1, "3-1-0", "M30", 67, "0-67-0", "52-0-0", "1.1.3", "05.01.0212", "07.01.1003",
     true, false},
    {DockGeneration::kDock2, "dock2", 2, "3-2-0", "M3D", 91, "0-91-0", "80-0-0", "1.2.0", "10.01.0205", "10.01.1002",
     false, true},
    {DockGeneration::kDock3, "dock3", 3, "3-3-0", "M4D", 100, "0-100-0", "98-0-0", "1.3.0", "11.01.0103", "11.01.1001",
     false, true},
};

}  // namespace

const Product* find_product(const std::string& name) {
  for (const auto& product : kProducts) {
    if (name == product.name) return &product;
  }
  return nullptr;
}

int flight_step_number(const Product& product, int dock2_step) {
  if (product.generation != DockGeneration::kDock1 || dock2_step < 8) return dock2_step;
  if (dock2_step <= 22) return dock2_step - 1;
  return dock2_step - 2;
}

}  // namespace docklink::sim
