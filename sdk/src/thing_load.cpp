// Loading models: from the table embedded at build time, or from files on disk.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "concat.hpp"
#include "docklink/thing/embedded.hpp"
#include "docklink/thing/thing_model.hpp"
#include "embedded_models.hpp"

namespace docklink::thing {

using docklink::detail::concat;

namespace {

// A model file is a few tens of kilobytes; anything far larger is not one.
constexpr std::size_t kMaxModelFileBytes = 4 * 1024 * 1024;

// C stdio rather than std::ifstream: the stream classes cost the shared library about a kilobyte of code and
// dynamic symbols for this one function.
Result<std::string> read_whole_file(const std::string& path) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return Status(StatusCode::kNotFound, concat({"cannot open model file ", path}));
  std::string text;
  char chunk[4096];
  std::size_t got;
  while ((got = std::fread(chunk, 1, sizeof chunk, file.get())) > 0) {
    if (text.size() + got > kMaxModelFileBytes) {
      return Status(StatusCode::kIo, concat({"model file too large or unreadable: ", path}));
    }
    text.append(chunk, got);
  }
  if (std::ferror(file.get())) return Status(StatusCode::kIo, concat({"cannot read model file ", path}));
  return text;
}

#if defined(DOCKLINK_HAVE_EMBEDDED_THING_MODELS)
/// The embedded files, unpacked on first use; empty when unpacking failed. A failed allocation throws and leaves
/// the next call to try again.
const std::string& unpacked_models() {
  static const std::string text = [] {
    std::string unpacked;
    if (!detail::unpack_models(detail::kPackedModels, detail::kPackedModelsSize, detail::kUnpackedModelsSize,
                               unpacked)) {
      unpacked.clear();
    }
    return unpacked;
  }();
  return text;
}
#endif

Result<ThingModel> parse_resolved(Result<std::string> resolved) {
  if (!resolved) return resolved.status();
  return ThingModel::parse(resolved.value());
}

}  // namespace

Result<ThingModel> load_embedded(std::string_view model_key) {
  const std::string root = concat({model_key, ".json"});
  if (embedded_file(root).empty()) {
    return Status(StatusCode::kNotFound, concat({"no embedded thing model for key ", model_key}));
  }
  const ModelFileReader reader = [](std::string_view relative_path) -> Result<std::string> {
    const std::string_view text = embedded_file(relative_path);
    if (text.empty()) return Status(StatusCode::kNotFound, concat({"no embedded model file ", relative_path}));
    return std::string(text);
  };
  return parse_resolved(resolve_model_json(root, reader));
}

Result<ThingModel> load_file(const std::string& path, const std::string& search_dir) {
  // The root is read from `path` as given; the files it extends are named relative to search_dir.
  const ModelFileReader reader = [&](std::string_view relative_path) -> Result<std::string> {
    if (relative_path == path) return read_whole_file(path);
    return read_whole_file(concat({search_dir, "/", relative_path}));
  };
  return parse_resolved(resolve_model_json(path, reader));
}

std::vector<std::string> embedded_model_keys() {
  std::vector<std::string> keys;
#if defined(DOCKLINK_HAVE_EMBEDDED_THING_MODELS)
  constexpr std::string_view kSuffix = ".json";
  for (std::size_t i = 0; i < detail::kEmbeddedEntryCount; ++i) {
    const std::string_view path = detail::kEmbeddedEntries[i].path;
    // Product models sit at the top level and are named after their key; bases live under common/.
    if (path.find('/') != std::string_view::npos || path.size() <= kSuffix.size()) continue;
    if (path.substr(path.size() - kSuffix.size()) != kSuffix) continue;
    keys.emplace_back(path.substr(0, path.size() - kSuffix.size()));
  }
  std::sort(keys.begin(), keys.end());
#endif
  return keys;
}

std::string_view embedded_file(std::string_view relative_path) noexcept {
#if defined(DOCKLINK_HAVE_EMBEDDED_THING_MODELS)
  for (std::size_t i = 0; i < detail::kEmbeddedEntryCount; ++i) {
    const detail::EmbeddedEntry& file = detail::kEmbeddedEntries[i];
    if (relative_path != file.path) continue;
    try {
      const std::string& text = unpacked_models();
      if (text.size() < std::size_t{file.offset} + file.size) return {};
      return std::string_view(text).substr(file.offset, file.size);
    } catch (const std::bad_alloc&) {
      return {};
    }
  }
#else
  (void)relative_path;
#endif
  return {};
}

}  // namespace docklink::thing
