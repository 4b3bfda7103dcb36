#include "uplink_record.hpp"

#include <algorithm>
#include <cstdio>

namespace docklink::detail {

namespace {

// dlq2 added the creation time (a restored message keeps its age) and the coalesce key (job progress).
constexpr std::string_view kMagic = "dlq2";
constexpr std::string_view kMagicV1 = "dlq1";

void put_field(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out.append(field.data(), field.size());
}

bool take_field(std::string_view& in, std::string_view& field) {
  std::size_t colon = in.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 10) return false;
  // The length may not exceed what follows; checked in 64 bits, so 10 digits cannot wrap a 32-bit size_t.
  std::uint64_t length = 0;
  if (!parse_decimal(in.substr(0, colon), in.size() - colon - 1, length)) return false;
  field = in.substr(colon + 1, static_cast<std::size_t>(length));
  in.remove_prefix(colon + 1 + static_cast<std::size_t>(length));
  return true;
}

bool take_number(std::string_view& in, std::uint64_t& value, std::uint64_t max) {
  std::string_view field;
  return take_field(in, field) && parse_decimal(field, max, value);
}

}  // namespace

bool parse_decimal(std::string_view digits, std::uint64_t max, std::uint64_t& value) {
  if (digits.empty() || digits.size() > 20) return false;
  value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    auto digit = static_cast<std::uint64_t>(c - '0');
    if (digit > max || value > (max - digit) / 10) return false;  // value * 10 + digit > max, without wrapping
    value = value * 10 + digit;
  }
  return true;
}

std::string uplink_store_prefix(std::string_view gateway_sn) {
  static const char kHex[] = "0123456789abcdef";
  std::string prefix = "dlq.";
  for (char raw : gateway_sn) {
    auto c = static_cast<unsigned char>(raw);
    prefix += kHex[c >> 4];
    prefix += kHex[c & 15];
  }
  prefix += '.';
  return prefix;
}

std::string uplink_store_key(std::string_view gateway_sn, std::uint64_t seq) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%020llu", static_cast<unsigned long long>(seq));
  return uplink_store_prefix(gateway_sn) + digits;
}

std::string encode_uplink_record(const Uplink& uplink) {
  std::string out;
  out.reserve(uplink.payload.size() + uplink.topic.size() + 128);
  put_field(out, kMagic);
  put_field(out, std::to_string(uplink.seq));
  put_field(out, std::to_string(static_cast<unsigned>(uplink.cls)));
  put_field(out, std::to_string(static_cast<unsigned>(uplink.kind)));
  put_field(out, std::to_string(static_cast<unsigned>(uplink.qos)));
  put_field(out, uplink.awaits_reply ? "1" : "0");
  put_field(out, std::to_string(std::max<std::int64_t>(uplink.created_wall_ms, 0)));
  put_field(out, uplink.tid);
  put_field(out, uplink.method);
  put_field(out, uplink.topic);
  put_field(out, uplink.coalesce_key);
  put_field(out, uplink.payload);
  return out;
}

namespace {

// The numeric fields after the magic; `current` records (dlq2) also carry the wall-clock creation time.
bool take_header(std::string_view& in, bool current, Uplink& uplink) {
  std::uint64_t cls = 0, kind = 0, qos = 0, awaits = 0, created = 0;
  if (!take_number(in, uplink.seq, UINT64_MAX) || !take_number(in, cls, 5) ||
      !take_number(in, kind, kTopicKindCount - 1) || !take_number(in, qos, 2) || !take_number(in, awaits, 1) ||
      (current && !take_number(in, created, INT64_MAX))) {
    return false;
  }
  uplink.cls = static_cast<UplinkClass>(cls);
  uplink.kind = static_cast<TopicKind>(kind);
  uplink.qos = static_cast<port::Qos>(qos);
  uplink.awaits_reply = awaits == 1;
  uplink.created_wall_ms = static_cast<std::int64_t>(created);
  return true;
}

}  // namespace

Result<Uplink> decode_uplink_record(std::string_view in) {
  Status bad(StatusCode::kMalformed, "not a DockLink queue record");
  std::string_view magic;
  if (!take_field(in, magic) || (magic != kMagic && magic != kMagicV1)) return bad;
  const bool current = magic == kMagic;  // dlq1 records (no time, no coalesce key) are still read
  Uplink uplink;
  if (!take_header(in, current, uplink)) return bad;
  std::string_view tid, method, topic_name, coalesce_key, payload;
  if (!take_field(in, tid) || !take_field(in, method) || !take_field(in, topic_name) ||
      (current && !take_field(in, coalesce_key)) || !take_field(in, payload) || !in.empty()) {
    return bad;
  }
  uplink.tid = std::string(tid);
  uplink.method = std::string(method);
  uplink.topic = std::string(topic_name);
  uplink.coalesce_key = std::string(coalesce_key);
  uplink.payload = std::string(payload);
  return uplink;
}

}  // namespace docklink::detail
