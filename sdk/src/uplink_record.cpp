#include "uplink_record.hpp"

#include <cstdio>

namespace docklink::detail {

namespace {

constexpr std::string_view kMagic = "dlq1";

void put_field(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out.append(field.data(), field.size());
}

bool take_field(std::string_view& in, std::string_view& field) {
  std::size_t colon = in.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 10) return false;
  std::size_t length = 0;
  for (std::size_t i = 0; i < colon; ++i) {
    if (in[i] < '0' || in[i] > '9') return false;
    length = length * 10 + static_cast<std::size_t>(in[i] - '0');
  }
  if (in.size() - colon - 1 < length) return false;
  field = in.substr(colon + 1, length);
  in.remove_prefix(colon + 1 + length);
  return true;
}

bool take_number(std::string_view& in, std::uint64_t& value, std::uint64_t max) {
  std::string_view field;
  if (!take_field(in, field) || field.empty() || field.size() > 20) return false;
  value = 0;
  for (char c : field) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value <= max;
}

}  // namespace

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
  out.reserve(uplink.payload.size() + uplink.topic.size() + 96);
  put_field(out, kMagic);
  put_field(out, std::to_string(uplink.seq));
  put_field(out, std::to_string(static_cast<unsigned>(uplink.cls)));
  put_field(out, std::to_string(static_cast<unsigned>(uplink.kind)));
  put_field(out, std::to_string(static_cast<unsigned>(uplink.qos)));
  put_field(out, uplink.awaits_reply ? "1" : "0");
  put_field(out, uplink.tid);
  put_field(out, uplink.method);
  put_field(out, uplink.topic);
  put_field(out, uplink.payload);
  return out;
}

Result<Uplink> decode_uplink_record(std::string_view in) {
  Status bad(StatusCode::kMalformed, "not a DockLink queue record");
  std::string_view field;
  if (!take_field(in, field) || field != kMagic) return bad;
  Uplink uplink;
  std::uint64_t cls = 0, kind = 0, qos = 0, awaits = 0;
  if (!take_number(in, uplink.seq, UINT64_MAX) || !take_number(in, cls, 5) ||
      !take_number(in, kind, kTopicKindCount - 1) || !take_number(in, qos, 2) || !take_number(in, awaits, 1)) {
    return bad;
  }
  uplink.cls = static_cast<UplinkClass>(cls);
  uplink.kind = static_cast<TopicKind>(kind);
  uplink.qos = static_cast<port::Qos>(qos);
  uplink.awaits_reply = awaits == 1;
  std::string_view tid, method, topic_name, payload;
  if (!take_field(in, tid) || !take_field(in, method) || !take_field(in, topic_name) || !take_field(in, payload) ||
      !in.empty()) {
    return bad;
  }
  uplink.tid = std::string(tid);
  uplink.method = std::string(method);
  uplink.topic = std::string(topic_name);
  uplink.payload = std::string(payload);
  return uplink;
}

}  // namespace docklink::detail
