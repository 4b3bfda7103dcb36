// Topic table of docs/protocol.md#topics. One table drives naming, direction, building and parsing, so they cannot
// drift.
#include "docklink/topics.hpp"

#include <array>

#include "enum_table.hpp"

namespace docklink {
namespace {

constexpr std::string_view kSysPrefix = "sys/product/";
constexpr std::string_view kThingPrefix = "thing/product/";

/// One row of the topic table.
struct TopicSpec {
  TopicKind kind;
  bool sys;                 // under sys/product/ rather than thing/product/
  bool downlink;            // published by the cloud
  std::string_view suffix;  // levels after the SN
};

// Ordered like TopicKind so a kind indexes its own row.
constexpr std::array<TopicSpec, kTopicKindCount> kTopics{{
    {TopicKind::kStatus, true, false, "status"},
    {TopicKind::kStatusReply, true, true, "status_reply"},
    {TopicKind::kOsd, false, false, "osd"},
    {TopicKind::kState, false, false, "state"},
    {TopicKind::kStateReply, false, true, "state_reply"},
    {TopicKind::kServices, false, true, "services"},
    {TopicKind::kServicesReply, false, false, "services_reply"},
    {TopicKind::kEvents, false, false, "events"},
    {TopicKind::kEventsReply, false, true, "events_reply"},
    {TopicKind::kRequests, false, false, "requests"},
    {TopicKind::kRequestsReply, false, true, "requests_reply"},
    {TopicKind::kPropertySet, false, true, "property/set"},
    {TopicKind::kPropertySetReply, false, false, "property/set_reply"},
    {TopicKind::kDrcUp, false, false, "drc/up"},
    {TopicKind::kDrcDown, false, true, "drc/down"},
}};

static_assert(docklink::detail::rows_in_enum_order(kTopics), "kTopics rows must follow TopicKind order");

const TopicSpec* find_spec(TopicKind kind) noexcept { return docklink::detail::row_of(kTopics, kind); }

bool starts_with(std::string_view text, std::string_view prefix) noexcept {
  return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

Status malformed(std::string message) { return Status(StatusCode::kMalformed, std::move(message)); }

}  // namespace

const char* to_string(TopicKind kind) noexcept {
  const TopicSpec* spec = find_spec(kind);
  // Every suffix is a string literal, so data() is NUL-terminated.
  return spec != nullptr ? spec->suffix.data() : "unknown";
}

bool is_downlink(TopicKind kind) noexcept {
  const TopicSpec* spec = find_spec(kind);
  return spec != nullptr && spec->downlink;
}

Status validate_sn(std::string_view sn) {
  if (sn.empty()) return Status(StatusCode::kInvalidArgument, "SN is empty");
  if (sn.size() > defaults::kMaxSnLength) {
    return Status(StatusCode::kInvalidArgument, "SN of " + std::to_string(sn.size()) + " bytes exceeds limit " +
                                                    std::to_string(defaults::kMaxSnLength));
  }
  for (std::size_t i = 0; i < sn.size(); ++i) {
    auto byte = static_cast<unsigned char>(sn[i]);
    if (sn[i] == '/' || sn[i] == '+' || sn[i] == '#') {
      return Status(StatusCode::kInvalidArgument,
                    std::string("SN contains forbidden character '") + sn[i] + "' at offset " + std::to_string(i));
    }
    if (byte < 0x20 || byte == 0x7f) {
      return Status(StatusCode::kInvalidArgument,
                    "SN contains control character " + std::to_string(byte) + " at offset " + std::to_string(i));
    }
  }
  return Status::ok();
}

Result<ParsedTopic> parse_topic(std::string_view topic_name) {
  bool sys = starts_with(topic_name, kSysPrefix);
  if (!sys && !starts_with(topic_name, kThingPrefix)) {
    return malformed("topic does not start with sys/product/ or thing/product/");
  }
  std::string_view rest = topic_name.substr(sys ? kSysPrefix.size() : kThingPrefix.size());
  std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return malformed("topic has no level after the SN");
  std::string_view sn = rest.substr(0, slash);
  std::string_view suffix = rest.substr(slash + 1);

  const TopicSpec* match = nullptr;
  for (const TopicSpec& spec : kTopics) {
    if (spec.sys == sys && spec.suffix == suffix) {
      match = &spec;
      break;
    }
  }
  if (match == nullptr) {
    return malformed(std::string("unknown topic suffix after ") + (sys ? "sys/product/{sn}/" : "thing/product/{sn}/"));
  }
  Status sn_status = validate_sn(sn);
  if (!sn_status) return malformed("bad SN in topic: " + sn_status.message());
  return ParsedTopic{match->kind, sn};
}

void build_topic(TopicKind kind, std::string_view sn, std::string& out) {
  out.clear();
  const TopicSpec* spec = find_spec(kind);
  if (spec == nullptr) return;
  std::string_view prefix = spec->sys ? kSysPrefix : kThingPrefix;
  std::size_t size = prefix.size() + sn.size() + 1 + spec->suffix.size();
  if (out.capacity() < size) out.reserve(size);  // never let reserve() shrink (allowed before C++20)
  out.append(prefix).append(sn).append(1, '/').append(spec->suffix);
}

std::string topic(TopicKind kind, std::string_view sn) {
  std::string out;
  build_topic(kind, sn, out);
  return out;
}

}  // namespace docklink
