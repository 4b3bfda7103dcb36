// Lenient on blanks, strict on structure: a line that is neither a status line nor "name: value" is ignored.
#include "header_lines.hpp"

#include <cctype>
#include <string>

namespace docklink::ports::curl {
namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string_view without_line_end(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return line;
}

std::optional<int> status_of(std::string_view line) {
  line = without_line_end(line);
  if (line.substr(0, 5) != "HTTP/") return std::nullopt;
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos || line.size() < space + 4) return std::nullopt;
  int status = 0;
  for (std::size_t i = space + 1; i < space + 4; ++i) {
    if (std::isdigit(static_cast<unsigned char>(line[i])) == 0) return std::nullopt;
    status = status * 10 + (line[i] - '0');
  }
  return status;
}

std::optional<port::HttpHeader> header_of(std::string_view line) {
  line = without_line_end(line);
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string_view name = line.substr(0, colon);
  if (name.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
  return port::HttpHeader{std::string(name), std::string(trimmed(line.substr(colon + 1)))};
}

bool same_header_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

}  // namespace docklink::ports::curl
