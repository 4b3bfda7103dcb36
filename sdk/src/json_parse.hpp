// In-place JSON parsing for the whole library: the envelope decoder and the thing-model code. One RapidJSON
// reader instantiation serves every parse (each instantiation is about 5 KB of code); its SAX filter enforces a
// depth limit while parsing and remembers top-level ids, so even a failed envelope decode can say which tid to
// answer.
#pragma once

#include <cstddef>
#include <string_view>

#include <rapidjson/document.h>

namespace docklink::detail {

/// Allocator for a RapidJSON parse stack that keeps its one buffer between parses. RapidJSON frees a stack
/// through a static Free() after every parse; making that a no-op lets the next parse reuse the buffer instead
/// of going back to the heap. Serves exactly one stack.
class RetainedStackAllocator {
 public:
  RetainedStackAllocator() = default;
  RetainedStackAllocator(const RetainedStackAllocator&) = delete;
  RetainedStackAllocator& operator=(const RetainedStackAllocator&) = delete;
  ~RetainedStackAllocator();

  /// RapidJSON's allocator interface.
  void* Malloc(std::size_t size) { return Realloc(nullptr, 0, size); }
  /// RapidJSON's allocator interface: the stack always lives in the one buffer (or starts empty).
  void* Realloc(void* original, std::size_t original_size, std::size_t new_size);
  /// RapidJSON's allocator interface: the buffer is kept for the next parse.
  static void Free(void*) {}

  /// Returns the buffer to the heap when it grew beyond what is worth keeping. Only call between parses.
  void trim(std::size_t keep_at_most);

 private:
  void* buffer_ = nullptr;
  std::size_t capacity_ = 0;
};

/// Memory pool of parsed values.
using JsonPool = rapidjson::MemoryPoolAllocator<rapidjson::CrtAllocator>;
/// The document type every parse in the library fills.
using JsonDocument = rapidjson::GenericDocument<rapidjson::UTF8<>, JsonPool, RetainedStackAllocator>;

/// Top-level string ids seen while parsing, pointing into the parsed text.
struct RecoveredIds {
  std::string_view tid, bid, method, gateway;
};

/// How parse_json_in_place() parses.
struct JsonParseOptions {
  unsigned max_depth = ~0u;           ///< Deeper nesting stops the parse (JsonParseOutcome::too_deep).
  bool object_only = false;           ///< A top level that is not an object stops the parse (not_object).
  bool copy_strings = true;           ///< Strings go into the document's pool; false: they point into the text.
  RecoveredIds* recovered = nullptr;  ///< Receives the top-level ids, when given.
  RetainedStackAllocator* reader_stack = nullptr;  ///< The reader's stack buffer, kept between parses; or a fresh one.
};

/// What parse_json_in_place() found.
struct JsonParseOutcome {
  rapidjson::ParseResult result;  ///< RapidJSON's verdict; also an error when the filter stopped the parse.
  std::size_t end = 0;            ///< Offset where reading stopped; a complete parse stops at the first NUL.
  bool too_deep = false;          ///< The nesting exceeded max_depth.
  bool not_object = false;        ///< object_only was set and the top level is not an object.
  bool surrogate = false;         ///< A string holds a lone UTF-16 surrogate (RapidJSON decodes "\udc00" to one).
};

/// Parses the NUL-terminated `text` in place (it is modified) into `document`. A failed parse leaves the
/// document's previous value.
JsonParseOutcome parse_json_in_place(char* text, JsonDocument& document, const JsonParseOptions& options);

/// Parses a copy of `json` into `document`, strings copied into its pool, without limits; as RapidJSON's own
/// Document::Parse() would, but through the library's one reader.
rapidjson::ParseResult parse_json(std::string_view json, JsonDocument& document);

}  // namespace docklink::detail
