// The key rules shared by DockLink's store implementations.
#pragma once

#include <cstddef>
#include <string_view>

#include "docklink/export.hpp"
#include "docklink/status.hpp"

namespace docklink::ports {

/// Longest key accepted, in bytes; keeps file names (plus a temporary suffix) under NAME_MAX (255).
inline constexpr std::size_t kMaxStoreKeyLength = 200;

/// A key is 1 to kMaxStoreKeyLength bytes of [A-Za-z0-9._-], and neither "." nor "..". Such a key is a safe file
/// name on every file system, so FileStore can use it as one without escaping.
DOCKLINK_API bool is_valid_store_key(std::string_view key) noexcept;

/// Ok for a valid key, else kInvalidArgument naming the rule.
DOCKLINK_API Status check_store_key(std::string_view key);

}  // namespace docklink::ports
