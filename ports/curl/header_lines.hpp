// Reading the raw header lines libcurl hands to its header callback.
#pragma once

#include <optional>
#include <string_view>

#include "docklink/port/http.hpp"

namespace docklink::ports::curl {

/// The line without its trailing CR LF.
std::string_view without_line_end(std::string_view line);
/// The status code of a status line ("HTTP/1.1 206 Partial Content", "HTTP/2 200"); nullopt for other lines.
std::optional<int> status_of(std::string_view line);
/// "Name: value" split, the value trimmed of surrounding blanks; nullopt for a line that is not a header.
std::optional<port::HttpHeader> header_of(std::string_view line);
/// HTTP header names compare case-insensitively.
bool same_header_name(std::string_view a, std::string_view b);

}  // namespace docklink::ports::curl
