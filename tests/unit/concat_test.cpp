#include <string>

#include "concat.hpp"

#include <CppUTest/TestHarness.h>

using docklink::detail::concat;

TEST_GROUP(Concat){};

TEST(Concat, JoinsThePartsInOrder) {
  const std::string name = "osd";
  STRCMP_EQUAL("unknown field 'osd' in 'a.b'", concat({"unknown field '", name, "' in '", "a.b", "'"}).c_str());
}

TEST(Concat, NoPartsGiveAnEmptyString) { CHECK(concat({}).empty()); }

TEST(Concat, KeepsEmbeddedNulBytes) {
  const std::string joined = concat({std::string_view("a\0b", 3), "c"});
  LONGS_EQUAL(4, joined.size());
  CHECK(joined == std::string("a\0bc", 4));
}
