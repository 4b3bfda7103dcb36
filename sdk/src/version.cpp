#include "docklink/version.hpp"

namespace docklink {

const char* version() noexcept { return "0.1.0"; }

}  // namespace docklink
