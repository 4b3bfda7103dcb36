#include "docklink/ports/topic_filter.hpp"

#include <cstddef>

namespace docklink::ports {

namespace {

constexpr std::size_t kMaxTopicLength = 65535;  // MQTT strings carry a 16-bit length.

// The level starting at `begin` (up to the next '/' or the end).
std::string_view level_at(std::string_view text, std::size_t begin) {
  std::size_t end = text.find('/', begin);
  return text.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
}

}  // namespace

bool is_valid_topic_name(std::string_view topic) noexcept {
  if (topic.empty() || topic.size() > kMaxTopicLength) return false;
  return topic.find_first_of(std::string_view("+#\0", 3)) == std::string_view::npos;
}

bool is_valid_topic_filter(std::string_view filter) noexcept {
  if (filter.empty() || filter.size() > kMaxTopicLength) return false;
  if (filter.find('\0') != std::string_view::npos) return false;
  for (std::size_t begin = 0;;) {
    const std::string_view level = level_at(filter, begin);
    const bool has_wildcard = level.find_first_of("+#") != std::string_view::npos;
    if (has_wildcard && level.size() != 1) return false;  // "a+" or "#b"
    const std::size_t next = begin + level.size();
    if (level == "#" && next != filter.size()) return false;  // '#' must be last
    if (next == filter.size()) return true;
    begin = next + 1;
  }
}

bool topic_matches(std::string_view filter, std::string_view topic) noexcept {
  if (!is_valid_topic_filter(filter) || !is_valid_topic_name(topic)) return false;
  if (topic.front() == '$' && (filter.front() == '+' || filter.front() == '#')) return false;
  std::size_t filter_begin = 0;
  std::size_t topic_begin = 0;
  for (;;) {
    const std::string_view filter_level = level_at(filter, filter_begin);
    if (filter_level == "#") return true;  // also covers the parent: "a/#" reached after "a" is consumed
    const std::string_view topic_level = level_at(topic, topic_begin);
    if (filter_level != "+" && filter_level != topic_level) return false;
    const bool filter_done = filter_begin + filter_level.size() == filter.size();
    const bool topic_done = topic_begin + topic_level.size() == topic.size();
    if (topic_done) {
      if (filter_done) return true;
      // The topic ended; only a trailing "/#" can still match (the parent-level rule).
      return filter.substr(filter_begin + filter_level.size()) == "/#";
    }
    if (filter_done) return false;
    filter_begin += filter_level.size() + 1;
    topic_begin += topic_level.size() + 1;
  }
}

}  // namespace docklink::ports
