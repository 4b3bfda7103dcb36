// The thing-model files compiled into the library (cmake/EmbedThingModels.cmake generates the table).
#pragma once

#include <cstddef>
#include <string_view>

#include "docklink/export.hpp"

namespace docklink::thing {

/// One embedded file of thing_models/. (Kept for source compatibility: the library stores its files packed and
/// hands them out through embedded_file().)
struct EmbeddedFile {
  const char* path;            ///< Path relative to thing_models/, with '/' separators, e.g. "common/dock_base.json".
  const unsigned char* bytes;  ///< File content (not NUL-terminated).
  std::size_t size;            ///< Content length in bytes.
};

/// The content of the embedded file at `relative_path` (minified JSON); empty when there is none. The files are
/// stored packed and unpacked together on the first call (about 60 KB of heap, kept for the life of the process),
/// so the view stays valid for as long as the process runs. Empty also when that memory cannot be allocated.
DOCKLINK_API std::string_view embedded_file(std::string_view relative_path) noexcept;

}  // namespace docklink::thing
