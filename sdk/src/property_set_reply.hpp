// The one writer of property/set_reply bodies, used by the client and by thing::compose_property_set_reply().
// The reply has the shape of the set it answers, each leaf replaced by {"result":N}:
// {"height_limit":{"result":0},"obstacle_avoidance":{"horizon":{"result":0}}}.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace docklink::detail {

/// Collects per-leaf results, then writes them as one JSON object. Never writes a key twice in one object:
/// a leaf whose path was given before, or that lies above or below a leaf given before, is refused. Adding
/// and writing are linear in the total length of the paths. The names are views: they must outlive the builder.
class PropertySetReply {
 public:
  PropertySetReply();

  /// Adds the result of the leaf at `path` (member names from the top down). False, and nothing added, when
  /// the path is empty or collides with a leaf added before.
  bool add(const std::vector<std::string_view>& path, std::int32_t result);

  /// Writes the reply body into `out` (overwritten), leaves in the order they were added.
  void write(std::string& out) const;

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  struct Node {
    std::string_view name;
    std::size_t first_child = kNone;
    std::size_t last_child = kNone;
    std::size_t next_sibling = kNone;
    bool leaf = false;
    std::int32_t result = 0;
  };
  struct ChildKey {
    std::size_t parent;
    std::string_view name;
    bool operator==(const ChildKey& other) const { return parent == other.parent && name == other.name; }
  };
  struct ChildKeyHash {
    std::size_t operator()(const ChildKey& key) const;
  };

  std::size_t child(std::size_t parent, std::string_view name) const;
  std::size_t add_child(std::size_t parent, std::string_view name);

  std::vector<Node> nodes_;  // nodes_[0] is the reply object itself
  std::unordered_map<ChildKey, std::size_t, ChildKeyHash> children_;
};

}  // namespace docklink::detail
