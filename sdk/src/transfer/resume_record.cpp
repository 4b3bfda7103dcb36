#include "resume_record.hpp"

#include <charconv>
#include <map>

#include "docklink/config_defaults.hpp"

namespace docklink::transfer::detail {
namespace {

constexpr std::string_view kFields[] = {"url",    "destination", "size",          "algorithm",
                                        "digest", "etag",        "last_modified", "offset"};

// The last line: a record cut anywhere (even inside its last value) lacks it.
constexpr std::string_view kEndLine = "\nend";

bool is_known_field(std::string_view name) {
  for (std::string_view field : kFields) {
    if (field == name) return true;
  }
  return false;
}

Status malformed(std::string_view why) { return Status(StatusCode::kMalformed, "resume record: " + std::string(why)); }

std::optional<std::uint64_t> parse_u64(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Splits the lines after the version line into name -> value; every field exactly once.
Result<std::map<std::string, std::string>> split_fields(std::string_view text) {
  std::map<std::string, std::string> fields;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    std::size_t equals = line.find('=');
    if (equals == std::string_view::npos) return malformed("line without '='");
    std::string name(line.substr(0, equals));
    if (!is_known_field(name)) return malformed("unknown field");
    if (!fields.emplace(name, std::string(line.substr(equals + 1))).second) return malformed("repeated field");
  }
  if (fields.size() != std::size(kFields)) return malformed("missing field");
  return fields;
}

}  // namespace

std::string resume_store_key(std::string_view resume_key) { return "dl." + std::string(resume_key); }

bool is_valid_resume_key(std::string_view key) {
  if (key.empty() || key.size() > 100) return false;
  for (char c : key) {
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!plain && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

Result<std::string> encode_resume_record(const ResumeRecord& record) {
  const std::pair<std::string_view, std::string> fields[] = {
      {"url", record.url},
      {"destination", record.destination},
      {"size", record.size ? std::to_string(*record.size) : std::string("-")},
      {"algorithm", record.algorithm},
      {"digest", record.digest},
      {"etag", record.etag},
      {"last_modified", record.last_modified},
      {"offset", std::to_string(record.offset)}};
  std::string text(kResumeRecordVersion);
  for (const auto& [name, value] : fields) {
    if (value.find_first_of("\r\n") != std::string::npos) {
      return Status(StatusCode::kInvalidArgument, "resume record: " + std::string(name) + " holds a line break");
    }
    text.append("\n").append(name).append("=").append(value);
  }
  text.append(kEndLine);
  if (text.size() > defaults::kMaxResumeRecordBytes)
    return Status(StatusCode::kInvalidArgument, "resume record too large");
  return text;
}

Result<ResumeRecord> decode_resume_record(std::string_view text) {
  if (text.size() > defaults::kMaxResumeRecordBytes) return malformed("too large");
  if (text.size() < kEndLine.size() || text.substr(text.size() - kEndLine.size()) != kEndLine) {
    return malformed("no end line (torn or truncated)");
  }
  text.remove_suffix(kEndLine.size());
  std::size_t first_end = text.find('\n');
  if (text.substr(0, first_end) != kResumeRecordVersion) return malformed("unknown version");
  if (first_end == std::string_view::npos) return malformed("missing field");
  auto fields = split_fields(text.substr(first_end + 1));
  if (!fields) return fields.status();
  auto& values = fields.value();
  ResumeRecord record;
  record.url = values["url"];
  record.destination = values["destination"];
  record.algorithm = values["algorithm"];
  record.digest = values["digest"];
  record.etag = values["etag"];
  record.last_modified = values["last_modified"];
  if (values["size"] != "-") {
    record.size = parse_u64(values["size"]);
    if (!record.size) return malformed("bad size");
  }
  auto offset = parse_u64(values["offset"]);
  if (!offset) return malformed("bad offset");
  record.offset = *offset;
  return record;
}

}  // namespace docklink::transfer::detail
