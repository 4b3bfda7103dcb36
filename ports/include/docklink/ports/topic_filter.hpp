// MQTT topic names, topic filters and their matching rules (MQTT 3.1.1 section 4.7, same in MQTT 5).
#pragma once

#include <string_view>

#include "docklink/export.hpp"

namespace docklink::ports {

/// A valid topic name: 1 to 65535 bytes, no wildcard ('+', '#') and no NUL.
DOCKLINK_API bool is_valid_topic_name(std::string_view topic) noexcept;

/// A valid topic filter: 1 to 65535 bytes, no NUL, '+' only as a whole level, '#' only as the whole last level.
DOCKLINK_API bool is_valid_topic_filter(std::string_view filter) noexcept;

/// True when `topic` matches `filter`. '+' matches exactly one level (which may be empty); '#' matches the
/// rest, including the parent level ("a/#" matches "a"); filters starting with a wildcard do not match topics
/// starting with '$' (e.g. "$SYS/..."). Invalid filters or topic names match nothing.
DOCKLINK_API bool topic_matches(std::string_view filter, std::string_view topic) noexcept;

}  // namespace docklink::ports
