// Hashing conformance checks. Expected digests are lower-case hex; the data they are of is built here.
#include "hash_conformance.hpp"

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace docklink::conformance {

namespace {

using port::HashAlgorithm;

const char kFips56[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";  // FIPS 180-2's 2-block message

struct Vector {
  std::string message;
  const char* digest;  // hex
};

std::string hex(const std::string& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string text;
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    text += kDigits[byte >> 4];
    text += kDigits[byte & 0x0F];
  }
  return text;
}

const char* name_of(HashAlgorithm algorithm) { return algorithm == HashAlgorithm::kMd5 ? "MD5" : "SHA-256"; }

// The digest of `data` fed in pieces of `piece` bytes (0: whole), with an empty update after each piece when
// `empty_between` is set.
std::string digest(const port::Hashing& hashing, HashAlgorithm algorithm, const std::string& data, std::size_t piece,
                   bool empty_between = false) {
  auto hasher = hashing.new_hasher(algorithm);
  if (hasher == nullptr) return "new_hasher() returned null";  // no CHECK: threads call this too
  const std::string_view view(data);
  const std::size_t step = piece == 0 ? data.size() : piece;
  for (std::size_t offset = 0; offset < data.size(); offset += step) {
    hasher->update(view.substr(offset, step));
    if (empty_between) hasher->update(std::string_view());
  }
  return hex(hasher->finish());
}

// `data`'s digest is `expected` fed whole and in pieces of every size from 1 to its length.
void check_every_piece_size(const port::Hashing& hashing, HashAlgorithm algorithm, const std::string& data,
                            const char* expected, bool empty_between = false) {
  const std::string label = std::string(name_of(algorithm)) + " of " + std::to_string(data.size()) + " bytes";
  STRCMP_EQUAL_TEXT(expected, digest(hashing, algorithm, data, 0).c_str(), (label + ", whole").c_str());
  for (std::size_t piece = 1; piece <= data.size(); ++piece) {
    const std::string where = label + " in pieces of " + std::to_string(piece);
    STRCMP_EQUAL_TEXT(expected, digest(hashing, algorithm, data, piece, empty_between).c_str(), where.c_str());
  }
}

// Bytes 3, 10, 17, ... (7 i + 3 mod 256): every length gives a distinct message.
std::string pattern(std::size_t size) {
  std::string data(size, '\0');
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>((i * 7 + 3) & 0xFF);
  return data;
}

struct BoundaryVector {
  std::size_t size;
  const char* md5;
  const char* sha256;
};

const BoundaryVector kBoundaries[] = {
    {1, "8666683506aacd900bbd5a74ac4edf68", "084fed08b978af4d7d196a7446a86b58009e636b611db16211b65a9aadff29c5"},
    {55, "52c0e574e1198de5fe3f8f11440dcb1b", "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"},
    {56, "46c9907fc908ee68b1e7b8e71286a518", "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"},
    {57, "1c805dd236c35cab25fcb1bc73802c51", "35df609437dcfea3279283ab79fd554e2bf78f8f7ae2de532d8ee300b09e8f73"},
    {63, "a62f6d59e837867693f042f5b8f5a236", "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"},
    {64, "7160b8fb5e9e4023d549c3971fbaeead", "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"},
    {65, "70bd662e7aefbda85a0f7244167b7897", "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e"},
    {119, "e84905d4214f4d1ca56c2cdcc152b143", "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"},
    {120, "e3eb5a6c8669ea01a8c185b8abc8a5dc", "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"},
    {127, "acce2474d6cc8302120d09c818d17ef7", "a8d23e75d936f303d248888d9b165ee543f4cbafcad3c9dd2a79bd84faa11d07"},
    {128, "10b2da1a82f16d99a81a7203fe9f02cb", "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6"},
    {129, "03fefbbcebe2959cf2270241aafe0250", "307f8fc2c1622b92762e818d39a185d4d667ad49a4b07ceae1f4afa008a93ec4"},
    {1000, "10046f077f2082ac19676b8079f1cb1a", "1e9bc38cbf860b9ec31918b065f9b52476c549a782e0e7990bed8ce3868d2371"},
};

struct HmacVector {
  std::string key;
  std::string message;
  const char* mac;  // hex
};

std::vector<HmacVector> hmac_vectors() {
  return {
      {std::string(20, '\x0b'), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {std::string(20, '\xaa'), std::string(50, '\xdd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19",
       std::string(50, '\xcd'), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {std::string(131, '\xaa'),
       "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be "
       "hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
      {"", "", "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"},
  };
}

}  // namespace

void hash_md5_vectors(const port::Hashing& hashing) {
  const Vector vectors[] = {
      {"", "d41d8cd98f00b204e9800998ecf8427e"},
      {"a", "0cc175b9c0f1b6a831c399e269772661"},
      {"abc", "900150983cd24fb0d6963f7d28e17f72"},
      {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
      {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
      {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"},
      {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
       "57edf4a22be3c955ac49da2e2107b67a"},
  };
  for (const auto& vector : vectors)
    check_every_piece_size(hashing, HashAlgorithm::kMd5, vector.message, vector.digest);
  LONGS_EQUAL(16, hashing.new_hasher(HashAlgorithm::kMd5)->finish().size());
}

void hash_sha256_vectors(const port::Hashing& hashing) {
  const Vector vectors[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {kFips56, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
  };
  for (const auto& vector : vectors) {
    check_every_piece_size(hashing, HashAlgorithm::kSha256, vector.message, vector.digest);
  }
  LONGS_EQUAL(32, hashing.new_hasher(HashAlgorithm::kSha256)->finish().size());
}

void hash_block_boundaries(const port::Hashing& hashing) {
  for (const auto& vector : kBoundaries) {
    const std::string data = pattern(vector.size);
    check_every_piece_size(hashing, HashAlgorithm::kMd5, data, vector.md5, true);
    check_every_piece_size(hashing, HashAlgorithm::kSha256, data, vector.sha256, true);
  }
}

void hash_long_input(const port::Hashing& hashing) {
  const std::string million(1'000'000, 'a');
  for (std::size_t piece : {std::size_t{1000}, std::size_t{4096}}) {
    STRCMP_EQUAL("7707d6ae4e027c70eea2a935c2296f21", digest(hashing, HashAlgorithm::kMd5, million, piece).c_str());
    STRCMP_EQUAL("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
                 digest(hashing, HashAlgorithm::kSha256, million, piece).c_str());
  }
}

void hash_hashers_are_independent(const port::Hashing& hashing) {
  auto first = hashing.new_hasher(HashAlgorithm::kSha256);
  auto second = hashing.new_hasher(HashAlgorithm::kSha256);
  auto md5 = hashing.new_hasher(HashAlgorithm::kMd5);
  for (const char* piece : {"a", "b", "c"}) {
    first->update(piece);
    second->update(kFips56);
    md5->update(piece);
  }
  STRCMP_EQUAL("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex(first->finish()).c_str());
  STRCMP_EQUAL("900150983cd24fb0d6963f7d28e17f72", hex(md5->finish()).c_str());
  // The second hasher saw the 56-byte FIPS message three times, which is not the one-message digest.
  const std::string thrice = std::string(kFips56) + kFips56 + kFips56;
  STRCMP_EQUAL(digest(hashing, HashAlgorithm::kSha256, thrice, 0).c_str(), hex(second->finish()).c_str());
}

void hash_spent_hasher_gives_nothing(const port::Hashing& hashing) {
  for (HashAlgorithm algorithm : {HashAlgorithm::kMd5, HashAlgorithm::kSha256}) {
    auto hasher = hashing.new_hasher(algorithm);
    hasher->update("abc");
    CHECK_FALSE(hasher->finish().empty());
    STRCMP_EQUAL_TEXT("", hex(hasher->finish()).c_str(), name_of(algorithm));
    hasher->update("more");
    STRCMP_EQUAL_TEXT("", hex(hasher->finish()).c_str(), name_of(algorithm));
  }
}

void hash_hmac_sha256_vectors(const port::Hashing& hashing) {
  for (const auto& vector : hmac_vectors()) {
    const std::string mac = hashing.hmac_sha256(vector.key, vector.message);
    LONGS_EQUAL(32, mac.size());
    STRCMP_EQUAL_TEXT(vector.mac, hex(mac).c_str(), ("key of " + std::to_string(vector.key.size())).c_str());
  }
}

void hash_concurrent_use_is_safe(const port::Hashing& hashing) {
  const std::string data = pattern(1000);
  const std::vector<HmacVector> macs = hmac_vectors();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const BoundaryVector& last = kBoundaries[sizeof kBoundaries / sizeof kBoundaries[0] - 1];
        if (digest(hashing, HashAlgorithm::kSha256, data, static_cast<std::size_t>(1 + t * 61)) != last.sha256) ++wrong;
        if (digest(hashing, HashAlgorithm::kMd5, data, static_cast<std::size_t>(1 + i)) != last.md5) ++wrong;
        const HmacVector& mac = macs[static_cast<std::size_t>(i) % macs.size()];
        if (hex(hashing.hmac_sha256(mac.key, mac.message)) != mac.mac) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  LONGS_EQUAL(0, wrong.load());
}

}  // namespace docklink::conformance
