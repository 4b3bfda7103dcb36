// MbedtlsHashing: MD5 (RFC 1321 test suite) and SHA-256 (FIPS 180-2 examples) known answers, digests fed in
// pieces equal to one-shot digests, HMAC-SHA256 (RFC 4231 test cases), and a spent hasher refusing to answer.
#include <cstddef>
#include <string>
#include <vector>

#include "docklink/ports/crypto.hpp"
#include "docklink/ports/mbedtls_hashing.hpp"

#include <CppUTest/TestHarness.h>

using docklink::port::HashAlgorithm;
using docklink::ports::MbedtlsHashing;
using docklink::ports::to_hex;

namespace {

std::string digest_hex(HashAlgorithm algorithm, const std::string& data) {
  auto hasher = MbedtlsHashing().new_hasher(algorithm);
  hasher->update(data);
  return to_hex(hasher->finish());
}

// Feeds `data` in pieces of the given sizes, cycling through them, so pieces straddle the 64-byte blocks.
std::string digest_in_pieces_hex(HashAlgorithm algorithm, const std::string& data,
                                 const std::vector<std::size_t>& sizes) {
  auto hasher = MbedtlsHashing().new_hasher(algorithm);
  std::size_t offset = 0;
  for (std::size_t i = 0; offset < data.size(); ++i) {
    const std::size_t size = sizes[i % sizes.size()];
    hasher->update(std::string_view(data).substr(offset, size));
    offset += size;
  }
  return to_hex(hasher->finish());
}

// Bytes that are not all alike, so a piece fed twice or skipped changes the digest.
std::string varied_bytes(std::size_t size) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 131 + i / 251) & 0xFF);
  return bytes;
}

std::string hmac_hex(const std::string& key, const std::string& message) {
  return to_hex(MbedtlsHashing().hmac_sha256(key, message));
}

}  // namespace

TEST_GROUP(MbedtlsHashing){};

TEST(MbedtlsHashing, Md5KnownAnswers) {
  STRCMP_EQUAL("d41d8cd98f00b204e9800998ecf8427e", digest_hex(HashAlgorithm::kMd5, "").c_str());
  STRCMP_EQUAL("0cc175b9c0f1b6a831c399e269772661", digest_hex(HashAlgorithm::kMd5, "a").c_str());
  STRCMP_EQUAL("900150983cd24fb0d6963f7d28e17f72", digest_hex(HashAlgorithm::kMd5, "abc").c_str());
  STRCMP_EQUAL("f96b697d7cb7938d525a2f31aaf161d0", digest_hex(HashAlgorithm::kMd5, "message digest").c_str());
  STRCMP_EQUAL("c3fcd3d76192e4007dfb496cca67e13b",
               digest_hex(HashAlgorithm::kMd5, "abcdefghijklmnopqrstuvwxyz").c_str());
}

TEST(MbedtlsHashing, Sha256KnownAnswers) {
  STRCMP_EQUAL("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
               digest_hex(HashAlgorithm::kSha256, "").c_str());
  STRCMP_EQUAL("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
               digest_hex(HashAlgorithm::kSha256, "abc").c_str());
  STRCMP_EQUAL("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
               digest_hex(HashAlgorithm::kSha256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").c_str());
}

TEST(MbedtlsHashing, DigestSizes) {
  LONGS_EQUAL(16, MbedtlsHashing().new_hasher(HashAlgorithm::kMd5)->finish().size());
  LONGS_EQUAL(32, MbedtlsHashing().new_hasher(HashAlgorithm::kSha256)->finish().size());
}

TEST(MbedtlsHashing, MillionAsFedInPiecesMatchTheStandardAnswers) {
  const std::string data(1000000, 'a');
  const std::vector<std::size_t> sizes = {1, 63, 64, 65, 4096, 7};
  STRCMP_EQUAL("7707d6ae4e027c70eea2a935c2296f21", digest_in_pieces_hex(HashAlgorithm::kMd5, data, sizes).c_str());
  STRCMP_EQUAL("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
               digest_in_pieces_hex(HashAlgorithm::kSha256, data, sizes).c_str());
}

TEST(MbedtlsHashing, PiecesEqualOneShotForEveryAlgorithm) {
  const std::string data = varied_bytes(10000);
  for (HashAlgorithm algorithm : {HashAlgorithm::kMd5, HashAlgorithm::kSha256}) {
    const std::string whole = digest_hex(algorithm, data);
    STRCMP_EQUAL(whole.c_str(), digest_in_pieces_hex(algorithm, data, {1}).c_str());
    STRCMP_EQUAL(whole.c_str(), digest_in_pieces_hex(algorithm, data, {0, 3, 64, 127, 1000}).c_str());
    // A reordered piece must change the digest: the hasher really depends on the order it is fed.
    const std::string swapped = data.substr(5000) + data.substr(0, 5000);
    CHECK_TRUE(whole != digest_hex(algorithm, swapped));
  }
}

TEST(MbedtlsHashing, SpentHasherAnswersEmpty) {
  auto hasher = MbedtlsHashing().new_hasher(HashAlgorithm::kSha256);
  hasher->update("abc");
  LONGS_EQUAL(32, hasher->finish().size());
  hasher->update("more");
  CHECK_TRUE(hasher->finish().empty());
}

TEST(MbedtlsHashing, HmacRfc4231Case1) {
  STRCMP_EQUAL("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
               hmac_hex(std::string(20, '\x0b'), "Hi There").c_str());
}

TEST(MbedtlsHashing, HmacRfc4231Case2ShortKey) {
  STRCMP_EQUAL("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
               hmac_hex("Jefe", "what do ya want for nothing?").c_str());
}

TEST(MbedtlsHashing, HmacRfc4231Case3And4BinaryData) {
  STRCMP_EQUAL("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
               hmac_hex(std::string(20, '\xaa'), std::string(50, '\xdd')).c_str());
  std::string key;
  for (char byte = 1; byte <= 25; ++byte) key += byte;
  STRCMP_EQUAL("82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
               hmac_hex(key, std::string(50, '\xcd')).c_str());
}

TEST(MbedtlsHashing, HmacRfc4231Cases6And7KeyLongerThanBlock) {
  const std::string key(131, '\xaa');
  STRCMP_EQUAL("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
               hmac_hex(key, "Test Using Larger Than Block-Size Key - Hash Key First").c_str());
  STRCMP_EQUAL("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
               hmac_hex(key,
                        "This is a test using a larger than block-size key and a larger than block-size data. The "
                        "key needs to be hashed before being used by the HMAC algorithm.")
                   .c_str());
}

TEST(MbedtlsHashing, HmacIsRawBytes) {
  const std::string mac = MbedtlsHashing().hmac_sha256("", "");
  LONGS_EQUAL(32, mac.size());
  STRCMP_EQUAL("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad", to_hex(mac).c_str());
}
