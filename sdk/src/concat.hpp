// Building a message from several pieces. Error and log texts are put together in many places; a chain of
// operator+ makes and frees a temporary string per piece at every one of them, a call to concat() does not.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace docklink::detail {

/// The parts one after the other, in one string allocated once.
std::string concat(std::initializer_list<std::string_view> parts);

}  // namespace docklink::detail
