// Serialisation of an Uplink for the durable Store: length-prefixed fields, so any byte in a payload is safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "docklink/status.hpp"
#include "uplink.hpp"

namespace docklink::detail {

/// Parses 1-20 ASCII digits into `value`; false for any other character or a number above `max` (checked
/// before it could wrap, whatever the width of size_t).
bool parse_decimal(std::string_view digits, std::uint64_t max, std::uint64_t& value);

/// Prefix of all keys of one gateway (the SN hex-encoded: store keys allow only [A-Za-z0-9._-]).
std::string uplink_store_prefix(std::string_view gateway_sn);
/// Key of one record; zero-padded seq so keys sort in creation order.
std::string uplink_store_key(std::string_view gateway_sn, std::uint64_t seq);
/// The record's bytes.
std::string encode_uplink_record(const Uplink& uplink);
/// Parses a record; kMalformed when it is not one.
Result<Uplink> decode_uplink_record(std::string_view record);

}  // namespace docklink::detail
