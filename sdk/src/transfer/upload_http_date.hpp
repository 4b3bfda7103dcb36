// The HTTP Date header (RFC 9110 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"): the server's clock, which a
// device whose own clock is off (no NTP yet) signs with after S3 answered RequestTimeTooSkewed.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace docklink::transfer::detail {

/// Unix epoch milliseconds of an IMF-fixdate from 1970 on; none for any other form (the obsolete RFC 850 and
/// asctime forms included: S3-compatible servers send IMF-fixdate).
std::optional<std::int64_t> parse_http_date_ms(std::string_view text);

}  // namespace docklink::transfer::detail
