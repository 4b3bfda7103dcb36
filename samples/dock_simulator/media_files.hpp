// The files a simulated aircraft produces: tiny but valid JPEG photos, and where they are kept on disk.
#pragma once

#include <string>
#include <string_view>

#include "docklink/status.hpp"

namespace docklink::sim {

/// A valid 8x8 grey baseline JPEG (a few hundred bytes) carrying `comment` in a COM segment, so every photo has
/// its own bytes.
std::string tiny_jpeg(std::string_view comment);

/// `text` made safe as one path segment: characters outside [A-Za-z0-9._-] become '_', and "", "." and ".." become
/// "_" (a flight id comes from the cloud and must not leave the files directory).
std::string safe_segment(std::string_view text);

/// Writes `bytes` to `path`, creating its directories.
Status write_file(const std::string& path, const std::string& bytes);

/// Counts, for the whole process, media files queued for delivery, delivered, and delivery attempts that halted or
/// dropped a file (no storage from the cloud, upload refused, ...). Thread-safe.
void count_media_queued();
/// See count_media_queued().
void count_media_delivered();
/// See count_media_queued().
void count_media_failed();
/// "queued N, delivered M, failed attempts F", or empty when nothing was queued: printed on exit.
std::string media_summary();

}  // namespace docklink::sim
