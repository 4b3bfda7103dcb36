// Transaction and business ids (tid/bid): random UUIDv4 text, as DJI's own cloud uses.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "docklink/export.hpp"
#include "docklink/port/random.hpp"
#include "docklink/status.hpp"

namespace docklink {

/// Length of a UUID in text form (8-4-4-4-12 hex digits and dashes), without a terminator.
inline constexpr std::size_t kUuidTextLength = 36;

/// Formats 16 random bytes as a lower-case UUIDv4 ("xxxxxxxx-xxxx-4xxx-Yxxx-xxxxxxxxxxxx", Y in 8..b): the
/// version and variant bits are forced, the other 122 bits come from `bytes`.
DOCKLINK_API std::string format_uuid_v4(std::array<std::uint8_t, 16> bytes);

/// Allocation-free form of format_uuid_v4(): writes exactly 36 characters to `out` (no NUL terminator).
DOCKLINK_API void format_uuid_v4(const std::array<std::uint8_t, 16>& bytes, char out[kUuidTextLength]);

/// A fresh UUIDv4 from `random`; fails only when the random source fails.
DOCKLINK_API Result<std::string> new_uuid(port::Random& random);

}  // namespace docklink
