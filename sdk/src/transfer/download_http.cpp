#include "download_http.hpp"

#include <charconv>

namespace docklink::transfer::detail {
namespace {

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

std::optional<std::uint64_t> parse_u64(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::string_view> find_header(const std::vector<port::HttpHeader>& headers, std::string_view name) {
  for (const auto& header : headers) {
    if (equals_ignore_case(header.name, name)) return trim(header.value);
  }
  return std::nullopt;
}

std::optional<ContentRange> parse_content_range(std::string_view value) {
  value = trim(value);
  constexpr std::string_view kUnit = "bytes ";
  if (value.substr(0, kUnit.size()) != kUnit) return std::nullopt;
  value.remove_prefix(kUnit.size());
  std::size_t slash = value.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view range = value.substr(0, slash);
  std::string_view complete = value.substr(slash + 1);
  ContentRange result;
  if (complete != "*") {
    result.complete = parse_u64(complete);
    if (!result.complete) return std::nullopt;
  }
  if (range == "*") return result;
  std::size_t dash = range.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  result.first = parse_u64(range.substr(0, dash));
  result.last = parse_u64(range.substr(dash + 1));
  if (!result.first || !result.last || *result.last < *result.first) return std::nullopt;
  return result;
}

std::optional<std::uint64_t> parse_content_length(std::string_view value) { return parse_u64(trim(value)); }

bool is_strong_etag(std::string_view etag) { return etag.size() >= 2 && etag.front() == '"' && etag.back() == '"'; }

std::string loggable_url(std::string_view url) { return std::string(url.substr(0, url.find_first_of("?#"))); }

}  // namespace docklink::transfer::detail
