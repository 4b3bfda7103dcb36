// The unpacker of the embedded thing models (sdk/src/model_unpack.cpp), on hand-made packed data.
#include <string>
#include <vector>

#include "embedded_models.hpp"

#include <CppUTest/TestHarness.h>

using docklink::thing::detail::unpack_models;

namespace {

bool unpack(const std::vector<unsigned char>& packed, std::size_t size, std::string& out) {
  return unpack_models(packed.data(), packed.size(), size, out);
}

}  // namespace

TEST_GROUP(ModelUnpack){};

TEST(ModelUnpack, LiteralsThenAnOverlappingCopy) {
  // "ab", then 6 bytes copied from 2 back: the copy reads what it has just written.
  const std::vector<unsigned char> packed = {0x01, 'a', 'b', 0x80 | (6 - 4), 0x02, 0x00, 0x00, '!'};
  std::string out;
  CHECK(unpack(packed, 9, out));
  STRCMP_EQUAL("abababab!", out.c_str());
}

TEST(ModelUnpack, RejectsACopyFromBeforeTheStart) {
  const std::vector<unsigned char> packed = {0x00, 'a', 0x80, 0x02, 0x00};
  std::string out;
  CHECK_FALSE(unpack(packed, 5, out));
}

TEST(ModelUnpack, RejectsOutputLongerOrShorterThanDeclared) {
  const std::vector<unsigned char> packed = {0x02, 'a', 'b', 'c'};
  std::string out;
  CHECK_FALSE(unpack(packed, 2, out));
  CHECK_FALSE(unpack(packed, 4, out));
  CHECK(unpack(packed, 3, out));
  STRCMP_EQUAL("abc", out.c_str());
}

TEST(ModelUnpack, RejectsATruncatedToken) {
  std::string out;
  CHECK_FALSE(unpack({0x03, 'a', 'b'}, 4, out));
  CHECK_FALSE(unpack({0x00, 'a', 0x80, 0x01}, 5, out));
}

TEST(ModelUnpack, TheEmbeddedTableUnpacksToItsDeclaredSize) {
  std::string out;
  CHECK(unpack_models(docklink::thing::detail::kPackedModels, docklink::thing::detail::kPackedModelsSize,
                      docklink::thing::detail::kUnpackedModelsSize, out));
  CHECK(out.size() > 10000);
  CHECK_EQUAL('{', out.front());
  CHECK_EQUAL('}', out.back());
}
