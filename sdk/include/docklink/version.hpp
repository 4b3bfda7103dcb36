// DockLink's version.
#pragma once

namespace docklink {

/// The SDK version as "major.minor.patch".
const char* version() noexcept;

}  // namespace docklink
