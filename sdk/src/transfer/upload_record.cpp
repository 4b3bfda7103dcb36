#include "upload_record.hpp"

#include <optional>

#include "docklink/config_defaults.hpp"
#include "download_http.hpp"  // parse_content_length: a decimal 64-bit number

namespace docklink::transfer::detail {
namespace {

constexpr std::string_view kFields[] = {"source", "size", "modified", "bucket", "key", "part_size", "upload_id"};

// The last line: a record cut anywhere (even inside its last value) lacks it.
constexpr std::string_view kEndLine = "\nend";

Status malformed(std::string_view why) { return Status(StatusCode::kMalformed, "upload record: " + std::string(why)); }

// Takes the next line off `text`.
std::string_view next_line(std::string_view& text) {
  std::size_t end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  return line;
}

// "part=<number> <etag>" after `previous`: ascending, 1 to kUploadMaxParts, ETag non-empty.
std::optional<UploadedPart> parse_part(std::string_view line, std::uint32_t previous) {
  constexpr std::string_view kPrefix = "part=";
  if (line.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  line.remove_prefix(kPrefix.size());
  std::size_t space = line.find(' ');
  if (space == std::string_view::npos || space + 1 == line.size()) return std::nullopt;
  auto number = parse_content_length(line.substr(0, space));
  if (!number || *number <= previous || *number > defaults::kUploadMaxParts) return std::nullopt;
  return UploadedPart{static_cast<std::uint32_t>(*number), std::string(line.substr(space + 1))};
}

Status check_line_breaks(const UploadRecord& record) {
  const std::string* values[] = {&record.source, &record.modified, &record.bucket, &record.key, &record.upload_id};
  for (const std::string* value : values) {
    if (value->find_first_of("\r\n") != std::string::npos)
      return Status(StatusCode::kInvalidArgument, "upload record: a value holds a line break");
  }
  for (const UploadedPart& part : record.parts) {
    if (part.etag.empty() || part.etag.find_first_of("\r\n") != std::string::npos)
      return Status(StatusCode::kInvalidArgument, "upload record: an ETag is empty or holds a line break");
  }
  return Status::ok();
}

}  // namespace

std::string upload_store_key(std::string_view resume_key) { return "ul." + std::string(resume_key); }

Result<std::string> encode_upload_record(const UploadRecord& record) {
  Status clean = check_line_breaks(record);
  if (!clean) return clean;
  const std::string values[] = {record.source, std::to_string(record.size),      record.modified, record.bucket,
                                record.key,    std::to_string(record.part_size), record.upload_id};
  std::string text(kUploadRecordVersion);
  for (std::size_t i = 0; i < std::size(kFields); ++i)
    text.append("\n").append(kFields[i]).append("=").append(values[i]);
  for (const UploadedPart& part : record.parts)
    text.append("\npart=").append(std::to_string(part.number)).append(" ").append(part.etag);
  text.append(kEndLine);
  if (text.size() > defaults::kMaxUploadRecordBytes)
    return Status(StatusCode::kInvalidArgument, "upload record too large");
  return text;
}

Result<UploadRecord> decode_upload_record(std::string_view text) {
  if (text.size() > defaults::kMaxUploadRecordBytes) return malformed("too large");
  if (text.size() < kEndLine.size() || text.substr(text.size() - kEndLine.size()) != kEndLine)
    return malformed("no end line (torn or truncated)");
  text.remove_suffix(kEndLine.size());
  if (next_line(text) != kUploadRecordVersion) return malformed("unknown version");
  std::string values[std::size(kFields)];
  for (std::size_t i = 0; i < std::size(kFields); ++i) {
    std::string_view line = next_line(text);
    std::size_t equals = line.find('=');
    if (equals == std::string_view::npos || line.substr(0, equals) != kFields[i]) return malformed("missing field");
    values[i] = std::string(line.substr(equals + 1));
  }
  UploadRecord record;
  auto size = parse_content_length(values[1]);
  auto part_size = parse_content_length(values[5]);
  if (!size || !part_size || *part_size == 0) return malformed("bad number");
  record.source = values[0];
  record.size = *size;
  record.modified = values[2];
  record.bucket = values[3];
  record.key = values[4];
  record.part_size = *part_size;
  record.upload_id = values[6];
  if (record.upload_id.empty()) return malformed("no upload id");
  while (!text.empty()) {
    auto part = parse_part(next_line(text), record.parts.empty() ? 0 : record.parts.back().number);
    if (!part) return malformed("bad part line");
    record.parts.push_back(std::move(*part));
  }
  return record;
}

}  // namespace docklink::transfer::detail
