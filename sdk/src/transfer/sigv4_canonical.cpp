// The SigV4 canonical request: method, encoded path, canonical query, canonical headers, signed headers, payload.
#include <algorithm>
#include <cstring>
#include <utility>

#include "docklink/transfer/sigv4.hpp"
#include "transfer/sigv4_detail.hpp"

namespace docklink::transfer {

namespace {

// RFC 9110 token characters: what a header name may hold.
bool token_char(unsigned char byte) {
  return (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') ||
         (byte != 0 && std::strchr("!#$%&'*+-.^_`|~", byte) != nullptr);
}

bool valid_header_name(std::string_view name) {
  return !name.empty() &&
         std::all_of(name.begin(), name.end(), [](char c) { return token_char(static_cast<unsigned char>(c)); });
}

// CR and LF would end the header line and let a value forge another header; NUL ends C strings in clients.
bool valid_header_value(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == value.npos;
}

bool blank(char c) { return c == ' ' || c == '\t'; }

// AWS's Trimall: no blanks at either end, every inner run of blanks one space.
std::string trim_all(std::string_view value) {
  std::string trimmed;
  trimmed.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (blank(c)) {
      pending_space = !trimmed.empty();
      continue;
    }
    if (pending_space) trimmed += ' ';
    pending_space = false;
    trimmed += c;
  }
  return trimmed;
}

}  // namespace

namespace detail {

// Lower-case names, trimmed values, sorted by name (stable, so repeated headers keep their order) and merged.
Result<CanonicalHeaders> canonical_headers(const std::vector<port::HttpHeader>& headers) {
  CanonicalHeaders sorted;
  for (const port::HttpHeader& header : headers) {
    if (!valid_header_name(header.name)) return Status(StatusCode::kInvalidArgument, "SigV4: bad header name");
    if (!valid_header_value(header.value)) {
      return Status(StatusCode::kInvalidArgument, "SigV4: header " + header.name + " holds CR, LF or NUL");
    }
    sorted.emplace_back(detail::ascii_lower(header.name), trim_all(header.value));
  }
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  CanonicalHeaders merged;
  for (auto& header : sorted) {
    if (!merged.empty() && merged.back().first == header.first) {
      merged.back().second += ',' + header.second;  // repeated header: values joined with ',' in order
    } else {
      merged.push_back(std::move(header));
    }
  }
  const bool has_host = std::any_of(merged.begin(), merged.end(), [](const auto& h) { return h.first == "host"; });
  if (!has_host) return Status(StatusCode::kInvalidArgument, "SigV4: the request has no Host header");
  return merged;
}

std::string signed_header_names(const CanonicalHeaders& headers) {
  std::string names;
  for (const auto& header : headers) {
    if (!names.empty()) names += ';';
    names += header.first;
  }
  return names;
}

std::string ascii_lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

}  // namespace detail

Result<std::string> sigv4_canonical_request(const SigV4Request& request) {
  auto headers = detail::canonical_headers(request.headers);
  if (!headers) return headers.status();
  std::string canonical = request.method + '\n';
  canonical += request.path.empty() ? std::string("/") : sigv4_encode_path(request.path);
  canonical += '\n' + sigv4_canonical_query(request.query) + '\n';
  for (const auto& [name, value] : headers.value()) canonical += name + ':' + value + '\n';
  canonical += '\n' + detail::signed_header_names(headers.value()) + '\n' + request.payload_sha256;
  return canonical;
}

}  // namespace docklink::transfer
