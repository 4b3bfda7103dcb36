// S3 object addresses: virtual-hosted or path-style URL and the Host header that is signed with it.
#include <algorithm>

#include "docklink/transfer/sigv4.hpp"
#include "transfer/sigv4_detail.hpp"

namespace docklink::transfer {

namespace {

Status invalid(std::string message) {
  return Status(StatusCode::kInvalidArgument, "S3 address: " + std::move(message));
}

struct Endpoint {
  std::string scheme;  // "http" or "https"
  std::string host;    // name or IP literal, without port
  std::string port;    // empty when it is the scheme's default
};

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Splits "host[:port]" or "[v6]:port"; the port must be 1-65535 and is dropped when it is the scheme's default.
Status split_authority(std::string_view authority, Endpoint& endpoint) {
  std::size_t host_end = authority.rfind(':');
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t bracket = authority.find(']');
    if (bracket == authority.npos) return invalid("unclosed '[' in the endpoint");
    host_end = bracket + 1 < authority.size() ? bracket + 1 : authority.npos;
    if (host_end != authority.npos && authority[host_end] != ':') return invalid("junk after ']' in the endpoint");
  }
  endpoint.host = std::string(authority.substr(0, host_end));
  if (endpoint.host.empty()) return invalid("the endpoint has no host");
  if (host_end == authority.npos) return Status::ok();
  const std::string_view port = authority.substr(host_end + 1);
  if (!all_digits(port) || port.size() > 5 || std::stoul(std::string(port)) - 1 > 65534) {
    return invalid("the endpoint's port is not 1-65535");
  }
  const bool default_port =
      (endpoint.scheme == "http" && port == "80") || (endpoint.scheme == "https" && port == "443");
  if (!default_port) endpoint.port = std::string(port);
  return Status::ok();
}

Result<Endpoint> parse_endpoint(std::string_view text) {
  const std::size_t separator = text.find("://");
  if (separator == text.npos) return invalid("the endpoint needs http:// or https://");
  Endpoint endpoint;
  endpoint.scheme = detail::ascii_lower(text.substr(0, separator));
  if (endpoint.scheme != "http" && endpoint.scheme != "https") return invalid("the endpoint's scheme is not http(s)");
  const std::string_view rest = text.substr(separator + 3);
  const std::size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  if (rest.substr(authority_end) != "" && rest.substr(authority_end) != "/") return invalid("the endpoint has a path");
  const std::string_view authority = rest.substr(0, authority_end);
  if (authority.find('@') != authority.npos) return invalid("the endpoint has user info");
  if (Status split = split_authority(authority, endpoint); !split) return split;
  return endpoint;
}

// A bucket that can be a DNS label prefix: lower-case letters, digits, '-' and '.'.
bool dns_safe_bucket(std::string_view bucket) {
  return std::all_of(bucket.begin(), bucket.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'; });
}

bool ip_literal(std::string_view host) {
  return host.front() == '[' ||
         std::all_of(host.begin(), host.end(), [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
}

}  // namespace

S3Addressing s3_addressing_for_provider(std::string_view provider) {
  const std::string lower = detail::ascii_lower(provider);
  return lower == "aws" || lower == "ali" ? S3Addressing::kVirtualHosted : S3Addressing::kPathStyle;
}

Result<S3ObjectAddress> s3_object_address(std::string_view endpoint_text, std::string_view bucket, std::string_view key,
                                          S3Addressing addressing) {
  auto endpoint = parse_endpoint(endpoint_text);
  if (!endpoint) return endpoint.status();
  if (bucket.empty() || bucket.find('/') != bucket.npos) return invalid("the bucket is empty or holds '/'");
  S3ObjectAddress address;
  std::string host = endpoint.value().host;
  if (addressing == S3Addressing::kVirtualHosted) {
    if (!dns_safe_bucket(bucket)) return invalid("a virtual-hosted bucket needs a DNS-safe name; use path-style");
    if (ip_literal(host)) return invalid("an IP-address endpoint cannot host a virtual-hosted bucket; use path-style");
    if (endpoint.value().scheme == "https" && bucket.find('.') != bucket.npos) {
      return invalid("a bucket name with '.' breaks the certificate's host check; use path-style");
    }
    host = std::string(bucket) + '.' + host;
    address.path = '/' + std::string(key);
  } else {
    address.path = '/' + std::string(bucket) + (key.empty() ? "" : '/' + std::string(key));
  }
  address.host = endpoint.value().port.empty() ? host : host + ':' + endpoint.value().port;
  address.url = endpoint.value().scheme + "://" + address.host + sigv4_encode_path(address.path);
  return address;
}

}  // namespace docklink::transfer
