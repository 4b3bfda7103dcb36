#include "docklink/ports/store_key.hpp"

#include <string>

namespace docklink::ports {

namespace {

bool is_key_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

}  // namespace

bool is_valid_store_key(std::string_view key) noexcept {
  if (key.empty() || key.size() > kMaxStoreKeyLength || key == "." || key == "..") return false;
  for (char c : key) {
    if (!is_key_character(c)) return false;
  }
  return true;
}

Status check_store_key(std::string_view key) {
  if (is_valid_store_key(key)) return Status::ok();
  return Status(StatusCode::kInvalidArgument, "store key must be 1-" + std::to_string(kMaxStoreKeyLength) +
                                                  " characters of [A-Za-z0-9._-] and not '.' or '..'");
}

}  // namespace docklink::ports
