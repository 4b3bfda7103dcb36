// The thing-model files compiled into the library: the table that scripts/embed_thing_models.py generates, and
// the unpacking of its packed text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace docklink::thing::detail {

/// Where one embedded file lies in the unpacked text of all of them.
struct EmbeddedEntry {
  const char* path;      ///< Relative to thing_models/, with '/' separators, e.g. "common/dock_base.json".
  std::uint32_t offset;  ///< First byte in the unpacked text.
  std::uint32_t size;    ///< Length in bytes.
};

// The generated table (defined only when the build embeds the models: DOCKLINK_HAVE_EMBEDDED_THING_MODELS).
/// The embedded files, sorted by path.
extern const EmbeddedEntry kEmbeddedEntries[];
/// Number of entries in kEmbeddedEntries.
extern const std::size_t kEmbeddedEntryCount;
/// The minified files one after another, packed (the format is described in scripts/embed_thing_models.py).
extern const unsigned char kPackedModels[];
/// Length of kPackedModels.
extern const std::size_t kPackedModelsSize;
/// Length of the unpacked text.
extern const std::size_t kUnpackedModelsSize;

/// Unpacks `packed` (the format of scripts/embed_thing_models.py), which must come to exactly `unpacked_size`
/// bytes. Returns false, with `out` unspecified, when the data is malformed. Throws std::bad_alloc.
bool unpack_models(const unsigned char* packed, std::size_t packed_size, std::size_t unpacked_size, std::string& out);

}  // namespace docklink::thing::detail
