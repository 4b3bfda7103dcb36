// UUIDv4 formatting (RFC 4122 §4.4): random bits with the version nibble set to 4 and the variant to 10xx.
#include "docklink/ids.hpp"

namespace docklink {

void format_uuid_v4(const std::array<std::uint8_t, 16>& bytes, char out[kUuidTextLength]) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t pos = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::uint8_t byte = bytes[i];
    if (i == 6) byte = static_cast<std::uint8_t>((byte & 0x0fu) | 0x40u);  // version 4
    if (i == 8) byte = static_cast<std::uint8_t>((byte & 0x3fu) | 0x80u);  // RFC 4122 variant
    if (i == 4 || i == 6 || i == 8 || i == 10) out[pos++] = '-';
    out[pos++] = kHex[byte >> 4];
    out[pos++] = kHex[byte & 0x0fu];
  }
}

std::string format_uuid_v4(std::array<std::uint8_t, 16> bytes) {
  std::string text(kUuidTextLength, '\0');
  format_uuid_v4(bytes, text.data());
  return text;
}

Result<std::string> new_uuid(port::Random& random) {
  std::array<std::uint8_t, 16> bytes{};
  Status status = random.fill(bytes.data(), bytes.size());
  if (!status) return Status(status.code(), "cannot generate a UUID: " + status.message());
  return format_uuid_v4(bytes);
}

}  // namespace docklink
