// DockLink's version.
#pragma once

#include "docklink/export.hpp"

namespace docklink {

/// The SDK version as "major.minor.patch".
DOCKLINK_API const char* version() noexcept;

}  // namespace docklink
