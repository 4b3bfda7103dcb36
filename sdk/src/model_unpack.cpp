// Unpacking of the embedded thing models: a byte-oriented LZ77 that needs a few dozen instructions to decode and
// shrinks the minified JSON to about a fifth (scripts/embed_thing_models.py packs it and describes the format).
#include <cstring>

#include "embedded_models.hpp"

namespace docklink::thing::detail {

namespace {
constexpr unsigned kCopyToken = 0x80;
constexpr std::size_t kMinCopy = 4;
}  // namespace

bool unpack_models(const unsigned char* packed, std::size_t packed_size, std::size_t unpacked_size, std::string& out) {
  out.assign(unpacked_size, '\0');
  char* const begin = out.empty() ? nullptr : &out[0];
  std::size_t written = 0;
  std::size_t at = 0;
  while (at < packed_size) {
    const unsigned token = packed[at++];
    if (token < kCopyToken) {
      const std::size_t count = token + 1;
      if (count > packed_size - at || count > unpacked_size - written) return false;
      std::memcpy(begin + written, packed + at, count);
      at += count;
      written += count;
      continue;
    }
    if (packed_size - at < 2) return false;
    const std::size_t count = (token & 0x7fu) + kMinCopy;
    const std::size_t distance = packed[at] | (std::size_t{packed[at + 1]} << 8);
    at += 2;
    if (distance == 0 || distance > written || count > unpacked_size - written) return false;
    // Byte by byte: a copy may overlap the bytes it writes (a run of a repeated pattern).
    for (std::size_t i = 0; i < count; ++i, ++written) begin[written] = begin[written - distance];
  }
  return written == unpacked_size;
}

}  // namespace docklink::thing::detail
