// libFuzzer target for the durable queue's record format (sdk/src/uplink_record.cpp): the input is a record as a
// Store would hand it back after a crash, a disk error or tampering. Whatever decodes must encode to a record that
// decodes to the same uplink (a dlq1 record comes back as dlq2), encoding must be stable, and the numbers must be the
// ones written in the record (no silent wrap-around of an over-long sequence number).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "uplink_record.hpp"

namespace {

using docklink::detail::Uplink;

void require(bool condition) {
  if (!condition) std::abort();  // libFuzzer reports the input that got here
}

bool same_uplink(const Uplink& a, const Uplink& b) {
  return a.seq == b.seq && a.cls == b.cls && a.kind == b.kind && a.qos == b.qos && a.awaits_reply == b.awaits_reply &&
         a.tid == b.tid && a.method == b.method && a.topic == b.topic && a.payload == b.payload;
}

/// Takes one "<length>:<bytes>" field off `record`; false when there is none (the decoder's rules need not be
/// repeated here: this only runs on records the decoder accepted).
bool next_field(std::string_view& record, std::string_view& field) {
  std::size_t colon = record.find(':');
  if (colon == std::string_view::npos) return false;
  std::size_t length = 0;
  for (char digit : record.substr(0, colon)) length = length * 10 + static_cast<std::size_t>(digit - '0');
  if (length > record.size() - colon - 1) return false;
  field = record.substr(colon + 1, length);
  record.remove_prefix(colon + 1 + length);
  return true;
}

/// The digits of the record's second field (the sequence number) without leading zeros, read independently of
/// the decoder; empty when the record does not have that shape.
std::string written_seq(std::string_view record) {
  std::string_view magic, digits;
  if (!next_field(record, magic) || !next_field(record, digits)) return {};
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
  return std::string(digits);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view record(reinterpret_cast<const char*>(data), size);
  auto decoded = docklink::detail::decode_uplink_record(record);
  if (!decoded) {
    require(decoded.status().code() == docklink::StatusCode::kMalformed);
    return 0;
  }
  const Uplink& uplink = decoded.value();
  require(written_seq(record) == std::to_string(uplink.seq));

  std::string encoded = docklink::detail::encode_uplink_record(uplink);
  auto again = docklink::detail::decode_uplink_record(encoded);
  require(again.is_ok());
  require(same_uplink(again.value(), uplink));
  require(docklink::detail::encode_uplink_record(again.value()) == encoded);
  return 0;
}
