#include "property_set_reply.hpp"

#include <functional>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace docklink::detail {

std::size_t PropertySetReply::ChildKeyHash::operator()(const ChildKey& key) const {
  const std::size_t name_hash = std::hash<std::string_view>()(key.name);
  return name_hash ^ (key.parent + 0x9e3779b9u + (name_hash << 6) + (name_hash >> 2));
}

PropertySetReply::PropertySetReply() { nodes_.emplace_back(); }

std::size_t PropertySetReply::child(std::size_t parent, std::string_view name) const {
  auto found = children_.find(ChildKey{parent, name});
  return found == children_.end() ? kNone : found->second;
}

std::size_t PropertySetReply::add_child(std::size_t parent, std::string_view name) {
  const std::size_t index = nodes_.size();
  nodes_.emplace_back();
  nodes_[index].name = name;
  Node& up = nodes_[parent];
  if (up.last_child == kNone) {
    up.first_child = index;
  } else {
    nodes_[up.last_child].next_sibling = index;
  }
  up.last_child = index;
  children_.emplace(ChildKey{parent, name}, index);
  return index;
}

bool PropertySetReply::add(const std::vector<std::string_view>& path, std::int32_t result) {
  if (path.empty()) return false;
  // First follow what exists, without changing anything: a collision must leave no half-built branch.
  std::size_t node = 0;
  std::size_t depth = 0;
  while (depth < path.size()) {
    const std::size_t next = child(node, path[depth]);
    if (next == kNone) break;
    node = next;
    ++depth;
    if (nodes_[node].leaf) return false;  // the same leaf again, or a path below a leaf
  }
  if (depth == path.size()) return false;  // a path above leaves added before
  for (; depth < path.size(); ++depth) node = add_child(node, path[depth]);
  nodes_[node].leaf = true;
  nodes_[node].result = result;
  return true;
}

void PropertySetReply::write(std::string& out) const {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  // Depth-first without recursion: `open` holds the interior nodes whose objects are still open.
  std::vector<std::size_t> open;
  std::size_t next = nodes_[0].first_child;
  for (;;) {
    if (next == kNone) {
      writer.EndObject();
      if (open.empty()) break;
      next = nodes_[open.back()].next_sibling;
      open.pop_back();
      continue;
    }
    const Node& node = nodes_[next];
    writer.Key(node.name.data(), static_cast<rapidjson::SizeType>(node.name.size()));
    writer.StartObject();
    if (node.leaf) {
      writer.Key("result");
      writer.Int(node.result);
      writer.EndObject();
      next = node.next_sibling;
    } else {
      open.push_back(next);
      next = node.first_child;
    }
  }
  out.assign(buffer.GetString(), buffer.GetSize());
}

}  // namespace docklink::detail
