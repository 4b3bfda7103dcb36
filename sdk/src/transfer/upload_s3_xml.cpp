#include "upload_s3_xml.hpp"

namespace docklink::transfer::detail {
namespace {

// &lt; &gt; &amp; &quot; &apos; (ETags come quoted as &quot; from some servers).
std::string decode_entities(std::string_view text) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    bool decoded = false;
    for (const auto& [entity, character] : kEntities) {
      if (text.substr(0, entity.size()) == entity) {
        out.push_back(character);
        text.remove_prefix(entity.size());
        decoded = true;
        break;
      }
    }
    if (!decoded) {
      out.push_back(text.front());
      text.remove_prefix(1);
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> xml_element_text(std::string_view xml, std::string_view name) {
  const std::string open = "<" + std::string(name) + ">";
  const std::string close = "</" + std::string(name) + ">";
  std::size_t start = xml.find(open);
  if (start == std::string_view::npos) return std::nullopt;
  start += open.size();
  std::size_t end = xml.find(close, start);
  if (end == std::string_view::npos) return std::nullopt;
  return decode_entities(xml.substr(start, end - start));
}

S3ErrorBody parse_s3_error(std::string_view body) {
  S3ErrorBody error;
  if (body.find("<Error>") == std::string_view::npos) return error;
  error.code = xml_element_text(body, "Code").value_or("");
  error.message = xml_element_text(body, "Message").value_or("");
  return error;
}

}  // namespace docklink::transfer::detail
