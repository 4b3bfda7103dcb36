#include "media_files.hpp"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <system_error>

namespace docklink::sim {

namespace {

// Everything before the COM segment: SOI and a JFIF APP0 header (1x1 aspect, no thumbnail).
constexpr std::uint8_t kHead[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J',  'F',  'I',  'F',
                                  0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00};

// The one quantisation table (all 1s), an 8x8 frame of one 8-bit component, one DC and one AC Huffman table of a
// single 1-bit code each (DC category 0, AC end-of-block), and a scan whose one block is "DC unchanged, EOB":
// bits 00, padded with 1s. The picture is flat grey.
std::string tail() {
  std::string bytes = {'\xFF', '\xDB', '\x00', '\x43', '\x00'};
  bytes.append(64, '\x01');
  bytes += {'\xFF', '\xC0', '\x00', '\x0B', '\x08', '\x00', '\x08', '\x00', '\x08', '\x01', '\x01', '\x11', '\x00'};
  for (char table_class : {'\x00', '\x10'}) {
    bytes += {'\xFF', '\xC4', '\x00', '\x14', table_class, '\x01'};
    bytes.append(15, '\x00');
    bytes += '\x00';  // the symbol: DC category 0, or AC EOB
  }
  bytes += {'\xFF', '\xDA', '\x00', '\x08', '\x01', '\x01', '\x00', '\x00', '\x3F', '\x00'};
  bytes += {'\x3F', '\xFF', '\xD9'};
  return bytes;
}

std::atomic<std::uint64_t> media_queued{0};
std::atomic<std::uint64_t> media_delivered{0};
std::atomic<std::uint64_t> media_failed{0};

constexpr std::size_t kMaxComment = 65533;  // a segment's length field counts itself and holds 16 bits

}  // namespace

std::string tiny_jpeg(std::string_view comment) {
  comment = comment.substr(0, kMaxComment);
  std::string bytes(reinterpret_cast<const char*>(kHead), sizeof kHead);
  std::size_t length = comment.size() + 2;
  bytes += {'\xFF', '\xFE', static_cast<char>(length >> 8), static_cast<char>(length & 0xFF)};
  bytes += comment;
  return bytes + tail();
}

std::string safe_segment(std::string_view text) {
  std::string safe(text);
  for (char& c : safe) {
    bool allowed =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!allowed) c = '_';
  }
  return safe.empty() || safe == "." || safe == ".." ? "_" : safe;
}

Status write_file(const std::string& path, const std::string& bytes) {
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), error);
  if (error) return Status(StatusCode::kIo, "cannot create the directory of " + path + ": " + error.message());
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (out == nullptr) return Status(StatusCode::kIo, "cannot write " + path);
  bool written = std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size();
  if (std::fclose(out) != 0 || !written) return Status(StatusCode::kIo, "cannot write " + path);
  return Status::ok();
}

void count_media_queued() { ++media_queued; }
void count_media_delivered() { ++media_delivered; }
void count_media_failed() { ++media_failed; }

std::string media_summary() {
  std::uint64_t queued = media_queued, delivered = media_delivered, failed = media_failed;
  if (queued == 0) return {};
  return "queued " + std::to_string(queued) + ", delivered " + std::to_string(delivered) + ", failed attempts " +
         std::to_string(failed);
}

}  // namespace docklink::sim
