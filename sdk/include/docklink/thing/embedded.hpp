// The thing-model files compiled into the library (cmake/EmbedThingModels.cmake generates the table).
#pragma once

#include <cstddef>
#include <string_view>

#include "docklink/export.hpp"

namespace docklink::thing {

/// One embedded file of thing_models/.
struct EmbeddedFile {
  const char* path;            ///< Path relative to thing_models/, with '/' separators, e.g. "common/dock_base.json".
  const unsigned char* bytes;  ///< File content (not NUL-terminated).
  std::size_t size;            ///< Content length in bytes.
};

/// The content of the embedded file at `relative_path`; empty when there is none.
DOCKLINK_API std::string_view embedded_file(std::string_view relative_path) noexcept;

namespace detail {
/// The generated table (defined only when the build embeds the models; see embedded_file()).
extern const EmbeddedFile kEmbeddedFiles[];
/// Number of entries in kEmbeddedFiles.
extern const std::size_t kEmbeddedFileCount;
}  // namespace detail

}  // namespace docklink::thing
